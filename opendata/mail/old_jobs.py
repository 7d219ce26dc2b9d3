"""Mail jobs queued before the mails rework, made sendable at send time.

Those jobs (no `queued_at`) carry fewer keys and some in an older shape (`bases` as codes),
and an objection's mail named no objection: rendered as they are they would fail for good.
Their step-specific keys are rebuilt from the database for the request (and the objection)
the job names, as the step would write them now; the keys every mail shares keep the values
they were queued with. A job whose request is gone is left as it is and fails honestly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.attachments.models import Attachment, AttachmentStage
from opendata.attachments.service import mail_document
from opendata.information_requests.mails import PARTS, ActedOn, MailDocument, base_context
from opendata.information_requests.models import InformationRequest, Objection
from opendata.outbox.worker import Job
from opendata.parts import HasDatabase

# the templates whose step gave documents, and the stage those documents were stored under
DOCUMENT_STAGES = {
    "notice": AttachmentStage.NOTICE,
    "fulfilment": AttachmentStage.FULFILMENT,
}


def is_old(job: Job) -> bool:
    """Jobs written since the rework carry the moment of their step."""
    return "queued_at" not in job.payload


async def _objection_named(
    session: AsyncSession, request_id: int, template: str, context: dict[str, Any]
) -> int | None:
    """The objection an old job meant: the one whose due day it carries (an answer: the one
    answered, the most recently answered when none matches); else the newest."""
    objections = list(
        await session.scalars(
            select(Objection).where(Objection.request_id == request_id).order_by(Objection.id)
        )
    )
    if template == "objection_answer":
        answered = [objection for objection in objections if objection.outcome is not None]
        objections = sorted(answered, key=lambda o: (o.answered_at or o.filed_at, o.id))
    due = str(context.get("objection_due_on", ""))
    matching = [objection for objection in objections if objection.due_on.isoformat() == due]
    chosen = (matching or objections)[-1:] if objections else []
    return chosen[0].id if chosen else None


async def _acted_on(
    session: AsyncSession, request: InformationRequest, template: str, context: dict[str, Any]
) -> ActedOn:
    stage = DOCUMENT_STAGES.get(template)
    documents: tuple[MailDocument, ...] = ()
    if stage is not None:
        attachments = await session.scalars(
            select(Attachment)
            .where(Attachment.request_id == request.id, Attachment.stage == stage.value)
            .order_by(Attachment.id)
        )
        documents = tuple(mail_document(attachment) for attachment in attachments)
    objection_id = None
    if template.startswith("objection") or template == "new_objection":
        objection_id = await _objection_named(session, request.id, template, context)
    return ActedOn(objection_id, documents)


async def upgraded(services: HasDatabase, job: Job) -> Job:
    """The job as the rework would have queued it (a new job: unchanged)."""
    template = str(job.payload.get("template", ""))
    part = PARTS.get(template)
    if not is_old(job) or part is None:
        return job
    old: dict[str, Any] = dict(job.payload.get("context", {}))
    async with services.database.session() as session:
        request = await session.scalar(
            select(InformationRequest).where(
                InformationRequest.registration_number == old.get("registration_number")
            )
        )
        if request is None:
            return job
        acted_on = await _acted_on(session, request, template, old)
        try:
            rebuilt = await part(session, request, acted_on)
        except ValueError:  # the object it names no longer stands as the mail says
            return job
        context = {**await base_context(session, request), **old, **rebuilt}
    return Job(job.id, job.kind, {**job.payload, "context": context}, job.attempt)
