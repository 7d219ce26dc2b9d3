"""The mails each lifecycle step sends, written in the step's own transaction.

Each step's entry in `lifecycle.STEPS` names its mails; `step_mails` queues them after the
step's writes, before its commit, so the mails exist exactly when the step does, as outbox
jobs of plain JSON. A mail says what *this* step did to *what it acted on* (`ActedOn`: the
objection answered, the documents given), with every value fixed when it is queued: a mail
sent later, after a restart or after further steps, still names the same objection and
outcome. Rendering and sending is `opendata.mail`'s, which sits above the requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.information_requests.lifecycle import STEP_BY_ACTION, Action
from opendata.information_requests.mail_catalog import (
    MAX_ATTACHED_BYTES,
    TEMPLATES,
    check_keys,
)
from opendata.information_requests.models import InformationRequest, Objection, RequestClock
from opendata.information_requests.recipients import recipients
from opendata.information_requests.rules import (
    DECISION_LABELS,
    DELIVERY_FORM_LABELS,
    NOTICE_CONTENTS,
    OBJECTION_GROUNDS,
    OBJECTION_OUTCOME_LABELS,
    ClockKind,
    Decision,
    DeliveryForm,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.outbox.queue import enqueue
from opendata.regency_time import regency_today
from opendata.urls import numbered, path
from opendata.visibility.rules import BASES

MAIL_KIND = "mail.send"  # the outbox job kind the mail worker sends


@dataclass(frozen=True)
class MailDocument:
    """A file a step gave (the notice's or the fulfilment's), as its mail carries it."""

    name: str
    content_type: str
    size: int
    storage_key: str
    # the public download path when the PPID published it; None: private to the request
    public_path: str | None = None


@dataclass(frozen=True)
class ActedOn:
    """What the step acted on, so that its mail names that and nothing newer."""

    objection_id: int | None = None
    documents: tuple[MailDocument, ...] = ()


def request_path(request: InformationRequest) -> str:
    """The request's public page (kept in the mail job, made absolute when it is sent)."""
    return path("request", **numbered(request.registration_number))


def _iso(day: date | None) -> str:
    return (day or regency_today()).isoformat()


def _labels(labels: tuple[str, str], prefix: str) -> dict[str, str]:
    return {f"{prefix}_id": labels[0], f"{prefix}_en": labels[1]}


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


Part = Callable[[AsyncSession, InformationRequest, ActedOn], Awaitable[dict[str, Any]]]


