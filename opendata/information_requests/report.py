"""The annual service report (laporan layanan informasi publik; Perki 1/2021, kip-rules §5).

Per agency and for the whole regency. The requests counted are those received in the year
(regency time), each with the working days it took; the late count includes requests past
their deadline with no notice at all. Objections and disputes are counted in the year they
were filed, whatever the year of their request, with their outcomes. Received requests split
exactly into answered (by decision), withdrawn before any answer, and pending.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from opendata.calendar import WorkingCalendar, is_past
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.errors import BadUserInput, not_found
from opendata.information_requests.models import Dispute, InformationRequest, Objection
from opendata.information_requests.rules import (
    EXEMPTION_BASES,
    Decision,
    DisputeOutcome,
    ObjectionOutcome,
)
from opendata.parts import HasCalendar, HasDatabase


@dataclass(frozen=True)
class RequestLine:
    """One request of the year, as the report's detail table shows it (no personal data)."""

    registration_number: str
    received_on: date
    decision: str | None
    answered_on: date | None
    working_days: int | None  # receipt to written notice; None while unanswered
    late: bool  # answered after its deadline, or past it with no notice
    exemptions: tuple[str, ...]
    fee_amount: int
    delivered_on: date | None
    withdrawn: bool


@dataclass
class ServiceReport:
    year: int
    agency: Agency | None
    requests_received: int = 0
    granted: int = 0
    partially_granted: int = 0
    refused: int = 0
    not_held: int = 0
    not_yet_documented: int = 0
    withdrawn: int = 0
    pending: int = 0
    average_working_days_to_answer: float | None = None
    answered_late: int = 0
    unanswered_past_deadline: int = 0
    refusals_by_basis: list[tuple[str, int]] = field(default_factory=list)
    fees_charged: int = 0  # requests with a fee
    fees_total: int = 0  # rupiah
    fulfilled: int = 0  # requests with the day the information was given recorded
    objections: int = 0  # filed in the year
    objections_upheld: int = 0
    objections_rejected: int = 0
    objections_pending: int = 0
    disputes: int = 0  # filed with the Commission in the year
    disputes_decided: int = 0
    disputes_by_outcome: list[tuple[str, int]] = field(default_factory=list)
    lines: list[RequestLine] = field(default_factory=list)

    @property
    def late(self) -> int:
        """Late in all: answered after the deadline, or past it with no notice at all."""
        return self.answered_late + self.unanswered_past_deadline


# The report covers years the service can have data for; anything else is a typo.
REPORT_YEARS = range(2008, 2201)  # UU KIP is of 2008

_DECISION_FIELDS = {
    Decision.GRANTED: "granted",
    Decision.PARTIALLY_GRANTED: "partially_granted",
    Decision.REFUSED: "refused",
    Decision.NOT_HELD: "not_held",
    Decision.NOT_YET_DOCUMENTED: "not_yet_documented",
}


async def service_report(
    services: HasCalendar,
    year: int,
    agency_slug: str | None = None,
    *,
    now: datetime | None = None,
) -> ServiceReport:
    """Figures per agency (`agency_slug`) or for the whole regency (None), as of `now`."""
    if year not in REPORT_YEARS:
        raise BadUserInput(
            f"Tahun harus antara {REPORT_YEARS.start} dan {REPORT_YEARS.stop - 1}.",
            f"The year must be between {REPORT_YEARS.start} and {REPORT_YEARS.stop - 1}.",
            field="year",
        )
    calendar = services.calendar
    moment = now or utcnow()
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    async with services.database.session() as session:
        agency: Agency | None = None
        requests = select(InformationRequest).where(InformationRequest.registration_year == year)
        objections = select(Objection).where(Objection.registration_year == year)
        disputes = (
            select(Dispute)
            .join(InformationRequest, InformationRequest.id == Dispute.request_id)
            .where(Dispute.filed_on >= first_day, Dispute.filed_on <= last_day)
        )
        if agency_slug is not None:
            agency = (
                await session.execute(select(Agency).where(Agency.slug == agency_slug))
            ).scalar_one_or_none()
            if agency is None:
                raise not_found("Badan publik", "Public body", agency_slug, field="agency")
            requests = requests.where(InformationRequest.agency_id == agency.id)
            objections = objections.where(Objection.agency_id == agency.id)
            disputes = disputes.where(InformationRequest.agency_id == agency.id)
        cohort = list(
            (await session.execute(requests.order_by(InformationRequest.sequence))).scalars()
        )
        filed_objections = list((await session.execute(objections)).scalars())
        filed_disputes = list((await session.execute(disputes)).scalars())

    report = ServiceReport(year=year, agency=agency, requests_received=len(cohort))
    bases: Counter[str] = Counter()
    for request in cohort:
        line = _request_line(request, calendar, moment)
        report.lines.append(line)
        _count_request(report, request, line, bases)
    answered = [line.working_days for line in report.lines if line.working_days is not None]
    if answered:
        report.average_working_days_to_answer = round(sum(answered) / len(answered), 2)
    report.refusals_by_basis = [(basis, bases[basis]) for basis in EXEMPTION_BASES if bases[basis]]

    report.objections = len(filed_objections)
    outcomes = Counter(objection.outcome for objection in filed_objections)
    report.objections_upheld = outcomes[ObjectionOutcome.UPHELD.value]
    report.objections_rejected = outcomes[ObjectionOutcome.REJECTED.value]
    report.objections_pending = outcomes[None]

    report.disputes = len(filed_disputes)
    decided = Counter(d.outcome for d in filed_disputes if d.decided_on is not None)
    report.disputes_decided = sum(decided.values())
    report.disputes_by_outcome = [
        (outcome.value, decided[outcome.value])
        for outcome in DisputeOutcome
        if decided[outcome.value]
    ]
    return report


async def report_years(services: HasDatabase) -> list[int]:
    """The years some request was received in (newest first): the years a report has data."""
    async with services.database.session() as session:
        years = await session.scalars(
            select(InformationRequest.registration_year)
            .distinct()
            .order_by(InformationRequest.registration_year.desc())
        )
        return [int(year) for year in years]


def _request_line(
    request: InformationRequest, calendar: WorkingCalendar, now: datetime
) -> RequestLine:
    answered_on = request.answered_on
    if answered_on is not None:
        working_days: int | None = calendar.working_days_between(request.received_on, answered_on)
        late = request.answered_late
    else:
        working_days = None
        late = request.withdrawn_at is None and is_past(request.answer_due_on, now)
    return RequestLine(
        registration_number=request.registration_number,
        received_on=request.received_on,
        decision=request.decision,
        answered_on=answered_on,
        working_days=working_days,
        late=late,
        exemptions=tuple(request.exemptions_cited or ()),
        fee_amount=request.fee_amount or 0,
        delivered_on=request.delivered_on,
        withdrawn=request.withdrawn_at is not None,
    )


def _count_request(
    report: ServiceReport, request: InformationRequest, line: RequestLine, bases: Counter[str]
) -> None:
    if request.decision is not None:
        name = _DECISION_FIELDS[Decision(request.decision)]
        setattr(report, name, getattr(report, name) + 1)
        bases.update(line.exemptions)
        report.answered_late += line.late
    elif line.withdrawn:
        report.withdrawn += 1
    else:
        report.pending += 1
        report.unanswered_past_deadline += line.late
    if line.fee_amount:
        report.fees_charged += 1
        report.fees_total += line.fee_amount
    if line.delivered_on is not None:
        report.fulfilled += 1
