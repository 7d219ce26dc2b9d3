"""The annual service report (laporan layanan informasi publik) as GraphQL types."""

from __future__ import annotations

from datetime import date

import strawberry

from opendata.copying import copied
from opendata.information_requests.report import RequestLine, ServiceReport
from opendata.schema.catalogue import AgencyType
from opendata.schema.enums import DisputeOutcome, ExemptionBasis, RequestDecision
from opendata.schema.report_narrative import ReportNarrativeType
from opendata.statute import Articles


@strawberry.type
class BasisCount:
    basis: ExemptionBasis
    count: int


@strawberry.type
class DisputeOutcomeCount:
    outcome: DisputeOutcome
    count: int


@strawberry.type
class CourtOutcomeCount:
    outcome: str = strawberry.field(description="The outcome as the court step recorded it.")
    count: int


@strawberry.type(name="ServiceReportLine")
class ServiceReportLineType:
    registration_number: str
    received_on: date
    decision: RequestDecision | None
    answered_on: date | None
    working_days: int | None = strawberry.field(
        description="Working days from receipt to the written notice."
    )
    late: bool = strawberry.field(
        description="Answered after the deadline, or past it with no notice."
    )
    fee_amount: int
    delivered_on: date | None
    withdrawn: bool
    working_days_to_fulfil: int | None = strawberry.field(
        description="Working days from receipt to the day the information was given."
    )

    @classmethod
    def from_domain(cls, line: RequestLine) -> ServiceReportLineType:
        return copied(cls, line, decision=RequestDecision(line.decision) if line.decision else None)


@strawberry.type(name="ServiceReport")
class ServiceReportType:
    _report: strawberry.Private[ServiceReport]
    year: int
    requests_received: int
    granted: int
    partially_granted: int
    refused: int
    not_held: int
    not_yet_documented: int
    withdrawn: int
    pending: int
    average_working_days_to_answer: float | None = strawberry.field(
        description="Mean working days from receipt to written notice, over answered requests."
    )
    answered_late: int
    unanswered_past_deadline: int = strawberry.field(
        description="Requests past their deadline with no written notice at all."
    )
    late: int = strawberry.field(description="answeredLate + unansweredPastDeadline.")
    refusals_by_basis: list[BasisCount]
    fees_charged: int = strawberry.field(description="Requests for which a fee was charged.")
    fees_total: int = strawberry.field(description="Rupiah.")
    fulfilled: int
    objections: int = strawberry.field(description="Objections filed in the year.")
    objections_upheld: int
    objections_rejected: int
    objections_pending: int
    disputes: int = strawberry.field(description="Disputes filed in the year.")
    disputes_decided: int
    disputes_by_outcome: list[DisputeOutcomeCount]
    lines: list[ServiceReportLineType] = strawberry.field(
        description="The year's requests one by one, with the working days each took."
    )
    # Perki 1/2021 Pasal 56: the figures added for its items, and the "as of" day
    as_of: date = strawberry.field(description="The day (regency time) the figures were counted.")
    final: bool = strawberry.field(
        description="Counted after the year ended; false: the running year, provisional."
    )
    due_by: date = strawberry.field(
        description=f"The day the report must be ready ({Articles.REPORT_DUE})."
    )
    on_time: int = strawberry.field(description="Answered within the (extended) deadline.")
    on_time_rate: float | None = strawberry.field(
        description="onTime / (answered + unansweredPastDeadline): an overdue request with no "
        "notice counts as late."
    )
    average_working_days_to_fulfil: float | None = strawberry.field(
        description="Mean working days from receipt to the day the information was given."
    )
    objections_lapsed: int = strawberry.field(
        description="Of the unanswered objections: past the superior's deadline."
    )
    objections_implemented: int = strawberry.field(
        description="Upheld objections after which the information was given."
    )
    objections_not_implemented: int
    disputes_ordering_disclosure: int
    disputes_implemented: int = strawberry.field(
        description="Decisions ordering disclosure after which the information was given."
    )
    court_cases: int = strawberry.field(description="Court cases filed in the year.")
    court_cases_decided: int
    court_cases_by_outcome: list[CourtOutcomeCount]
    narrative: ReportNarrativeType = strawberry.field(
        description="The narrative parts an admin wrote (a, b, e and f of "
        f"{Articles.REPORT_CONTENT})."
    )

    @strawberry.field
    def agency(self) -> AgencyType | None:
        agency = self._report.agency
        return AgencyType.from_model(agency) if agency else None

    @classmethod
    def from_domain(cls, report: ServiceReport) -> ServiceReportType:
        return copied(
            cls,
            report,
            _report=report,
            refusals_by_basis=[
                BasisCount(basis=ExemptionBasis(basis), count=count)
                for basis, count in report.refusals_by_basis
            ],
            disputes_by_outcome=[
                DisputeOutcomeCount(outcome=DisputeOutcome(outcome), count=count)
                for outcome, count in report.disputes_by_outcome
            ],
            lines=[ServiceReportLineType.from_domain(line) for line in report.lines],
            court_cases_by_outcome=[
                CourtOutcomeCount(outcome=o, count=n) for o, n in report.court_cases_by_outcome
            ],
            narrative=ReportNarrativeType.from_domain(report.narrative),
        )
