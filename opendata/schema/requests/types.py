"""The request's GraphQL object types: the request itself, its events, objections, dispute,
and the connection the register pages through."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from opendata.copying import copied
from opendata.information_requests.deadlines import DeadlineView, current_deadline
from opendata.information_requests.due import open_windows
from opendata.information_requests.models import (
    CourtCase,
    Dispute,
    InformationRequest,
    Objection,
    RequestEvent,
)
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.queries import RequestFilter
from opendata.information_requests.rules import FEE_ARTICLE, ClockKind, Clocks
from opendata.information_requests.timeline import event_words, recorded_later
from opendata.resolvers import catalogue as resolve_catalogue
from opendata.resolvers import requests as resolve
from opendata.schema.attachments import AttachmentType, attachments_field
from opendata.schema.catalogue import AgencyType, Node
from opendata.schema.connection import Connection, Edge, offset_connection
from opendata.schema.enums import (
    CourtFiler,
    CourtOutcome,
    DeliveryForm,
    DisputeOutcome,
    ExemptionBasis,
    ExpectedParty,
    ObjectionGround,
    ObjectionOutcome,
    RequestAction,
    RequestDecision,
    RequestStatus,
    Role,
)
from opendata.schema.info import Info
from opendata.schema.node_registry import node_copied, register_node
from opendata.schema.requests.due import DueWindowType
from opendata.statute import Articles, objection_ground_article


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
    label: str = strawberry.field(
        description='What was done, in Indonesian ("Keberatan ditolak oleh atasan PPID"): the '
        "act, where `status` is the stage the request is in afterwards."
    )
    label_en: str = strawberry.field(description="`label` in English.")
    registered_at: datetime | None = strawberry.field(
        default=None,
        description="When an entry dated in the past (a paper request received earlier) was "
        "really entered; null when it was entered at `at`."
    )

    @classmethod
    def from_model(cls, event: RequestEvent) -> RequestEventType:
        label_id, label_en = event_words(event)
        return copied(
            cls,
            event,
            status=RequestStatus(event.status),
            actor_role=Role(event.actor_role) if event.actor_role else None,
            label=label_id,
            label_en=label_en,
            registered_at=recorded_later(event),
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
    revised_fee: int | None = strawberry.field(
        default=None,
        description="UPHELD on ground UNREASONABLE_FEE: the fee, in rupiah, the superior's "
        "answer set instead (0: none).",
    )

    @classmethod
    def from_model(cls, objection: Objection) -> ObjectionType:
        return copied(
            cls,
            objection,
            grounds=[ObjectionGround(ground) for ground in objection.grounds],
            outcome=ObjectionOutcome(objection.outcome) if objection.outcome else None,
        )


@strawberry.type(name="Dispute")
class DisputeType:
    _request_id: strawberry.Private[int]
    filed_on: date
    case_number: str | None
    outcome: DisputeOutcome | None
    summary: str | None
    decided_on: date | None
    received_on: date | None = strawberry.field(
        default=None,
        description="The day the decision was received; the court window runs from it "
        f"({Articles.COURT_WINDOW}). The decision date where none was given.",
    )

    @classmethod
    def from_model(cls, dispute: Dispute) -> DisputeType:
        return copied(
            cls,
            dispute,
            _request_id=dispute.request_id,
            outcome=DisputeOutcome(dispute.outcome) if dispute.outcome else None,
        )

    @strawberry.field(
        description="The last working day to take the decision to court "
        f"({Clocks.COURT_FILING.article}: {Clocks.COURT_FILING.working_days} working days)."
    )
    async def court_appeal_due_on(self, info: Info) -> date | None:
        clocks = await resolve.clocks_of(info.context, self._request_id)
        court = [clock for clock in clocks if clock.kind == ClockKind.COURT_FILING.value]
        return court[-1].due_on if court else None

    @strawberry.field(
        description=f"The case either party took to court against the decision ({Articles.COURT})."
    )
    async def court_case(self, info: Info) -> CourtCaseType | None:
        case = await resolve.court_case_of(info.context, self._request_id)
        return CourtCaseType.from_model(case) if case else None


@strawberry.type(name="CourtCase")
class CourtCaseType:
    filed_by: CourtFiler
    court: str
    case_number: str
    filed_on: date
    outcome: CourtOutcome | None
    decided_on: date | None
    summary: str | None

    @classmethod
    def from_model(cls, case: CourtCase) -> CourtCaseType:
        return copied(
            cls,
            case,
            filed_by=CourtFiler(case.filed_by),
            outcome=CourtOutcome(case.outcome) if case.outcome else None,
        )


@strawberry.type
class Fee:
    amount: int = strawberry.field(description="Rupiah.")
    basis: str
    payment: str | None = strawberry.field(
        default=None,
        description=f"How to pay ({Articles.NOTICE_FEE}); null when the notice omits it.",
    )


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
        description="Refusals under PASAL_17A to PASAL_17F: until when the information stays "
        f"withheld ({Articles.NOT_PERMANENT})."
    )
    decision_reference: str | None = strawberry.field(
        description="The PPID's decision (SK PPID) behind a refusal."
    )
    fee: Fee | None = strawberry.field(
        description=f"The fee charged for copies or delivery ({FEE_ARTICLE}; objection ground "
        f"{objection_ground_article('f').pasal_text}); null when nothing is charged."
    )
    held_by: str | None = strawberry.field(
        description="NOT_HELD: the body that holds the information, where known "
        f"({Articles.NOT_HELD_NAMES_HOLDER})."
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
    original_fee: Fee | None = strawberry.field(
        default=None,
        description="The notice's fee, kept for the record when an upheld objection on ground "
        "UNREASONABLE_FEE revised it (`fee` is then the revised one); null when never revised.",
    )
    registered_at: datetime | None = strawberry.field(
        default=None,
        description="When the request was entered in the register; later than `receivedAt` "
        "when an officer registered paperwork received earlier (allowed back to the start of "
        "the previous working week)."
    )

    @classmethod
    def from_model(cls, model: InformationRequest) -> InformationRequestType:
        return node_copied(
            cls,
            "InformationRequest",
            model,
            delivery_form=DeliveryForm(model.delivery_form),
            status=RequestStatus(model.status),
            decision=RequestDecision(model.decision) if model.decision else None,
            exemptions_cited=[ExemptionBasis(basis) for basis in model.exemptions_cited],
            fee=Fee(amount=model.fee_amount, basis=model.fee_basis or "", payment=model.fee_payment)
            if model.fee_amount
            else None,
            delivered_form=DeliveryForm(model.delivered_form) if model.delivered_form else None,
            original_fee=Fee(amount=model.fee_original_amount, basis=model.fee_basis or "")
            if model.fee_original_amount is not None
            else None,
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
        description=f"The objection grounds ({Articles.OBJECTION_GROUNDS}) the requester may raise "
        "now: arisen, "
        "not raised before, window open."
    )
    async def open_objection_grounds(self, info: Info) -> list[ObjectionGround]:
        record = await resolve.record_of(info.context, self._model)
        return record.open_grounds(resolve.calendar_of(info.context), resolve.now())

    @strawberry.field(
        description="Every open window, soonest first: who must (a duty) or may (a right) "
        "act, until when, under which article; read from the running clocks."
    )
    async def due_windows(self, info: Info) -> list[DueWindowType]:
        windows = open_windows(
            await resolve.clocks_of(info.context, self._model.id),
            await resolve.objections_of(info.context, self._model.id),
            resolve.calendar_of(info.context),
            resolve.now(),
        )
        return [DueWindowType.from_domain(window) for window in windows]

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
class InformationRequestEdge(Edge[InformationRequestType]):
    pass


@strawberry.type
class InformationRequestConnection(Connection[InformationRequestEdge]):
    pass


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
