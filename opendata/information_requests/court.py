"""After the Commission: either party's court case (Pasal 47-48) and when its order is final.

An adjudication decision can be taken to the PTUN or the Pengadilan Negeri by either party
within 14 working days of receiving it (Pasal 48(1)); until that window has passed unused, or
the court has decided, the decision is not final and what it orders does not yet fall due
(kip-rules §2). The officer records the case and its decision; the report counts them
(`court_cases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import extract, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.calendar import WorkingCalendar
from opendata.errors import DeadlinePassed
from opendata.information_requests.lifecycle import Action, Status, invalid_transition
from opendata.information_requests.models import CourtCase, Dispute, InformationRequest
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import (
    DISPUTE_OUTCOMES_ORDERING_DISCLOSURE,
    Clock,
    ClockKind,
    Clocks,
    CourtFiler,
    CourtOutcome,
    DisputeOutcome,
    court_orders_disclosure,
)
from opendata.information_requests.skeleton import StepContext, StepOutcome
from opendata.information_requests.validation import (
    date_between,
    one_of,
    optional_text,
    required_text,
)


def window_closed(clock: Clock, last: date, to_id: str, to_en: str) -> DeadlinePassed:
    """A filing (at the Commission, or in court) dated after its window's last day."""
    days = clock.working_days
    return DeadlinePassed(
        f"Batas {days} hari kerja untuk {to_id} berakhir {last.isoformat()}.",
        f"The {days} working days to {to_en} ended on {last.isoformat()}.",
        field="filedOn",
    )


@dataclass(frozen=True)
class CourtFiling:
    filed_by: str  # CourtFiler
    court: str
    case_number: str
    filed_on: date


@dataclass(frozen=True)
class CourtDecision:
    outcome: str  # CourtOutcome
    decided_on: date
    summary: str | None = None


def can_record_court_case(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    """Only an adjudication decision opens the court window (Pasal 47)."""
    if record.clock(ClockKind.COURT_FILING) is None:
        raise invalid_transition(
            Action.RECORD_COURT_CASE,
            Status(record.request.status),
            " Putusan ini tidak dapat digugat ke pengadilan (bukan putusan ajudikasi).",
            " This decision cannot be taken to court (it is not an adjudication decision).",
        )


async def record_court_case(context: StepContext, form: CourtFiling) -> StepOutcome:
    """Either party's gugatan, filed within the 14 working days from receipt (Pasal 48(1))."""
    filed_by = one_of(CourtFiler, form.filed_by, "filedBy", "Penggugat", "party filing")
    court = required_text(form.court, "court", limit=200)
    case_number = required_text(form.case_number, "caseNumber", limit=120)
    window = context.record.clock(ClockKind.COURT_FILING)
    assert window is not None  # the precondition
    date_between(
        form.filed_on,
        window.started_on,
        context.today,
        "filedOn",
        "Tanggal gugatan",
        "The filing date",
    )
    if form.filed_on > window.due_on:
        raise window_closed(Clocks.COURT_FILING, window.due_on, "menggugat", "go to court")
    case = CourtCase(
        request_id=context.request.id,
        filed_by=filed_by.value,
        court=court,
        case_number=case_number,
        filed_on=form.filed_on,
        recorded_at=context.now,
    )
    context.session.add(case)
    context.record.court_case = case
    return StepOutcome(
        note=f"{court}: {case_number}",
        detail={
            "filedBy": filed_by.value,
            "court": court,
            "caseNumber": case_number,
            "filedOn": form.filed_on.isoformat(),
        },
    )


async def record_court_decision(context: StepContext, form: CourtDecision) -> StepOutcome:
    """The court's decision; where it leaves something to give, the PPID's fulfilment clock
    starts from it (the decision is then final for this service: kasasi is not tracked)."""
    outcome_value = one_of(CourtOutcome, form.outcome, "outcome", "Putusan pengadilan", "outcome")
    summary = optional_text(form.summary, "summary", limit=10_000)
    case = context.record.court_case
    dispute = context.record.dispute
    assert case is not None and dispute is not None  # COURT_FILED has both
    date_between(
        form.decided_on,
        case.filed_on,
        context.today,
        "decidedOn",
        "Tanggal putusan",
        "The decision date",
    )
    case.outcome = outcome_value.value
    case.decided_on = form.decided_on
    case.summary = summary
    outcome = StepOutcome(
        note=summary,
        detail={"outcome": outcome_value.value, "decidedOn": form.decided_on.isoformat()},
    )
    commission_ordered = (
        dispute.outcome is not None
        and DisputeOutcome(dispute.outcome) in DISPUTE_OUTCOMES_ORDERING_DISCLOSURE
    )
    if court_orders_disclosure(outcome_value, commission_ordered):
        outcome.start(context, ClockKind.FULFILMENT, form.decided_on)
    return outcome


async def court_cases(
    session: AsyncSession, *, year: int | None = None, agency_id: int | None = None
) -> list[tuple[CourtCase, Dispute, InformationRequest]]:
    """The court cases recorded (filed in `year`, for `agency_id`, where given), oldest first,
    with the dispute and request each concerns: what the annual report counts."""
    statement = (
        select(CourtCase, Dispute, InformationRequest)
        .join(InformationRequest, InformationRequest.id == CourtCase.request_id)
        .join(Dispute, Dispute.request_id == CourtCase.request_id)
        .order_by(CourtCase.filed_on, CourtCase.id)
    )
    if year is not None:
        statement = statement.where(extract("year", CourtCase.filed_on) == year)
    if agency_id is not None:
        statement = statement.where(InformationRequest.agency_id == agency_id)
    rows = await session.execute(statement)
    return [(case, dispute, request) for case, dispute, request in rows.all()]
