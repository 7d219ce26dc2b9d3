"""Issuing a step's letters in the step's own transaction, and finding an issued letter.

`lifecycle.STEPS` says which letters each step issues; `skeleton.finish_step` calls
`issue_letters` with them, so a letter's number, date, addressee, signatory and letterhead
are fixed when its step happens and a failed step leaves no letter behind.

Who signs: the officer or superior who took the step, with the jabatan and NIP of their
account. A requester's own online step (filing, objecting) is taken by no officer; its
receipt is issued by the system and says so instead of carrying a signature.

Steps taken before letters were records (no row): our rule is that such a letter is issued on
its first print, dated the day of its step and signed by whoever took it, both read from the
timeline (`request_events`); it takes the next number of the letter's year, and `recorded_at`
shows it was written later. Every print after that reads the same row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import User
from opendata.accounts.viewer import Role
from opendata.calendar import WorkingCalendar, regency_date
from opendata.db.models import Agency
from opendata.errors import InvalidTransition
from opendata.information_requests.letter_models import (
    OBJECTION_LETTERS,
    IssuedLetter,
    LetterCounter,
    LetterKind,
)
from opendata.information_requests.lifecycle import STEPS, Action
from opendata.information_requests.models import InformationRequest, Objection, RequestEvent
from opendata.information_requests.numbering import format_letter_number, next_sequence
from opendata.information_requests.rules import Clocks

# the jabatan a letter names when the account has none recorded (`opendata users set-title`)
DEFAULT_TITLES: dict[Role, str] = {
    Role.OFFICER: "Pejabat Pengelola Informasi dan Dokumentasi (PPID)",
    Role.SUPERIOR: "Atasan PPID",
}
# the step that issues each letter (read from the table, for the timeline of older requests)
ISSUED_BY: dict[LetterKind, Action] = {kind: step.action for step in STEPS for kind in step.letters}


async def issue_letters(
    session: AsyncSession,
    request: InformationRequest,
    kinds: Iterable[LetterKind],
    *,
    objection: Objection | None,
    signed_by: int | None,
    at: datetime,
    calendar: WorkingCalendar,
) -> list[IssuedLetter]:
    """The step's letters, numbered and added to the step's transaction."""
    return [
        await _issue(session, request, kind, objection, signed_by, at, calendar) for kind in kinds
    ]


async def _issue(
    session: AsyncSession,
    request: InformationRequest,
    kind: LetterKind,
    objection: Objection | None,
    signed_by: int | None,
    at: datetime,
    calendar: WorkingCalendar,
) -> IssuedLetter:
    if (kind in OBJECTION_LETTERS) != (objection is not None):
        raise ValueError(f"{kind} is about an objection exactly when it names one")
    agency = await session.get(Agency, request.agency_id)
    assert agency is not None  # foreign key
    issued_on = regency_date(at)
    sequence = await next_sequence(session, agency.id, issued_on.year, LetterCounter)
    signer = await session.get(User, signed_by) if signed_by is not None else None
    if signer is not None and Role(signer.role) not in DEFAULT_TITLES:
        signer = None  # the requester's own step: issued by the system, not signed
    letter = IssuedLetter(
        request_id=request.id,
        objection_id=objection.id if objection is not None else None,
        kind=kind.value,
        agency_id=agency.id,
        year=issued_on.year,
        sequence=sequence,
        number=format_letter_number(agency, issued_on.year, sequence),
        issued_at=at,
        issued_on=issued_on,
        addressee_name=request.requester_name,
        addressee_address=request.requester_address,
        signatory_user_id=signer.id if signer else None,
        signatory_name=signer.name if signer else None,
        signatory_title=(signer.title or DEFAULT_TITLES[Role(signer.role)]) if signer else None,
        signatory_employee_number=signer.employee_number if signer else None,
        letterhead={
            "name": agency.name,
            "address": agency.address,
            "phone": agency.phone,
            "email": agency.email,
            "website": agency.website,
        },
        facts=_facts(kind, request, objection, calendar),
    )
    session.add(letter)
    await session.flush()
    return letter


def _facts(
    kind: LetterKind,
    request: InformationRequest,
    objection: Objection | None,
    calendar: WorkingCalendar,
) -> dict[str, Any]:
    """The dates (and fee) the letter states, as they stand when it is issued."""
    first_due = first_notice_due_on(request, calendar)
    if kind is LetterKind.RECEIPT:
        return {"dueOn": first_due.isoformat()}
    if kind is LetterKind.EXTENSION:
        return {"previousDueOn": first_due.isoformat(), "dueOn": request.answer_due_on.isoformat()}
    if kind is LetterKind.NOTICE:
        return {
            "feeAmount": request.fee_amount,
            "feeBasis": request.fee_basis,
            "feePayment": request.fee_payment,
        }
    if kind is LetterKind.OBJECTION_RECEIPT:
        assert objection is not None
        return {"dueOn": objection.due_on.isoformat()}
    return {}


def first_notice_due_on(request: InformationRequest, calendar: WorkingCalendar) -> date:
    """The 10 working days of Pasal 22(7) as first counted (before any extension)."""
    if not request.extended:
        return request.answer_due_on
    return calendar.add_working_days(request.received_on, Clocks.NOTICE.working_days)


async def issued_letter(
    session: AsyncSession,
    request: InformationRequest,
    kind: LetterKind,
    objection: Objection | None,
    calendar: WorkingCalendar,
) -> IssuedLetter:
    """The letter as issued; for a step taken before letters were records, issued now from
    the timeline (see the module's docstring). Call it in a write transaction that holds
    the request's lock, so two first prints cannot both issue it."""
    subject = (
        IssuedLetter.objection_id.is_(None)
        if objection is None
        else IssuedLetter.objection_id == objection.id
    )
    found = await session.scalar(
        select(IssuedLetter).where(
            IssuedLetter.request_id == request.id, IssuedLetter.kind == kind.value, subject
        )
    )
    if found is not None:
        return found
    event = await _step_event(session, request, kind, objection)
    return await _issue(session, request, kind, objection, event.actor_user_id, event.at, calendar)


async def _step_event(
    session: AsyncSession,
    request: InformationRequest,
    kind: LetterKind,
    objection: Objection | None,
) -> RequestEvent:
    """The timeline entry of the step that issues `kind` (for `objection`, where given)."""
    events = await session.scalars(
        select(RequestEvent)
        .where(
            RequestEvent.request_id == request.id,
            RequestEvent.action == ISSUED_BY[kind].value,
        )
        .order_by(RequestEvent.at, RequestEvent.id)
    )
    for event in events:
        concerns = (event.detail or {}).get("objection")
        if objection is None or concerns == objection.registration_number:
            return event
    raise not_issued(kind)


def not_issued(kind: LetterKind) -> InvalidTransition:
    """The letter of a step not taken (yet)."""
    return InvalidTransition(
        f"Surat {kind.value} belum dapat dibuat: langkahnya belum dilakukan.",
        f"The {kind.value} letter does not exist yet: its step has not been taken.",
        field="kind",
    )
