"""The request steps as plain functions: what the resolvers, pages, CLI and tests call.

Each is one line over `steps.run_step`: the lifecycle table (`lifecycle.STEPS`) says who may
act and which clocks move, `steps.py` holds each step's own checks and writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.attachments.models import AttachmentStage
from opendata.attachments.service import UploadedFile, add_attachments
from opendata.attachments.store import attachment_store
from opendata.information_requests.filing import FilingForm, RequesterDetails, file_request
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.notice import Fee, Notice
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.steps import (
    AlsoWrite,
    DisputeDecision,
    DisputeFiling,
    Extension,
    Fulfilment,
    ObjectionAnswer,
    ObjectionForm,
    Withdrawal,
    allowed_actions,
    run_step,
)
from opendata.services import Services

__all__ = [
    "Fee",
    "FilingForm",
    "RequestRecord",
    "RequesterDetails",
    "UploadedFile",
    "allowed_actions",
    "answer_objection",
    "answer_request",
    "extend_request",
    "file_objection",
    "file_request",
    "record_dispute",
    "record_dispute_outcome",
    "record_fulfilment",
    "withdraw_request",
]


def _attaching(
    services: Services, files: Sequence[UploadedFile], stage: AttachmentStage
) -> AlsoWrite | None:
    """The step's documents, stored and recorded in the step's own transaction: a refused
    file refuses the step, and a step never stands without the documents it was given."""
    if not files:
        return None
    store = attachment_store(services.settings.data_dir)

    async def attach(session: AsyncSession, viewer: Viewer, record: RequestRecord) -> object:
        return await add_attachments(session, store, viewer, record.request, files, stage=stage)

    return attach


async def extend_request(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> RequestRecord:
    return await run_step(services, viewer, request_id, Action.EXTEND, Extension(reason), now=now)


async def answer_request(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    decision: str,
    answer: str,
    exemptions: Sequence[str] = (),
    consequence_test: str | None = None,
    exemption_expires_on: date | None = None,
    decision_reference: str | None = None,
    fee: Fee | None = None,
    held_by: str | None = None,
    expected_on: date | None = None,
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> RequestRecord:
    notice = Notice(
        decision=decision,
        answer=answer,
        exemptions=tuple(exemptions),
        consequence_test=consequence_test,
        exemption_expires_on=exemption_expires_on,
        decision_reference=decision_reference,
        fee=fee,
        held_by=held_by,
        expected_on=expected_on,
    )
    also = _attaching(services, attachments, AttachmentStage.NOTICE)
    return await run_step(services, viewer, request_id, Action.ANSWER, notice, now=now, also=also)


async def withdraw_request(
    services: Services, viewer: Viewer | None, request_id: int, *, now: datetime | None = None
) -> RequestRecord:
    return await run_step(services, viewer, request_id, Action.WITHDRAW, Withdrawal(), now=now)


async def file_objection(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    grounds: Sequence[str],
    reason: str,
    now: datetime | None = None,
) -> RequestRecord:
    form = ObjectionForm(tuple(grounds), reason)
    return await run_step(services, viewer, request_id, Action.FILE_OBJECTION, form, now=now)


async def answer_objection(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    outcome: str,
    answer: str,
    objection_number: str | None = None,
    fulfil_by: date | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    form = ObjectionAnswer(outcome, answer, objection_number, fulfil_by)
    return await run_step(services, viewer, request_id, Action.ANSWER_OBJECTION, form, now=now)


async def record_dispute(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    filed_on: date,
    case_number: str | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    form = DisputeFiling(filed_on, case_number)
    return await run_step(services, viewer, request_id, Action.RECORD_DISPUTE, form, now=now)


async def record_dispute_outcome(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    outcome: str,
    decided_on: date,
    summary: str | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    form = DisputeDecision(outcome, decided_on, summary)
    return await run_step(
        services, viewer, request_id, Action.RECORD_DISPUTE_OUTCOME, form, now=now
    )


async def record_fulfilment(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    delivered_on: date,
    form: str,
    note: str | None = None,
    attachments: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> RequestRecord:
    given = Fulfilment(delivered_on, form, note)
    also = _attaching(services, attachments, AttachmentStage.FULFILMENT)
    return await run_step(
        services, viewer, request_id, Action.RECORD_FULFILMENT, given, now=now, also=also
    )
