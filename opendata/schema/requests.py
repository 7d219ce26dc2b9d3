"""GraphQL types of the request half of the contract: declarative, resolving via resolvers."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry

from opendata.calendar import WorkingCalendar
from opendata.information_requests import service as domain
from opendata.information_requests.deadlines import DeadlineView, deadline_view
from opendata.information_requests.models import (
    Dispute,
    InformationRequest,
    Objection,
    RequestEvent,
)
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.queries import RequestFilter
from opendata.information_requests.report import ServiceReport
from opendata.information_requests.service import FilingForm, RequesterDetails
from opendata.resolvers import catalogue as resolve_catalogue
from opendata.resolvers import requests as resolve
from opendata.resolvers.context import Info
from opendata.resolvers.ids import to_global_id
from opendata.resolvers.nodes import register_node
from opendata.schema.accounts import RoleEnum
from opendata.schema.attachments import AttachmentType, attachments_field
from opendata.schema.catalogue import (
    AgencyType,
    ExemptionBasis,
    Node,
    PageInfo,
    offset_connection,
)
from opendata.schema.paging import page_size


@strawberry.enum(name="RequestStatus")
class RequestStatusEnum(Enum):
    SUBMITTED = "SUBMITTED"
    EXTENDED = "EXTENDED"
    ANSWERED = "ANSWERED"
    WITHDRAWN = "WITHDRAWN"
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_ANSWERED = "OBJECTION_ANSWERED"
    DISPUTE_FILED = "DISPUTE_FILED"
    DISPUTE_DECIDED = "DISPUTE_DECIDED"


@strawberry.enum(name="RequestDecision")
class RequestDecisionEnum(Enum):
    GRANTED = "GRANTED"
    PARTIALLY_GRANTED = "PARTIALLY_GRANTED"
    REFUSED = "REFUSED"
    NOT_HELD = "NOT_HELD"
    NOT_YET_DOCUMENTED = "NOT_YET_DOCUMENTED"


@strawberry.enum(name="DeliveryForm")
class DeliveryFormEnum(Enum):
    VIEW = "VIEW"
    SOFT_COPY = "SOFT_COPY"
    HARD_COPY = "HARD_COPY"


@strawberry.enum(name="ObjectionGround", description="UU KIP Pasal 35(1) letters a to g.")
class ObjectionGroundEnum(Enum):
    REFUSED_UNDER_EXEMPTION = "REFUSED_UNDER_EXEMPTION"
    PERIODIC_INFORMATION_NOT_PUBLISHED = "PERIODIC_INFORMATION_NOT_PUBLISHED"
    NOT_RESPONDED = "NOT_RESPONDED"
    RESPONDED_NOT_AS_REQUESTED = "RESPONDED_NOT_AS_REQUESTED"
    NOT_FULFILLED = "NOT_FULFILLED"
    UNREASONABLE_FEE = "UNREASONABLE_FEE"
    LATE_RESPONSE = "LATE_RESPONSE"


@strawberry.enum(name="ObjectionOutcome")
class ObjectionOutcomeEnum(Enum):
    UPHELD = "UPHELD"
    REJECTED = "REJECTED"


@strawberry.enum(
    name="ExpectedParty", description="Who is expected to act next on a request (`dueOn`)."
)
class ExpectedPartyEnum(Enum):
    OFFICER = "OFFICER"
    REQUESTER = "REQUESTER"
    SUPERIOR = "SUPERIOR"
    COMMISSION = "COMMISSION"


@strawberry.type
class Requester:
    name: str
    email: str | None
    phone: str | None
    address: str | None
    identity_number: str | None


@strawberry.type(name="RequestEvent")
class RequestEventType:
    at: datetime
    status: RequestStatusEnum
    note: str | None
    actor_role: RoleEnum | None

    @classmethod
    def from_model(cls, event: RequestEvent) -> RequestEventType:
        return cls(
            at=event.at,
            status=RequestStatusEnum(event.status),
            note=event.note,
            actor_role=RoleEnum(event.actor_role) if event.actor_role else None,
        )


@strawberry.type(name="Objection")
class ObjectionType:
    grounds: list[ObjectionGroundEnum]
    reason: str
    filed_at: datetime
    due_on: date
    outcome: ObjectionOutcomeEnum | None
    answer: str | None
    answered_at: datetime | None

    @classmethod
    def from_model(cls, objection: Objection) -> ObjectionType:
        return cls(
            grounds=[ObjectionGroundEnum(ground) for ground in objection.grounds],
            reason=objection.reason,
            filed_at=objection.filed_at,
            due_on=objection.due_on,
            outcome=ObjectionOutcomeEnum(objection.outcome) if objection.outcome else None,
            answer=objection.answer,
            answered_at=objection.answered_at,
        )


@strawberry.type(name="Dispute")
class DisputeType:
    filed_on: date
    case_number: str | None
    outcome: str | None
    decided_on: date | None

    @classmethod
    def from_model(cls, dispute: Dispute) -> DisputeType:
        return cls(
            filed_on=dispute.filed_on,
            case_number=dispute.case_number,
            outcome=dispute.outcome,
            decided_on=dispute.decided_on,
        )


@strawberry.type(name="InformationRequest")
class InformationRequestType(Node):
    _model: strawberry.Private[InformationRequest]
    _deadline: strawberry.Private[DeadlineView]
    id: strawberry.ID
    registration_number: str
    information_requested: str
    purpose: str
    delivery_form: DeliveryFormEnum
    status: RequestStatusEnum
    decision: RequestDecisionEnum | None
    received_at: datetime
    due_on: date | None = strawberry.field(
        description="The last working day on which the party now expected to act may do so."
    )
    working_days_left: int | None = strawberry.field(
        description="0 on the due day, negative when overdue."
    )
    overdue: bool
    expected_party: ExpectedPartyEnum | None = strawberry.field(
        description="Who is expected to act by `dueOn`."
    )
    extended: bool
    extension_reason: str | None
    answer: str | None
    answered_at: datetime | None
    answered_late: bool
    exemptions_cited: list[ExemptionBasis]
    consequence_test: str | None

    @classmethod
    def from_model(
        cls, model: InformationRequest, calendar: WorkingCalendar, now: datetime
    ) -> InformationRequestType:
        deadline = deadline_view(model.due_on, model.due_party, calendar, now)
        return cls(
            _model=model,
            _deadline=deadline,
            id=strawberry.ID(to_global_id("InformationRequest", model.id)),
            registration_number=model.registration_number,
            information_requested=model.information_requested,
            purpose=model.purpose,
            delivery_form=DeliveryFormEnum(model.delivery_form),
            status=RequestStatusEnum(model.status),
            decision=RequestDecisionEnum(model.decision) if model.decision else None,
            received_at=model.received_at,
            due_on=deadline.due_on,
            working_days_left=deadline.working_days_left,
            overdue=deadline.overdue,
            expected_party=ExpectedPartyEnum(deadline.party.value) if deadline.party else None,
            extended=model.extended,
            extension_reason=model.extension_reason,
            answer=model.answer,
            answered_at=model.answered_at,
            answered_late=model.answered_late,
            exemptions_cited=[ExemptionBasis(basis) for basis in model.exemptions_cited],
            consequence_test=model.consequence_test,
        )

    @classmethod
    def build(cls, info: Info, model: InformationRequest) -> InformationRequestType:
        return cls.from_model(model, resolve.calendar_of(info), resolve.now())

    @strawberry.field
    async def agency(self, info: Info) -> AgencyType:
        agency = await resolve_catalogue.agency_by_id(info, self._model.agency_id)
        assert agency is not None  # foreign key
        return AgencyType.from_model(agency)

    @strawberry.field
    async def objection(self, info: Info) -> ObjectionType | None:
        objection = await resolve.objection_of(info, self._model.id)
        return ObjectionType.from_model(objection) if objection else None

    @strawberry.field
    async def dispute(self, info: Info) -> DisputeType | None:
        dispute = await resolve.dispute_of(info, self._model.id)
        return DisputeType.from_model(dispute) if dispute else None

    @strawberry.field
    async def timeline(self, info: Info) -> list[RequestEventType]:
        events = await resolve.timeline_of(info, self._model.id)
        return [RequestEventType.from_model(event) for event in events]

    @strawberry.field(description="Public documents to all; others to the requester and staff.")
    async def attachments(self, info: Info) -> list[AttachmentType]:
        return await attachments_field(info, self._model.id)

    @strawberry.field(
        description="Only the requester themself and officers of the agency see this; "
        "everyone else gets null."
    )
    def requester(self, info: Info) -> Requester | None:
        if not can_see_requester(info.context.viewer, self._model):
            return None
        model = self._model
        return Requester(
            name=model.requester_name,
            email=model.requester_email,
            phone=model.requester_phone,
            address=model.requester_address,
            identity_number=model.requester_identity_number,
        )


@register_node("InformationRequest")
async def fetch_request(info: Info, pk: int) -> InformationRequestType | None:
    model = await resolve.request_by_id(info, pk)
    return InformationRequestType.build(info, model) if model else None


@strawberry.type
class InformationRequestEdge:
    cursor: str
    node: InformationRequestType


@strawberry.type
class InformationRequestConnection:
    total_count: int
    edges: list[InformationRequestEdge]
    page_info: PageInfo


async def request_connection(
    info: Info, request_filter: RequestFilter, first: int, after: str | None, kind: str
) -> InformationRequestConnection:
    window, page, total = await resolve.register_page(info, request_filter, first, after, kind)
    nodes = (InformationRequestType.build(info, request) for request in page)
    return offset_connection(
        InformationRequestConnection, InformationRequestEdge, window, nodes, total
    )


@strawberry.input(name="RequestFilter")
class RequestFilterInput:
    agency: str | None = None
    status: list[RequestStatusEnum] | None = None
    overdue: bool | None = None
    year: int | None = None

    def to_domain(self) -> RequestFilter:
        return RequestFilter(
            agency_slug=self.agency,
            statuses=tuple(status.value for status in self.status or ()),
            overdue=self.overdue,
            year=self.year,
        )


@strawberry.input
class RequesterInput:
    name: str
    identity_number: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@strawberry.input
class FileRequestInput:
    agency: str
    information_requested: str
    purpose: str
    delivery_form: DeliveryFormEnum
    requester: RequesterInput | None = strawberry.field(
        default=None,
        description="Officers: the person who came or wrote in. Requesters: their NIK, "
        "address and phone on a first request (the name is the account's).",
    )
    received_at: datetime | None = strawberry.field(
        default=None,
        description="Officers only: when a paper, walk-in or email request actually arrived. "
        "Defaults to now.",
    )

    def to_domain(self) -> FilingForm:
        given = self.requester
        return FilingForm(
            agency_slug=self.agency,
            information_requested=self.information_requested,
            purpose=self.purpose,
            delivery_form=self.delivery_form.value,
            requester=RequesterDetails(
                name=given.name,
                identity_number=given.identity_number,
                address=given.address,
                phone=given.phone,
                email=given.email,
            )
            if given
            else None,
            received_at=self.received_at,
        )


@strawberry.input
class AnswerRequestInput:
    id: strawberry.ID
    decision: RequestDecisionEnum
    answer: str
    exemptions: list[ExemptionBasis] | None = None
    consequence_test: str | None = None


@strawberry.input
class FileObjectionInput:
    request_id: strawberry.ID
    grounds: list[ObjectionGroundEnum]
    reason: str


@strawberry.input
class AnswerObjectionInput:
    request_id: strawberry.ID
    outcome: ObjectionOutcomeEnum
    answer: str


@strawberry.input
class RecordDisputeInput:
    request_id: strawberry.ID
    filed_on: date
    case_number: str | None = None


@strawberry.input
class RecordDisputeOutcomeInput:
    request_id: strawberry.ID
    outcome: str
    decided_on: date


@strawberry.type
class BasisCount:
    basis: ExemptionBasis
    count: int


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
    refusals_by_basis: list[BasisCount]
    objections: int
    objections_upheld: int
    objections_rejected: int
    disputes: int
    disputes_decided: int

    @strawberry.field
    def agency(self) -> AgencyType | None:
        agency = self._report.agency
        return AgencyType.from_model(agency) if agency else None

    @classmethod
    def from_domain(cls, report: ServiceReport) -> ServiceReportType:
        return cls(
            _report=report,
            year=report.year,
            requests_received=report.requests_received,
            granted=report.granted,
            partially_granted=report.partially_granted,
            refused=report.refused,
            not_held=report.not_held,
            not_yet_documented=report.not_yet_documented,
            withdrawn=report.withdrawn,
            pending=report.pending,
            average_working_days_to_answer=report.average_working_days_to_answer,
            answered_late=report.answered_late,
            refusals_by_basis=[
                BasisCount(basis=ExemptionBasis(basis), count=count)
                for basis, count in report.refusals_by_basis
            ],
            objections=report.objections,
            objections_upheld=report.objections_upheld,
            objections_rejected=report.objections_rejected,
            disputes=report.disputes,
            disputes_decided=report.disputes_decided,
        )


@strawberry.type
class RequestsQuery:
    @strawberry.field(
        description="The public register of requests (buku register). Personal data of "
        "requesters is never shown here."
    )
    async def information_requests(
        self,
        info: Info,
        filter: RequestFilterInput | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> InformationRequestConnection:
        request_filter = filter.to_domain() if filter else RequestFilter()
        return await request_connection(
            info, request_filter, page_size(info, first), after, "requests"
        )

    @strawberry.field
    async def information_request(
        self, info: Info, registration_number: str
    ) -> InformationRequestType | None:
        model = await resolve.request_by_number(info, registration_number)
        return InformationRequestType.build(info, model) if model else None

    @strawberry.field(
        description="The annual public-information service report (laporan layanan "
        "informasi publik)."
    )
    async def service_report(
        self, info: Info, year: int, agency: str | None = None
    ) -> ServiceReportType:
        return ServiceReportType.from_domain(await resolve.report(info, year, agency))

    @strawberry.field(
        description="Working-day arithmetic on the official calendar (weekends, national "
        "holidays, cuti bersama): day 1 is the first working day after `start`."
    )
    def add_working_days(self, info: Info, start: date, days: int) -> date:
        return resolve.add_working_days(info, start, days)

    @strawberry.field
    def is_working_day(self, info: Info, date: date) -> bool:
        return resolve.is_working_day(info, date)


@strawberry.type
class RequestsMutation:
    @strawberry.mutation(
        description="A requester files for themself; an officer registers a walk-in, letter or "
        "email request for its agency and may give `receivedAt`."
    )
    async def file_information_request(
        self, info: Info, input: FileRequestInput
    ) -> InformationRequestType:
        return InformationRequestType.build(info, await resolve.file(info, input.to_domain()))

    @strawberry.mutation(
        description="Once per request, before the first deadline passes, with a written "
        "reason: +7 working days."
    )
    async def extend_information_request(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> InformationRequestType:
        model = await resolve.step(info, domain.extend_request, str(id), "id", reason=reason)
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="The written notice (pemberitahuan tertulis). REFUSED and PARTIALLY_GRANTED "
        "must cite exemption bases and a consequence test."
    )
    async def answer_information_request(
        self, info: Info, input: AnswerRequestInput
    ) -> InformationRequestType:
        model = await resolve.step(
            info,
            domain.answer_request,
            str(input.id),
            "id",
            decision=input.decision.value,
            answer=input.answer,
            exemptions=[basis.value for basis in input.exemptions or ()],
            consequence_test=input.consequence_test,
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation
    async def withdraw_information_request(
        self, info: Info, id: strawberry.ID
    ) -> InformationRequestType:
        model = await resolve.step(info, domain.withdraw_request, str(id), "id")
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="The requester's objection (keberatan) to the PPID's superior."
    )
    async def file_objection(self, info: Info, input: FileObjectionInput) -> InformationRequestType:
        model = await resolve.step(
            info,
            domain.file_objection,
            str(input.request_id),
            "requestId",
            grounds=[ground.value for ground in input.grounds],
            reason=input.reason,
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation(description="The superior's (atasan PPID) written answer to an objection.")
    async def answer_objection(
        self, info: Info, input: AnswerObjectionInput
    ) -> InformationRequestType:
        model = await resolve.step(
            info,
            domain.answer_objection,
            str(input.request_id),
            "requestId",
            outcome=input.outcome.value,
            answer=input.answer,
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="An officer records that the requester took the case to the Information "
        "Commission, and later its outcome."
    )
    async def record_dispute(self, info: Info, input: RecordDisputeInput) -> InformationRequestType:
        model = await resolve.step(
            info,
            domain.record_dispute,
            str(input.request_id),
            "requestId",
            filed_on=input.filed_on,
            case_number=input.case_number,
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation
    async def record_dispute_outcome(
        self, info: Info, input: RecordDisputeOutcomeInput
    ) -> InformationRequestType:
        model = await resolve.step(
            info,
            domain.record_dispute_outcome,
            str(input.request_id),
            "requestId",
            outcome=input.outcome,
            decided_on=input.decided_on,
        )
        return InformationRequestType.build(info, model)
