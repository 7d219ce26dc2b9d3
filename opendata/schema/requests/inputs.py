"""The request half's GraphQL inputs. Each step input turns itself into the keyword
arguments of its domain step (`step_arguments`), so the mutations only name the step."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Protocol

import strawberry
from strawberry.file_uploads import Upload

from opendata.copying import copied
from opendata.information_requests import service as domain
from opendata.information_requests.queries import RequestFilter
from opendata.information_requests.rules import FEE_ARTICLE, Clocks
from opendata.information_requests.service import FilingForm, RequesterDetails
from opendata.schema.enums import (
    CourtFiler,
    CourtOutcome,
    DeliveryForm,
    DisputeOutcome,
    ExemptionBasis,
    ObjectionGround,
    ObjectionOutcome,
    ReceivedVia,
    RequestDecision,
    RequestStatus,
)
from opendata.statute import Articles, objection_ground_article


class StepInput(Protocol):
    """An input naming its request by `requestId`, carrying the step's other arguments."""

    request_id: strawberry.ID

    def step_arguments(self) -> dict[str, object]: ...


class FieldsAsArguments:
    """A step input whose fields, `requestId` aside, are its step's keyword arguments under the
    same names, enums by their values."""

    def step_arguments(self) -> dict[str, object]:
        return {
            field.name: _plain(getattr(self, field.name))
            for field in dataclasses.fields(self)  # type: ignore[arg-type]
            if field.name != "request_id"
        }


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


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
        description="Officers: the person who came or wrote in; name and address are "
        "required. Requesters: their address (required unless kept on the "
        "account from an earlier request), NIK and phone (optional); the name is the "
        "account's. Never in the public register.",
    )
    received_at: datetime | None = strawberry.field(
        default=None,
        description="Officers only: when a paper, walk-in or email request actually arrived. "
        "Defaults to now; no earlier than the Monday of the previous working week, nor in a "
        "year whose annual report is due. The real registration time is kept as "
        "`registeredAt`.",
    )
    received_via: ReceivedVia | None = strawberry.field(
        default=None, description="Officers only: walk-in, letter, e-mail or phone."
    )
    dataset: str | None = strawberry.field(
        default=None,
        description="The slug of the dataset the request is about (its page's \"ask for "
        "it\"), of the same agency; counted in the dataset's `timesRequested`.",
    )

    def to_domain(self) -> FilingForm:
        given = self.requester
        return FilingForm(
            agency_slug=self.agency,
            information_requested=self.information_requested,
            purpose=self.purpose,
            delivery_form=self.delivery_form.value,
            requester=copied(RequesterDetails, given) if given else None,
            received_at=self.received_at,
            received_via=self.received_via.value if self.received_via else None,
            dataset_slug=self.dataset,
        )


@strawberry.input
class FeeInput:
    amount: int = strawberry.field(description=f"Rupiah; copies and delivery only ({FEE_ARTICLE}).")
    basis: str
    payment: str | None = strawberry.field(
        default=None,
        description="How to pay: where, to whom, by which means "
        f"({Articles.NOTICE_FEE}); the notice "
        "e-mail states it.",
    )


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
    deliver_by: date | None = strawberry.field(
        default=None,
        description="GRANTED or PARTIALLY_GRANTED: the day the notice says the information "
        f"is given ({Articles.DELIVERY}); from the notice day to the last day of the "
        "requester's objection window on it. Not given: "
        f"{Clocks.DELIVERY.working_days} working days after the notice.",
    )
    attachments: list[Upload] | None = strawberry.field(
        default=None,
        description="Documents given with the notice (multipart upload); stored in the same "
        "transaction as the answer, readable by the requester and the agency's staff.",
    )

    def step_arguments(self) -> dict[str, object]:
        fee = self.fee
        return {
            "decision": self.decision.value,
            "answer": self.answer,
            "exemptions": [basis.value for basis in self.exemptions or ()],
            "consequence_test": self.consequence_test,
            "exemption_expires_on": self.exemption_expires_on,
            "decision_reference": self.decision_reference,
            "fee": domain.Fee(fee.amount, fee.basis, fee.payment) if fee else None,
            "held_by": self.held_by,
            "expected_on": self.expected_on,
            "deliver_by": self.deliver_by,
        }


@strawberry.input
class RecordFulfilmentInput(FieldsAsArguments):
    request_id: strawberry.ID
    delivered_on: date
    form: DeliveryForm
    note: str | None = None


@strawberry.input
class FileObjectionInput(FieldsAsArguments):
    request_id: strawberry.ID
    grounds: list[ObjectionGround]
    reason: str


@strawberry.input
class AnswerObjectionInput(FieldsAsArguments):
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
        description="UPHELD: the day by which the PPID must give the information; "
        f"{Clocks.FULFILMENT.working_days} working days from the answer when not given.",
    )
    revised_fee: int | None = strawberry.field(
        default=None,
        description="UPHELD on ground UNREASONABLE_FEE "
        f"({objection_ground_article('f')}): the fee, in rupiah, "
        "that may be charged instead (0: none); the request's `fee` becomes it and "
        "`originalFee` keeps the notice's.",
    )


@strawberry.input
class RecordDisputeInput(FieldsAsArguments):
    request_id: strawberry.ID
    filed_on: date
    case_number: str | None = None


@strawberry.input
class RecordDisputeOutcomeInput(FieldsAsArguments):
    request_id: strawberry.ID
    outcome: DisputeOutcome
    summary: str | None = None
    decided_on: date
    received_on: date | None = strawberry.field(
        default=None,
        description="The day the parties received the decision: either party's "
        f"{Clocks.COURT_FILING.working_days} working days to go to court run from it "
        f"({Articles.COURT_WINDOW}). The decision date when not given.",
    )


@strawberry.input
class RecordCourtCaseInput:
    request_id: strawberry.ID
    filed_by: CourtFiler
    court: str = strawberry.field(description="The PTUN or Pengadilan Negeri, by name.")
    case_number: str
    filed_on: date

    def step_arguments(self) -> dict[str, object]:
        form = domain.CourtFiling(self.filed_by.value, self.court, self.case_number, self.filed_on)
        return {"form": form}


@strawberry.input
class RecordCourtDecisionInput:
    request_id: strawberry.ID
    outcome: CourtOutcome
    decided_on: date
    summary: str | None = None

    def step_arguments(self) -> dict[str, object]:
        return {"form": domain.CourtDecision(self.outcome.value, self.decided_on, self.summary)}
