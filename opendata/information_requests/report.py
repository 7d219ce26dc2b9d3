"""The annual service report (laporan layanan informasi publik; Perki 1/2021 Pasal 56, kip-rules
§5).

Per agency and for the whole regency, as of a moment (`as_of`: the running year's figures are
provisional). The requests counted are those received in the year (regency time), each with
the working days to its notice and to its fulfilment; the late count and the on-time rate
include requests past their deadline with no notice at all. Objections, disputes and court
cases are counted in the year they were filed, whatever the year of their request, with their
outcomes and whether an order to give the information was carried out. Received requests
split exactly into answered (by decision), withdrawn before any answer, and pending. The
narrative parts of Pasal 56(2) are what an admin wrote (`report_narrative`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from opendata.calendar import WorkingCalendar, is_past, regency_date
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.errors import not_found
from opendata.information_requests.court import court_cases
from opendata.information_requests.models import (
    CourtCase,
    Dispute,
    InformationRequest,
    Objection,
)
from opendata.information_requests.objection_register import implemented_on
from opendata.information_requests.report_narrative import Narrative, narrative_of
from opendata.information_requests.report_year import check_year
from opendata.information_requests.rules import (
    DISPUTE_OUTCOMES_ORDERING_DISCLOSURE,
    EXEMPTION_BASES,
    Decision,
    DisputeOutcome,
    ObjectionOutcome,
)
from opendata.parts import HasCalendar, HasDatabase
from opendata.regency_time import regency_today

# Perki 1/2021 Pasal 56(1): the report is ready within 3 months after the budget year ends.
REPORT_DUE_MONTH, REPORT_DUE_DAY = 3, 31


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
    # receipt to the day the information was given (Pasal 56(2)(c)(2)); None until given
    working_days_to_fulfil: int | None = None


@dataclass
class ServiceReport:
    year: int
    agency: Agency | None
    # the regency day the figures were counted on (today, for a report built by hand)
    as_of: date = field(default_factory=regency_today)
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
    average_working_days_to_fulfil: float | None = None
    objections: int = 0  # filed in the year
    objections_upheld: int = 0
    objections_rejected: int = 0
    objections_pending: int = 0
    # of the pending: the superior's 30 working days ran out unanswered
    objections_lapsed: int = 0
    # of the upheld: the information given on or after the answer, or not yet
    objections_implemented: int = 0
    objections_not_implemented: int = 0
    disputes: int = 0  # filed with the Commission in the year
    disputes_decided: int = 0
    disputes_by_outcome: list[tuple[str, int]] = field(default_factory=list)
    # of the decided: those ordering the information given, and of them carried out
    disputes_ordering_disclosure: int = 0
    disputes_implemented: int = 0
    court_cases: int = 0  # filed in the year (court.py records the court steps)
    court_cases_decided: int = 0
    court_cases_by_outcome: list[tuple[str, int]] = field(default_factory=list)
    narrative: Narrative = field(default_factory=Narrative)
    lines: list[RequestLine] = field(default_factory=list)

    @property
    def late(self) -> int:
        """Late in all: answered after the deadline, or past it with no notice at all."""
        return self.answered_late + self.unanswered_past_deadline

    @property
    def answered(self) -> int:
        return (
            self.granted
            + self.partially_granted
            + self.refused
            + self.not_held
            + self.not_yet_documented
        )

    @property
    def on_time(self) -> int:
        """Answered within the (extended) deadline."""
        return self.answered - self.answered_late

    @property
    def on_time_rate(self) -> float | None:
        """On time over every request whose deadline has come: the answered ones and those
        past their deadline with no notice (an overdue request is late, not left out)."""
        due = self.answered + self.unanswered_past_deadline
        return round(self.on_time / due, 4) if due else None

    @property
    def final(self) -> bool:
        """Counted after the year ended; before, every figure is provisional."""
        return self.as_of > date(self.year, 12, 31)

    @property
    def due_by(self) -> date:
        """The day the report must be ready (Perki 1/2021 Pasal 56(1))."""
        return date(self.year + 1, REPORT_DUE_MONTH, REPORT_DUE_DAY)


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
    check_year(year)
    calendar = services.calendar
    moment = now or utcnow()
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    async with services.database.session() as session:
        agency: Agency | None = None
        requests = select(InformationRequest).where(InformationRequest.registration_year == year)
        objections = select(Objection, InformationRequest.delivered_on).join(
            InformationRequest, InformationRequest.id == Objection.request_id
        )
        objections = objections.where(Objection.registration_year == year)
        disputes = (
            select(Dispute, InformationRequest.delivered_on)
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
        filed_objections = [(o, on) for o, on in await session.execute(objections)]
        filed_disputes = [(d, on) for d, on in await session.execute(disputes)]
        agency_id = agency.id if agency else None
        cases = [case for case, _, _ in await court_cases(session, agency_id=agency_id)]
        narrative = await narrative_of(session, year, agency_id)

    report = ServiceReport(
        year=year,
        agency=agency,
        as_of=regency_date(moment),
        requests_received=len(cohort),
        narrative=narrative,
    )
    bases: Counter[str] = Counter()
    for request in cohort:
        line = _request_line(request, calendar, moment)
        report.lines.append(line)
        _count_request(report, request, line, bases)
    report.average_working_days_to_answer = _average(line.working_days for line in report.lines)
    report.average_working_days_to_fulfil = _average(
        line.working_days_to_fulfil for line in report.lines
    )
    report.refusals_by_basis = [(basis, bases[basis]) for basis in EXEMPTION_BASES if bases[basis]]
    _count_objections(report, filed_objections, moment)
    _count_disputes(report, filed_disputes)
    _count_court_cases(report, cases, first_day, last_day)
    return report


def _average(values: Iterable[int | None]) -> float | None:
    given = [value for value in values if value is not None]
    return round(sum(given) / len(given), 2) if given else None


def _count_objections(
    report: ServiceReport, filed: list[tuple[Objection, date | None]], now: datetime
) -> None:
    report.objections = len(filed)
    outcomes = Counter(objection.outcome for objection, _ in filed)
    report.objections_upheld = outcomes[ObjectionOutcome.UPHELD.value]
    report.objections_rejected = outcomes[ObjectionOutcome.REJECTED.value]
    report.objections_pending = outcomes[None]
    report.objections_lapsed = sum(
        objection.outcome is None and is_past(objection.due_on, now) for objection, _ in filed
    )
    carried_out = [
        implemented_on(objection, delivered_on) is not None
        for objection, delivered_on in filed
        if objection.outcome == ObjectionOutcome.UPHELD.value
    ]
    report.objections_implemented = sum(carried_out)
    report.objections_not_implemented = len(carried_out) - sum(carried_out)


def _count_disputes(report: ServiceReport, filed: list[tuple[Dispute, date | None]]) -> None:
    report.disputes = len(filed)
    decided = [(d, delivered) for d, delivered in filed if d.decided_on is not None]
    outcomes = Counter(dispute.outcome for dispute, _ in decided)
    report.disputes_decided = len(decided)
    report.disputes_by_outcome = [
        (outcome.value, outcomes[outcome.value])
        for outcome in DisputeOutcome
        if outcomes[outcome.value]
    ]
    ordering = [
        (dispute, delivered)
        for dispute, delivered in decided
        if dispute.outcome is not None
        and DisputeOutcome(dispute.outcome) in DISPUTE_OUTCOMES_ORDERING_DISCLOSURE
    ]
    report.disputes_ordering_disclosure = len(ordering)
    report.disputes_implemented = sum(
        delivered is not None and dispute.decided_on is not None and delivered >= dispute.decided_on
        for dispute, delivered in ordering
    )


def _count_court_cases(
    report: ServiceReport, cases: list[CourtCase], first_day: date, last_day: date
) -> None:
    in_year = [case for case in cases if first_day <= case.filed_on <= last_day]
    report.court_cases = len(in_year)
    outcomes = Counter(case.outcome for case in in_year if case.outcome is not None)
    report.court_cases_decided = sum(outcomes.values())
    report.court_cases_by_outcome = sorted(outcomes.items())


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
    delivered_on = request.delivered_on
    return RequestLine(
        registration_number=request.registration_number,
        received_on=request.received_on,
        decision=request.decision,
        answered_on=answered_on,
        working_days=working_days,
        late=late,
        exemptions=tuple(request.exemptions_cited or ()),
        fee_amount=request.fee_amount or 0,
        delivered_on=delivered_on,
        withdrawn=request.withdrawn_at is not None,
        working_days_to_fulfil=(
            calendar.working_days_between(request.received_on, delivered_on)
            if delivered_on is not None
            else None
        ),
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
