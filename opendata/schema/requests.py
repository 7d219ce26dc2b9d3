"""GraphQL types of the request half of the contract: declarative, resolving via resolvers."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.file_uploads import Upload

from opendata.attachments import steps as attachment_steps
from opendata.information_requests import service as domain
from opendata.information_requests.deadlines import DeadlineView, current_deadline
from opendata.information_requests.models import (
    Dispute,
    InformationRequest,
    Objection,
    RequestEvent,
)
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.queries import RequestFilter
from opendata.information_requests.report import RequestLine, ServiceReport
from opendata.information_requests.rules import ClockKind
from opendata.information_requests.service import FilingForm, RequesterDetails
from opendata.public_ids import to_global_id
from opendata.resolvers import attachments as resolve_attachments
from opendata.resolvers import catalogue as resolve_catalogue
from opendata.resolvers import requests as resolve
from opendata.schema.attachments import AttachmentType, attachments_field
from opendata.schema.catalogue import (
    AgencyType,
    Node,
    PageInfo,
    offset_connection,
)
from opendata.schema.enums import (
    DeliveryForm,
    DisputeOutcome,
    ExemptionBasis,
    ExpectedParty,
    ObjectionGround,
    ObjectionOutcome,
    ReceivedVia,
    RequestAction,
    RequestDecision,
    RequestStatus,
    Role,
)
from opendata.schema.info import Info
from opendata.schema.node_registry import register_node
from opendata.schema.paging import page_size


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
    status: RequestStatus
    note: str | None
    actor_role: Role | None
    action: str = strawberry.field(
        description="The step (FILE, ANSWER, ...) or CALENDAR_CHANGE when a calendar change "
        "moved a running deadline."
    )

    @classmethod
    def from_model(cls, event: RequestEvent) -> RequestEventType:
        return cls(
            at=event.at,
            status=RequestStatus(event.status),
            note=event.note,
            actor_role=Role(event.actor_role) if event.actor_role else None,
            action=event.action,
        )


@strawberry.type(name="Objection")
class ObjectionType:
    registration_number: str = strawberry.field(
        description="Its own number in the objection register."
    )
    grounds: list[ObjectionGround]
    reason: str
    filed_at: datetime
    due_on: date
    outcome: ObjectionOutcome | None
    answer: str | None
    answered_at: datetime | None

    @classmethod
    def from_model(cls, objection: Objection) -> ObjectionType:
        return cls(
            registration_number=objection.registration_number,
            grounds=[ObjectionGround(ground) for ground in objection.grounds],
            reason=objection.reason,
            filed_at=objection.filed_at,
            due_on=objection.due_on,
            outcome=ObjectionOutcome(objection.outcome) if objection.outcome else None,
            answer=objection.answer,
            answered_at=objection.answered_at,
        )


@strawberry.type(name="Dispute")
class DisputeType:
    _request_id: strawberry.Private[int]
    filed_on: date
    case_number: str | None
    outcome: DisputeOutcome | None
    summary: str | None
    decided_on: date | None

    @classmethod
    def from_model(cls, dispute: Dispute) -> DisputeType:
        return cls(
            _request_id=dispute.request_id,
            filed_on=dispute.filed_on,
            case_number=dispute.case_number,
            outcome=DisputeOutcome(dispute.outcome) if dispute.outcome else None,
            summary=dispute.summary,
            decided_on=dispute.decided_on,
        )

    @strawberry.field(
        description="The last working day to take the decision to court (Pasal 47-48: 14 "
        "working days)."
    )
    async def court_appeal_due_on(self, info: Info) -> date | None:
        clocks = await resolve.clocks_of(info.context, self._request_id)
        court = [clock for clock in clocks if clock.kind == ClockKind.COURT_FILING.value]
        return court[-1].due_on if court else None


@strawberry.type
class Fee:
    amount: int = strawberry.field(description="Rupiah.")
    basis: str


@strawberry.type(name="InformationRequest")
class InformationRequestType(Node):
    _model: strawberry.Private[InformationRequest]
    id: strawberry.ID
    registration_number: str
    information_requested: str
    purpose: str
    delivery_form: DeliveryForm
    status: RequestStatus
    decision: RequestDecision | None
    received_at: datetime
    extended: bool
    extension_reason: str | None
    answer: str | None
    answered_at: datetime | None
    answered_late: bool
    exemptions_cited: list[ExemptionBasis]
    consequence_test: str | None
    exemption_expires_on: date | None = strawberry.field(
        description="Refusals under 17a-17f: until when the information stays withheld (Pasal 20)."
    )
    decision_reference: str | None = strawberry.field(
        description="The PPID's decision (SK PPID) behind a refusal."
    )
    fee: Fee | None = strawberry.field(
        description="The fee charged for copies or delivery (Pasal 21 and 35(1)(f)); null when "
        "nothing is charged."
    )
    held_by: str | None = strawberry.field(
        description="NOT_HELD: the body that holds the information, where known (Pasal 22(7)(c))."
    )
    expected_on: date | None = strawberry.field(
        description="NOT_YET_DOCUMENTED: when the information is expected to exist."
    )
    delivered_on: date | None = strawberry.field(
        description="The day the information was actually given (recordFulfilment)."
    )
    delivered_form: DeliveryForm | None = strawberry.field(
        description="The form in which it was given (recordFulfilment)."
    )

    @classmethod
    def from_model(cls, model: InformationRequest) -> InformationRequestType:
        return cls(
            _model=model,
            id=strawberry.ID(to_global_id("InformationRequest", model.id)),
            registration_number=model.registration_number,
            information_requested=model.information_requested,
            purpose=model.purpose,
            delivery_form=DeliveryForm(model.delivery_form),
            status=RequestStatus(model.status),
            decision=RequestDecision(model.decision) if model.decision else None,
            received_at=model.received_at,
            extended=model.extended,
            extension_reason=model.extension_reason,
            answer=model.answer,
            answered_at=model.answered_at,
            answered_late=model.answered_late,
            exemptions_cited=[ExemptionBasis(basis) for basis in model.exemptions_cited],
            consequence_test=model.consequence_test,
            exemption_expires_on=model.exemption_expires_on,
            decision_reference=model.decision_reference,
            fee=Fee(amount=model.fee_amount, basis=model.fee_basis or "")
            if model.fee_amount
            else None,
            held_by=model.held_by,
            expected_on=model.expected_on,
            delivered_on=model.delivered_on,
            delivered_form=DeliveryForm(model.delivered_form) if model.delivered_form else None,
        )

    @classmethod
    def build(cls, info: Info, model: InformationRequest) -> InformationRequestType:
        return cls.from_model(model)

    async def _deadline(self, info: Info) -> DeadlineView:
        clocks = await resolve.clocks_of(info.context, self._model.id)
        return current_deadline(clocks, resolve.calendar_of(info.context), resolve.now())

    @strawberry.field(
        description="The last working day on which the party now expected to act may do so."
    )
    async def due_on(self, info: Info) -> date | None:
        return (await self._deadline(info)).due_on

    @strawberry.field(description="0 on the due day, negative when overdue.")
    async def working_days_left(self, info: Info) -> int | None:
        return (await self._deadline(info)).working_days_left

    @strawberry.field
    async def overdue(self, info: Info) -> bool:
        return (await self._deadline(info)).overdue

    @strawberry.field(description="Who is expected to act by `dueOn`.")
    async def expected_party(self, info: Info) -> ExpectedParty | None:
        return (await self._deadline(info)).party

    @strawberry.field
    async def agency(self, info: Info) -> AgencyType:
        agency = await resolve_catalogue.agency_by_id(info.context, self._model.agency_id)
        assert agency is not None  # foreign key
        return AgencyType.from_model(agency)

    @strawberry.field(
        description="The latest objection; `objections` holds them all, oldest first."
    )
    async def objection(self, info: Info) -> ObjectionType | None:
        objection = await resolve.objection_of(info.context, self._model.id)
        return ObjectionType.from_model(objection) if objection else None

    @strawberry.field
    async def objections(self, info: Info) -> list[ObjectionType]:
        objections = await resolve.objections_of(info.context, self._model.id)
        return [ObjectionType.from_model(objection) for objection in objections]

    @strawberry.field
    async def dispute(self, info: Info) -> DisputeType | None:
        dispute = await resolve.dispute_of(info.context, self._model.id)
        return DisputeType.from_model(dispute) if dispute else None

    @strawberry.field
    async def timeline(self, info: Info) -> list[RequestEventType]:
        events = await resolve.timeline_of(info.context, self._model.id)
        return [RequestEventType.from_model(event) for event in events]

    @strawberry.field(description="Public documents to all; others to the requester and staff.")
    async def attachments(self, info: Info) -> list[AttachmentType]:
        return await attachments_field(info, self._model.id)

    @strawberry.field(
        description="The steps the viewer may take now (for buttons); empty for anonymous "
        "viewers. The same table the mutations check."
    )
    async def allowed_actions(self, info: Info) -> list[RequestAction]:
        return await resolve.allowed_actions_on(info.context, self._model)

    @strawberry.field(
        description="The objection grounds (Pasal 35(1)) the requester may raise now: arisen, "
        "not raised before, window open."
    )
    async def open_objection_grounds(self, info: Info) -> list[ObjectionGround]:
        record = await resolve.record_of(info.context, self._model)
        return record.open_grounds(resolve.calendar_of(info.context), resolve.now())

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
    model = await resolve.request_by_id(info.context, pk)
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
    window, page, total = await resolve.register_page(
        info.context, request_filter, first, after, kind
    )
    nodes = (InformationRequestType.build(info, request) for request in page)
    return offset_connection(
        InformationRequestConnection, InformationRequestEdge, window, nodes, total
    )


@strawberry.input(name="RequestFilter")
class RequestFilterInput:
    agency: str | None = None
    status: list[RequestStatus] | None = None
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
    delivery_form: DeliveryForm
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
    received_via: ReceivedVia | None = strawberry.field(
        default=None, description="Officers only: walk-in, letter, e-mail or phone."
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
            received_via=self.received_via.value if self.received_via else None,
        )


@strawberry.input
class FeeInput:
    amount: int = strawberry.field(description="Rupiah; copies and delivery only (Pasal 21).")
    basis: str


@strawberry.input
class AnswerRequestInput:
    id: strawberry.ID
    decision: RequestDecision
    answer: str
    exemptions: list[ExemptionBasis] | None = None
    consequence_test: str | None = None
    exemption_expires_on: date | None = strawberry.field(
        default=None,
        description="Refusals under 17a-17f: how long the information stays withheld, and the "
        "PPID's decision reference.",
    )
    decision_reference: str | None = None
    fee: FeeInput | None = None
    held_by: str | None = None
    expected_on: date | None = None
    attachments: list[Upload] | None = strawberry.field(
        default=None,
        description="Documents given with the notice (multipart upload); stored in the same "
        "transaction as the answer, readable by the requester and the agency's staff.",
    )

    def to_domain(self) -> dict[str, object]:
        fee = self.fee
        return {
            "decision": self.decision.value,
            "answer": self.answer,
            "exemptions": [basis.value for basis in self.exemptions or ()],
            "consequence_test": self.consequence_test,
            "exemption_expires_on": self.exemption_expires_on,
            "decision_reference": self.decision_reference,
            "fee": domain.Fee(fee.amount, fee.basis) if fee else None,
            "held_by": self.held_by,
            "expected_on": self.expected_on,
        }


@strawberry.input
class RecordFulfilmentInput:
    request_id: strawberry.ID
    delivered_on: date
    form: DeliveryForm
    note: str | None = None


@strawberry.input
class FileObjectionInput:
    request_id: strawberry.ID
    grounds: list[ObjectionGround]
    reason: str


@strawberry.input
class AnswerObjectionInput:
    request_id: strawberry.ID
    outcome: ObjectionOutcome
    answer: str
    objection_number: str | None = strawberry.field(
        default=None,
        description="Which pending objection (its register number); the oldest pending one "
        "when not given.",
    )
    fulfil_by: date | None = strawberry.field(
        default=None,
        description="UPHELD: the day by which the PPID must give the information; 10 working "
        "days from the answer when not given.",
    )


@strawberry.input
class RecordDisputeInput:
    request_id: strawberry.ID
    filed_on: date
    case_number: str | None = None


@strawberry.input
class RecordDisputeOutcomeInput:
    request_id: strawberry.ID
    outcome: DisputeOutcome
    summary: str | None = None
    decided_on: date


@strawberry.type
class BasisCount:
    basis: ExemptionBasis
    count: int


@strawberry.type
class DisputeOutcomeCount:
    outcome: DisputeOutcome
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

    @classmethod
    def from_domain(cls, line: RequestLine) -> ServiceReportLineType:
        return cls(
            registration_number=line.registration_number,
            received_on=line.received_on,
            decision=RequestDecision(line.decision) if line.decision else None,
            answered_on=line.answered_on,
            working_days=line.working_days,
            late=line.late,
            fee_amount=line.fee_amount,
            delivered_on=line.delivered_on,
            withdrawn=line.withdrawn,
        )


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
            unanswered_past_deadline=report.unanswered_past_deadline,
            late=report.late,
            refusals_by_basis=[
                BasisCount(basis=ExemptionBasis(basis), count=count)
                for basis, count in report.refusals_by_basis
            ],
            fees_charged=report.fees_charged,
            fees_total=report.fees_total,
            fulfilled=report.fulfilled,
            objections=report.objections,
            objections_upheld=report.objections_upheld,
            objections_rejected=report.objections_rejected,
            objections_pending=report.objections_pending,
            disputes=report.disputes,
            disputes_decided=report.disputes_decided,
            disputes_by_outcome=[
                DisputeOutcomeCount(outcome=DisputeOutcome(outcome), count=count)
                for outcome, count in report.disputes_by_outcome
            ],
            lines=[ServiceReportLineType.from_domain(line) for line in report.lines],
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
        model = await resolve.request_by_number(info.context, registration_number)
        return InformationRequestType.build(info, model) if model else None

    @strawberry.field(
        description="The annual public-information service report (laporan layanan "
        "informasi publik)."
    )
    async def service_report(
        self, info: Info, year: int, agency: str | None = None
    ) -> ServiceReportType:
        return ServiceReportType.from_domain(await resolve.report(info.context, year, agency))

    @strawberry.field(
        description="Working-day arithmetic on the official calendar (weekends, national "
        "holidays, cuti bersama): day 1 is the first working day after `start`."
    )
    def add_working_days(self, info: Info, start: date, days: int) -> date:
        return resolve.add_working_days(info.context, start, days)

    @strawberry.field
    def is_working_day(self, info: Info, date: date) -> bool:
        return resolve.is_working_day(info.context, date)


@strawberry.type
class RequestsMutation:
    @strawberry.mutation(
        description="A requester files for themself; an officer registers a walk-in, letter or "
        "email request for its agency and may give `receivedAt`."
    )
    async def file_information_request(
        self, info: Info, input: FileRequestInput
    ) -> InformationRequestType:
        return InformationRequestType.build(
            info, await resolve.file(info.context, input.to_domain())
        )

    @strawberry.mutation(
        description="Once per request, before the first deadline passes, with a written "
        "reason: +7 working days."
    )
    async def extend_information_request(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> InformationRequestType:
        model = await resolve.step(
            info.context, domain.extend_request, str(id), "id", reason=reason
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="The written notice (pemberitahuan tertulis). REFUSED and PARTIALLY_GRANTED "
        "must cite exemption bases and a consequence test."
    )
    async def answer_information_request(
        self, info: Info, input: AnswerRequestInput
    ) -> InformationRequestType:
        model = await resolve.step(
            info.context,
            attachment_steps.answer_request,
            str(input.id),
            "id",
            attachments=await resolve_attachments.uploaded(input.attachments or []),
            **input.to_domain(),
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation
    async def withdraw_information_request(
        self, info: Info, id: strawberry.ID
    ) -> InformationRequestType:
        model = await resolve.step(info.context, domain.withdraw_request, str(id), "id")
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="The requester's objection (keberatan) to the PPID's superior."
    )
    async def file_objection(self, info: Info, input: FileObjectionInput) -> InformationRequestType:
        model = await resolve.step(
            info.context,
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
            info.context,
            domain.answer_objection,
            str(input.request_id),
            "requestId",
            outcome=input.outcome.value,
            answer=input.answer,
            objection_number=input.objection_number,
            fulfil_by=input.fulfil_by,
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="An officer records that the requester took the case to the Information "
        "Commission, and later its outcome."
    )
    async def record_dispute(self, info: Info, input: RecordDisputeInput) -> InformationRequestType:
        model = await resolve.step(
            info.context,
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
            info.context,
            domain.record_dispute_outcome,
            str(input.request_id),
            "requestId",
            outcome=input.outcome.value,
            summary=input.summary,
            decided_on=input.decided_on,
        )
        return InformationRequestType.build(info, model)

    @strawberry.mutation(
        description="The PPID records that the information was actually given: after a GRANTED "
        "or PARTIALLY_GRANTED notice, an UPHELD objection, or a Commission decision that "
        "orders it."
    )
    async def record_fulfilment(
        self, info: Info, input: RecordFulfilmentInput
    ) -> InformationRequestType:
        model = await resolve.step(
            info.context,
            attachment_steps.record_fulfilment,
            str(input.request_id),
            "requestId",
            delivered_on=input.delivered_on,
            form=input.form.value,
            note=input.note,
        )
        return InformationRequestType.build(info, model)
