"""The mails each lifecycle step sends, written in the step's own transaction.

Each step calls `step_mails` (or filing `request_event`) after its writes, before its commit;
the mails then exist exactly when the step does, as outbox jobs of plain JSON. Rendering and
sending them is `opendata.mail`'s, which sits above the requests and is never called from here.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Agency
from opendata.information_requests.mail_catalog import TEMPLATES, check_keys
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.recipients import recipients
from opendata.information_requests.rules import (
    DECISION_LABELS,
    OBJECTION_GROUNDS,
    OBJECTION_OUTCOME_LABELS,
    Decision,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.outbox.queue import enqueue
from opendata.regency_time import regency_today
from opendata.urls import numbered, path

MAIL_KIND = "mail.send"  # the outbox job kind the mail worker sends


class MailEvent(StrEnum):
    """A lifecycle step that tells someone something."""

    FILED = "FILED"
    EXTENDED = "EXTENDED"
    ANSWERED = "ANSWERED"
    FULFILLED = "FULFILLED"
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_ANSWERED = "OBJECTION_ANSWERED"


# event -> the templates it sends (each to its own audiences)
EVENT_MAILS: dict[MailEvent, tuple[str, ...]] = {
    MailEvent.FILED: ("receipt", "new_request"),
    MailEvent.EXTENDED: ("extension",),
    MailEvent.ANSWERED: ("notice",),
    MailEvent.FULFILLED: ("fulfilment",),
    MailEvent.OBJECTION_FILED: ("objection_receipt", "new_objection"),
    MailEvent.OBJECTION_ANSWERED: ("objection_answer",),
}


def request_path(request: InformationRequest) -> str:
    """The request's public page (kept in the mail job, made absolute when it is sent)."""
    return path("request", **numbered(request.registration_number))


def _iso(day: date | None) -> str:
    return (day or regency_today()).isoformat()


async def _latest_objection(session: AsyncSession, request_id: int) -> Objection | None:
    return await session.scalar(
        select(Objection)
        .where(Objection.request_id == request_id)
        .order_by(Objection.id.desc())
        .limit(1)
    )


async def base_context(session: AsyncSession, request: InformationRequest) -> dict[str, Any]:
    """The keys every mail about a request can use, as plain JSON."""
    agency = await session.get(Agency, request.agency_id)
    return {
        "registration_number": request.registration_number,
        "agency_name": agency.name if agency else "",
        "request_path": request_path(request),
        "requester_name": request.requester_name,
        "information_requested": request.information_requested,
        "received_on": request.received_on.isoformat(),
        "due_on": request.answer_due_on.isoformat(),
    }


async def mail_context(
    session: AsyncSession, request: InformationRequest, event: MailEvent
) -> dict[str, Any]:
    """The keys the event's templates need."""
    context = await base_context(session, request)
    if event is MailEvent.EXTENDED:
        context["extension_reason"] = request.extension_reason or ""
    if event is MailEvent.ANSWERED:
        if request.decision is None:
            raise ValueError(f"{event}: request {request.id} has no decision")
        label_id, label_en = DECISION_LABELS[Decision(request.decision)]
        context.update(
            decision_id=label_id,
            decision_en=label_en,
            answer=request.answer or "",
            bases=list(request.exemptions_cited),
            answered_on=_iso(request.answered_on),
        )
    if event is MailEvent.FULFILLED:
        context["delivered_on"] = _iso(request.delivered_on)
    if event in (MailEvent.OBJECTION_FILED, MailEvent.OBJECTION_ANSWERED):
        objection = await _latest_objection(session, request.id)
        if objection is None:
            raise ValueError(f"{event}: request {request.id} has no objection")
        rules = [OBJECTION_GROUNDS[ObjectionGround(ground)] for ground in objection.grounds]
        context.update(
            grounds=[[rule.label_id, rule.label_en] for rule in rules],
            objection_due_on=objection.due_on.isoformat(),
        )
        if event is MailEvent.OBJECTION_ANSWERED:
            outcome_id, outcome_en = OBJECTION_OUTCOME_LABELS[
                ObjectionOutcome(objection.outcome or ObjectionOutcome.REJECTED)
            ]
            context.update(
                outcome_id=outcome_id, outcome_en=outcome_en, answer=objection.answer or ""
            )
    return context


# lifecycle step (`information_requests.lifecycle.Action`) -> the mails it sends
EVENT_BY_ACTION: dict[str, MailEvent] = {
    "FILE": MailEvent.FILED,
    "EXTEND": MailEvent.EXTENDED,
    "ANSWER": MailEvent.ANSWERED,
    "RECORD_FULFILMENT": MailEvent.FULFILLED,
    "FILE_OBJECTION": MailEvent.OBJECTION_FILED,
    "ANSWER_OBJECTION": MailEvent.OBJECTION_ANSWERED,
}


async def step_mails(session: AsyncSession, request: InformationRequest, action: str) -> list[int]:
    """The mails of a lifecycle step, if it sends any (withdrawal and disputes send none)."""
    event = EVENT_BY_ACTION.get(str(action))
    return await request_event(session, request, event) if event else []


async def request_event(
    session: AsyncSession, request: InformationRequest, event: MailEvent | str
) -> list[int]:
    """Queue the mails of `event` for `request` in the caller's transaction; their job ids."""
    event = MailEvent(event)
    context = await mail_context(session, request, event)
    queued: list[int] = []
    for key in EVENT_MAILS[event]:
        for address in await recipients(session, request, TEMPLATES[key].audiences):
            job_id = await enqueue_mail(session, key, address, context)
            if job_id is not None:
                queued.append(job_id)
    return queued


async def enqueue_mail(
    session: AsyncSession,
    template: str,
    recipient: str,
    context: dict[str, Any],
    *,
    dedupe_key: str | None = None,
) -> int | None:
    """Write one mail job in the caller's transaction (None: already queued by its key)."""
    check_keys(template, context)
    payload = {
        "template": template,
        "to": recipient,
        "context": context,
        "summary": f"{template} {context['registration_number']} -> {recipient}",
    }
    return await enqueue(session, MAIL_KIND, payload, dedupe_key=dedupe_key)
