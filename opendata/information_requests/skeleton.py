"""What every step shares: the locked record, the clocks it moves, the timeline entry.

Each step is one database transaction. It takes the request row's lock (`SELECT ... FOR
UPDATE` on PostgreSQL; SQLite writers are already serialised by `BEGIN IMMEDIATE`) and checks
the state machine after locking, so two officers answering at once cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.calendar import WorkingCalendar, regency_date
from opendata.db.base import utcnow
from opendata.errors import NotFound, Unauthenticated
from opendata.information_requests.deadlines import mirror_deadline, new_clock, running
from opendata.information_requests.issuing import issue_letters
from opendata.information_requests.lifecycle import Step
from opendata.information_requests.models import (
    CourtCase,
    Dispute,
    InformationRequest,
    Objection,
    RequestClock,
    RequestEvent,
)
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind


def checked_now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given as `now`")
    return now


def require_viewer(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise Unauthenticated(
            "Silakan masuk terlebih dahulu.", "Please sign in first (a bearer token is needed)."
        )
    return viewer


@dataclass
class StepContext:
    """One step in progress: who acts, when, on which locked record."""

    session: AsyncSession
    record: RequestRecord
    viewer: Viewer
    now: datetime
    calendar: WorkingCalendar

    @property
    def today(self) -> date:
        return regency_date(self.now)

    @property
    def request(self) -> InformationRequest:
        return self.record.request


@dataclass
class StepOutcome:
    """What a step function wrote, for the timeline and the clocks."""

    note: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    # the clocks the step starts (each must be listed in the step's `starts`)
    started: list[RequestClock] = field(default_factory=list)
    # the objection this step concerns: its clocks alone are stopped (None: every objection)
    objection_id: int | None = None

    def start(
        self,
        context: StepContext,
        kind: ClockKind,
        started_on: date,
        *,
        objection_id: int | None = None,
        fixed_due_on: date | None = None,
    ) -> RequestClock:
        clock = new_clock(
            context.request.id,
            kind,
            started_on,
            context.calendar,
            objection_id=objection_id,
            fixed_due_on=fixed_due_on,
        )
        self.started.append(clock)
        return clock


async def load_record(
    session: AsyncSession, request_id: int, *, lock: bool = False
) -> RequestRecord:
    """The request (locked for this transaction when `lock`), with all it depends on."""
    statement = select(InformationRequest).where(InformationRequest.id == request_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    request = (await session.execute(statement)).scalar_one_or_none()
    if request is None:
        raise NotFound(
            "Permohonan informasi tidak ditemukan.",
            "The information request was not found.",
            field="id",
        )
    objections = (
        await session.execute(
            select(Objection)
            .where(Objection.request_id == request_id)
            .order_by(Objection.filed_at, Objection.id)
        )
    ).scalars()
    dispute = (
        await session.execute(select(Dispute).where(Dispute.request_id == request_id))
    ).scalar_one_or_none()
    clocks = (
        await session.execute(
            select(RequestClock)
            .where(RequestClock.request_id == request_id)
            .order_by(RequestClock.id)
        )
    ).scalars()
    court_case = (
        await session.execute(select(CourtCase).where(CourtCase.request_id == request_id))
    ).scalar_one_or_none()
    return RequestRecord(request, list(objections), dispute, list(clocks), court_case=court_case)


async def finish_step(
    context: StepContext, step: Step, outcome: StepOutcome, *, at: datetime | None = None
) -> RequestRecord:
    """Stop and start the step's clocks, settle the stage, and append the timeline entry,
    all in the step's transaction."""
    record = context.record
    for clock in running(record.clocks):
        concerns = outcome.objection_id is None or clock.objection_id in (
            None,
            outcome.objection_id,
        )
        if ClockKind(clock.kind) in step.stops and concerns:
            clock.stopped_at = context.now
    for clock in outcome.started:
        assert ClockKind(clock.kind) in step.starts, f"{step.action} cannot start {clock.kind}"
        context.session.add(clock)
        record.clocks.append(clock)
    status = record.stage()
    record.request.status = status.value
    mirror_deadline(record.request, record.clocks, context.calendar, context.now)
    await append_event(
        context.session,
        record,
        action=step.action.value,
        status=status.value,
        at=at or context.now,
        viewer=context.viewer,
        note=outcome.note,
        detail=outcome.detail,
    )
    # the step's letters: numbered, dated and signed by who took it, in this transaction
    await issue_letters(
        context.session,
        record.request,
        step.letters,
        objection=next((o for o in record.objections if o.id == outcome.objection_id), None),
        signed_by=context.viewer.user_id,
        at=at or context.now,
        calendar=context.calendar,
    )
    return record


async def append_event(
    session: AsyncSession,
    record: RequestRecord,
    *,
    action: str,
    status: str,
    at: datetime,
    viewer: Viewer | None,
    note: str | None,
    detail: dict[str, Any],
) -> None:
    """One timeline entry; `viewer` None for what the system did (a calendar change)."""
    session.add(
        RequestEvent(
            request_id=record.request.id,
            at=at,
            action=action,
            status=status,
            note=note,
            actor_role=viewer.role.value if viewer else None,
            # private: who acted (officers are accountable; never in the public register)
            actor_user_id=viewer.user_id if viewer else None,
            detail=detail,
        )
    )
    await session.flush()
    record.events = list(
        (
            await session.execute(
                select(RequestEvent)
                .where(RequestEvent.request_id == record.request.id)
                .order_by(RequestEvent.at, RequestEvent.id)
            )
        ).scalars()
    )