async def _nothing_more(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> dict[str, Any]:
    return {}


async def _extension(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> dict[str, Any]:
    return {"extension_reason": request.extension_reason or ""}


def documents_context(request: InformationRequest, documents: tuple[MailDocument, ...]) -> Any:
    """The documents, in order, each marked attached while they fit the mail's size cap; the
    rest are named with the way to get them (a public link, the request page, or the desk)."""
    listed: list[dict[str, Any]] = []
    total = 0
    for document in documents:
        attached = total + document.size <= MAX_ATTACHED_BYTES
        total += document.size if attached else 0
        listed.append({**asdict(document), "attached": attached})
    return {
        "documents": listed,
        "requester_has_account": request.requester_user_id is not None,
    }


def _fee(request: InformationRequest) -> dict[str, Any]:
    return {
        "fee_amount": request.fee_amount or 0,
        "fee_basis": request.fee_basis or "",
        "fee_payment": request.fee_payment or "",
    }


async def _clock_due(
    session: AsyncSession, request_id: int, kind: ClockKind, objection_id: int | None = None
) -> str:
    """The due day of the step's clock of `kind` (the newest: the step just started it), ''."""
    due_on = await session.scalar(
        select(RequestClock.due_on)
        .where(
            RequestClock.request_id == request_id,
            RequestClock.kind == kind.value,
            RequestClock.objection_id.is_(None)
            if objection_id is None
            else RequestClock.objection_id == objection_id,
        )
        .order_by(RequestClock.id.desc())
        .limit(1)
    )
    return due_on.isoformat() if due_on else ""


async def _notice(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> dict[str, Any]:
    """Pasal 22(7) in words: the decision, what is withheld and why, what is given, how, at
    what cost, and until when the requester may object."""
    if request.decision is None:
        raise ValueError(f"notice: request {request.id} has no decision")
    decision = Decision(request.decision)
    return {
        **_labels(DECISION_LABELS[decision], "decision"),
        "decision": decision.value,
        "notice_article": str(NOTICE_CONTENTS[decision].article),
        "answer": request.answer or "",
        "answered_on": _iso(request.answered_on),
        "bases": [
            [BASES[code].letter, BASES[code].label_id, BASES[code].label_en]
            for code in request.exemptions_cited
        ],
        "consequence_test": request.consequence_test or "",
        "exemption_expires_on": _optional_iso(request.exemption_expires_on),
        "decision_reference": request.decision_reference or "",
        "held_by": request.held_by or "",
        "expected_on": _optional_iso(request.expected_on),
        **_labels(DELIVERY_FORM_LABELS[DeliveryForm(request.delivery_form)], "delivery_form"),
        **_fee(request),
        "objection_until": await _clock_due(session, request.id, ClockKind.OBJECTION_FILING),
        "deliver_by": await _clock_due(session, request.id, ClockKind.DELIVERY),
        **documents_context(request, acted_on.documents),
    }


def _optional_iso(day: date | None) -> str:
    return day.isoformat() if day else ""


async def _fulfilment(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> dict[str, Any]:
    given = request.delivered_form or request.delivery_form
    return {
        "delivered_on": _iso(request.delivered_on),
        **_labels(DELIVERY_FORM_LABELS[DeliveryForm(given)], "delivery_form"),
        **documents_context(request, acted_on.documents),
    }


async def _acted_on_objection(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> Objection:
    objection = (
        await session.get(Objection, acted_on.objection_id) if acted_on.objection_id else None
    )
    if objection is None or objection.request_id != request.id:
        raise ValueError(f"request {request.id}: the step names no objection of its own")
    return objection


async def _objection(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> dict[str, Any]:
    objection = await _acted_on_objection(session, request, acted_on)
    rules = [OBJECTION_GROUNDS[ObjectionGround(ground)] for ground in objection.grounds]
    return {
        "objection_number": objection.registration_number,
        "objection_filed_on": objection.filed_on.isoformat(),
        "grounds": [[rule.label_id, rule.label_en] for rule in rules],
        "objection_due_on": objection.due_on.isoformat(),
    }


async def _objection_answer(
    session: AsyncSession, request: InformationRequest, acted_on: ActedOn
) -> dict[str, Any]:
    """The superior's answer to the objection the step answered; a pending one has none."""
    objection = await _acted_on_objection(session, request, acted_on)
    if objection.outcome is None:
        raise ValueError(f"objection {objection.registration_number} has no answer yet")
    return {
        **await _objection(session, request, acted_on),
        **_labels(OBJECTION_OUTCOME_LABELS[ObjectionOutcome(objection.outcome)], "outcome"),
        "outcome": objection.outcome,
        "answer": objection.answer or "",
        "objection_answered_on": _iso(objection.answered_on),
        "dispute_until": await _clock_due(
            session, request.id, ClockKind.DISPUTE_FILING, objection.id
        ),
        "fulfil_by": await _clock_due(session, request.id, ClockKind.FULFILMENT, objection.id),
    }


# template -> the keys it needs beyond `base_context`, read from what the step acted on
PARTS: dict[str, Part] = {
    "receipt": _nothing_more,
    "new_request": _nothing_more,
    "extension": _extension,
    "notice": _notice,
    "fulfilment": _fulfilment,
    "objection_receipt": _objection,
    "new_objection": _objection,
    "objection_answer": _objection_answer,
    "objection_upheld": _objection_answer,
}


async def step_mails(
    session: AsyncSession,
    request: InformationRequest,
    action: Action | str,
    acted_on: ActedOn | None = None,
) -> list[int]:
    """Queue the mails `lifecycle.STEPS` lists for the step (none for withdrawal and
    disputes) in the caller's transaction; their job ids."""
    acted_on = acted_on or ActedOn()
    queued: list[int] = []
    base = await base_context(session, request)
    for key in STEP_BY_ACTION[Action(action)].mails:
        context = {**base, **await PARTS[key](session, request, acted_on)}
        if not TEMPLATES[key].sent_for(context):
            continue
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
    """Write one mail job in the caller's transaction (None: already queued by its key).
    `queued_at` becomes the mail's Date: the moment of the step, the same on every retry."""
    check_keys(template, context)
    payload = {
        "template": template,
        "to": recipient,
        "context": context,
        "queued_at": utcnow().isoformat(),
        "summary": f"{template} {context['registration_number']} -> {recipient}",
    }
    return await enqueue(session, MAIL_KIND, payload, dedupe_key=dedupe_key)
