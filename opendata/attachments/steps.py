"""The request steps that carry documents: the written notice and the fulfilment.

Each is the `information_requests` step with the files it was given stored and recorded in
the step's own transaction (`run_step(also=...)`): a refused file refuses the step, and a
step never stands without its documents. It lives here, above the request lifecycle, so the
lifecycle knows nothing of file storage and attachments may read the requests they belong to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.attachments.models import AttachmentStage
from opendata.attachments.service import UploadedFile, add_attachments, mail_document
from opendata.attachments.store import attachment_store
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.mails import MailDocument
from opendata.information_requests.notice import Fee, Notice
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.steps import AlsoWrite, Fulfilment, run_step
from opendata.parts import Parts


def _attaching(
    services: Parts, files: Sequence[UploadedFile], stage: AttachmentStage
) -> AlsoWrite | None:
    """The step's documents, stored and recorded in the step's own transaction: a refused
    file refuses the step, and a step never stands without the documents it was given."""
    if not files:
        return None
    store = attachment_store(services)

    async def attach(
        session: AsyncSession, viewer: Viewer, record: RequestRecord
    ) -> list[MailDocument]:
        added = await add_attachments(session, store, viewer, record.request, files, stage=stage)
        return [mail_document(attachment) for attachment in added]

    return attach


async def answer_request(
    services: Parts,
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
    deliver_by: date | None = None,
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
        deliver_by=deliver_by,
    )
    also = _attaching(services, attachments, AttachmentStage.NOTICE)
    return await run_step(services, viewer, request_id, Action.ANSWER, notice, now=now, also=also)


async def record_fulfilment(
    services: Parts,
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
