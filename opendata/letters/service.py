"""Which letter of which request, for whom: finds the letter as issued, checks access.

The pages and the CLI call `letter_for` / `build_letter`; the renderer (render.py) then turns
the letter into a PDF. A letter is the record written when its step happened (see
information_requests/issuing.py), so a reprint is the same letter whoever asks for it.
Letters carry the requester's name and address, so they go only to those who may see the
request's private side (the requester and the agency's staff).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.errors import BadUserInput, NotFound, not_found
from opendata.information_requests.issuing import issued_letter, not_issued
from opendata.information_requests.letter_models import OBJECTION_LETTERS, LetterKind
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.privacy import can_see_requester
from opendata.letters.documents import Letter
from opendata.letters.from_records import letter_from
from opendata.parts import HasCalendar

__all__ = ["LetterKind", "build_letter", "letter_for", "letters_of"]


async def letter_for(
    services: HasCalendar,
    viewer: Viewer | None,
    registration_number: str,
    kind: LetterKind,
    objection_number: str | None = None,
) -> Letter:
    """The letter for someone who may see it (NOT_FOUND for anyone else, as for a typo)."""

    def may_see(request: InformationRequest) -> None:
        if not can_see_requester(viewer, request):
            raise NotFound(
                "Permohonan informasi tidak ditemukan.",
                "The information request was not found.",
                field="registrationNumber",
            )

    return await build_letter(services, registration_number, kind, objection_number, may_see)


async def build_letter(
    services: HasCalendar,
    registration_number: str,
    kind: LetterKind,
    objection_number: str | None = None,
    check: Callable[[InformationRequest], None] | None = None,
) -> Letter:
    """The letter as issued with its step (INVALID_TRANSITION before it). For a step taken
    before letters were records it is issued here, once: the request's lock makes two first
    prints wait for each other. `check` refuses a viewer before anything is read or written."""
    async with services.database.write() as session:
        request = await session.scalar(
            select(InformationRequest)
            .where(InformationRequest.registration_number == registration_number)
            .with_for_update()
        )
        if request is None:
            raise not_found("Permohonan", "Request", registration_number, field="number")
        if check is not None:
            check(request)
        objection = (
            await _objection(session, request, kind, objection_number)
            if kind in OBJECTION_LETTERS
            else None
        )
        issued = await issued_letter(session, request, kind, objection, services.calendar)
        return letter_from(issued, request, objection)


async def _objection(
    session: AsyncSession, request: InformationRequest, kind: LetterKind, number: str | None
) -> Objection:
    """The objection a letter is about: the one numbered, or the only one the request has."""
    objections = list(
        await session.scalars(
            select(Objection).where(Objection.request_id == request.id).order_by(Objection.id)
        )
    )
    if not objections:
        raise not_issued(kind)
    if number is None and len(objections) == 1:
        return objections[0]
    for objection in objections:
        if objection.registration_number == (number or "").strip():
            return objection
    raise BadUserInput(
        "Sebutkan nomor registrasi keberatan yang dimaksud.",
        "Name the objection by its register number.",
        field="objection",
    )


def letters_of(
    request: InformationRequest, objections: list[Objection]
) -> list[tuple[LetterKind, Objection | None]]:
    """The letters whose step has been taken: the request's, then each objection's own."""
    kinds: list[tuple[LetterKind, Objection | None]] = [(LetterKind.RECEIPT, None)]
    if request.extended:
        kinds.append((LetterKind.EXTENSION, None))
    if request.decision is not None:
        kinds.append((LetterKind.NOTICE, None))
    for objection in objections:
        kinds.append((LetterKind.OBJECTION_RECEIPT, objection))
        if objection.outcome is not None:
            kinds.append((LetterKind.OBJECTION_ANSWER, objection))
    return kinds
