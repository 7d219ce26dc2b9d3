"""The request half's mutations: filing, and the lifecycle steps, each run by `run_step`."""

from __future__ import annotations

from typing import Any

import strawberry

from opendata.attachments import steps as attachment_steps
from opendata.information_requests import service as domain
from opendata.information_requests.rules import Clocks
from opendata.resolvers import attachments as resolve_attachments
from opendata.resolvers import requests as resolve
from opendata.resolvers.requests import StepAction
from opendata.schema.info import Info
from opendata.schema.requests.inputs import (
    AnswerObjectionInput,
    AnswerRequestInput,
    FileObjectionInput,
    FileRequestInput,
    RecordCourtCaseInput,
    RecordCourtDecisionInput,
    RecordDisputeInput,
    RecordDisputeOutcomeInput,
    RecordFulfilmentInput,
    StepInput,
)
from opendata.schema.requests.types import InformationRequestType
from opendata.statute import Articles


async def run_step(
    info: Info, action: StepAction, global_id: str, id_field: str, **arguments: Any
) -> InformationRequestType:
    """Runs one lifecycle step on the request `global_id` names and answers with the request."""
    model = await resolve.step(info.context, action, global_id, id_field, **arguments)
    return InformationRequestType.build(info, model)


async def run_input_step(
    info: Info, action: StepAction, input: StepInput
) -> InformationRequestType:
    """`run_step` for an input that names its request by `requestId`."""
    return await run_step(
        info, action, str(input.request_id), "requestId", **input.step_arguments()
    )


def input_step(
    action: StepAction, input_type: type[StepInput], description: str | None = None
) -> Any:
    """A mutation taking one `input` of `input_type` and running `action` with it: most
    steps' mutations differ only in these three."""

    async def mutate(self: Any, info: Info, input: StepInput) -> InformationRequestType:
        return await run_input_step(info, action, input)

    mutate.__annotations__ = {
        "self": Any,
        "info": Info,
        "input": input_type,
        "return": InformationRequestType,
    }
    return strawberry.mutation(resolver=mutate, description=description)


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
        f"reason: +{Clocks.EXTENSION.working_days} working days ({Articles.EXTENSION})."
    )
    async def extend_information_request(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> InformationRequestType:
        return await run_step(info, domain.extend_request, str(id), "id", reason=reason)

    @strawberry.mutation(
        description="The written notice (pemberitahuan tertulis). REFUSED and PARTIALLY_GRANTED "
        "must cite exemption bases and a consequence test."
    )
    async def answer_information_request(
        self, info: Info, input: AnswerRequestInput
    ) -> InformationRequestType:
        return await run_step(
            info,
            attachment_steps.answer_request,
            str(input.id),
            "id",
            attachments=await resolve_attachments.uploaded(input.attachments or []),
            **input.step_arguments(),
        )

    @strawberry.mutation
    async def withdraw_information_request(
        self, info: Info, id: strawberry.ID
    ) -> InformationRequestType:
        return await run_step(info, domain.withdraw_request, str(id), "id")

    file_objection = input_step(
        domain.file_objection,
        FileObjectionInput,
        "The requester's objection (keberatan) to the PPID's superior.",
    )
    answer_objection = input_step(
        domain.answer_objection,
        AnswerObjectionInput,
        "The superior's (atasan PPID) written answer to an objection.",
    )
    record_dispute = input_step(
        domain.record_dispute,
        RecordDisputeInput,
        "An officer records that the requester took the case to the Information "
        "Commission, and later its outcome.",
    )
    record_dispute_outcome = input_step(domain.record_dispute_outcome, RecordDisputeOutcomeInput)
    record_fulfilment = input_step(
        attachment_steps.record_fulfilment,
        RecordFulfilmentInput,
        "The PPID records that the information was actually given: after a GRANTED "
        "or PARTIALLY_GRANTED notice, an UPHELD objection, or a Commission decision that "
        "orders it.",
    )
    record_delivery = input_step(
        attachment_steps.record_fulfilment,
        RecordFulfilmentInput,
        "The same step as `recordFulfilment`, by the name the delivery duty has: "
        "the PPID records that the information a GRANTED or PARTIALLY_GRANTED notice gave "
        "(or an order) was delivered, which stops the delivery clock.",
    )
    record_court_case = input_step(
        domain.record_court,
        RecordCourtCaseInput,
        "An officer records that either party took the Commission's adjudication "
        f"decision to court (PTUN or Pengadilan Negeri, {Articles.COURT}) within "
        f"{Clocks.COURT_FILING.working_days} working days "
        "of receiving it; what the decision orders does not fall due until the court decides.",
    )
    record_court_decision = input_step(
        domain.record_court,
        RecordCourtDecisionInput,
        "An officer records the court's decision; where it leaves the information "
        "to be given, the PPID's fulfilment clock starts from it.",
    )
