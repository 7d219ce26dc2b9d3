"""The PPID officer's queue: the requests whose next step is the agency's, soonest due first.

A request waits for the agency while one of its officer's duty clocks runs: the written
notice (Pasal 22(7)), or the fulfilment an upheld objection or the Commission ordered. The
queue marks what is overdue and what falls within the first reminder's window (3 working
days, `deadlines.FIRST_REMINDER`) on the official calendar, and counts the agency's requests per
stage. Plain Python over the database: the staff page and any other reader call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Role, Viewer
from opendata.calendar import WorkingCalendar
from opendata.information_requests.deadlines import FIRST_REMINDER, DeadlineView
from opendata.information_requests.due import DueWindow, window_of
from opendata.information_requests.lifecycle import Status
from opendata.information_requests.models import InformationRequest, RequestClock
from opendata.information_requests.rules import DECISIONS_GIVING, ClockKind, Party

# a queue longer than this is shown in part (and says so): the page must stay usable
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class QueueItem:
    request: InformationRequest
    # what the officer owes (any officer's clock in `CLOCK_RULES`), until when, under which
    # article: the same window the request page and the API show (`due.window_of`)
    window: DueWindow

    @property
    def duty(self) -> ClockKind:
        return self.window.kind

    @property
    def deadline(self) -> DeadlineView:
        w = self.window
        return DeadlineView(w.party, w.due_on, w.working_days_left, w.overdue)

    @property
    def due_soon(self) -> bool:
        """Within the first reminder's window and not yet overdue."""
        left = self.deadline.working_days_left
        return not self.deadline.overdue and left is not None and left <= FIRST_REMINDER


@dataclass
class OfficerQueue:
    items: list[QueueItem]
    # every request of the agency (or all agencies, for an admin) per stage
    counts: dict[Status, int] = field(default_factory=dict)
    # how many wait in all (the list may be cut at QUEUE_LIMIT)
    waiting: int = 0
    # given (in full or in part) with no statutory clock left, but the day the information
    # was actually given is not recorded yet: the register's "delivered" waits for the PPID
    to_record: list[InformationRequest] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.deadline.overdue)

    @property
    def due_soon(self) -> int:
        return sum(1 for item in self.items if item.due_soon)


def queue_agency(viewer: Viewer) -> int | None:
    """Whose requests the viewer's queue holds: their own agency's; None (all) for an admin."""
    return None if viewer.role is Role.ADMIN else viewer.agency_id


async def officer_queue(
    session: AsyncSession,
    agency_id: int | None,
    calendar: WorkingCalendar,
    now: datetime,
    *,
    limit: int = QUEUE_LIMIT,
) -> OfficerQueue:
    """The requests of `agency_id` (None: every agency) with a running officer's duty, the
    soonest due first; a request owing both notice and fulfilment is listed once, by the
    earlier; then the giving notices whose fulfilment is not recorded. Three statements
    whatever the queue's length."""
    statement = (
        select(
            InformationRequest, RequestClock.kind, RequestClock.started_on, RequestClock.due_on
        )
        .join(RequestClock, RequestClock.request_id == InformationRequest.id)
        .where(RequestClock.stopped_at.is_(None), RequestClock.party == Party.OFFICER.value)
        .order_by(RequestClock.due_on, InformationRequest.received_at, InformationRequest.id)
    )
    counting = select(InformationRequest.status, func.count()).group_by(InformationRequest.status)
    if agency_id is not None:
        statement = statement.where(InformationRequest.agency_id == agency_id)
        counting = counting.where(InformationRequest.agency_id == agency_id)
    items: dict[int, QueueItem] = {}
    for request, kind, started_on, due_on in (await session.execute(statement)).all():
        if request.id not in items:  # the earlier duty of a request owing two
            window = window_of(ClockKind(kind), Party.OFFICER, started_on, due_on, calendar, now)
            assert window is not None  # the officer's clocks are duties: never closed
            items[request.id] = QueueItem(request, window)
    counts = {Status(status): int(n) for status, n in (await session.execute(counting)).all()}
    listed = list(items.values())
    undelivered = (
        select(InformationRequest)
        .where(
            InformationRequest.decision.in_([d.value for d in DECISIONS_GIVING]),
            InformationRequest.delivered_on.is_(None),
            InformationRequest.withdrawn_at.is_(None),
        )
        .order_by(InformationRequest.answered_at, InformationRequest.id)
        .limit(limit + len(items))
    )
    if agency_id is not None:
        undelivered = undelivered.where(InformationRequest.agency_id == agency_id)
    to_record = [r for r in (await session.scalars(undelivered)) if r.id not in items]
    return OfficerQueue(
        items=listed[:limit], counts=counts, waiting=len(listed), to_record=to_record[:limit]
    )
