"""Which letter of which request, for whom: loads the rows, checks access, builds the letter.

The pages and the CLI call `letter_for`; the renderer (render.py) then turns it into a PDF.
Letters carry the requester's name and address, so they go only to those who may see the
request's private side (the requester and the agency's staff).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.calendar import WorkingCalendar
from opendata.db.models import Agency
from opendata.errors import InvalidTransition, NotFound
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.queries import request_by_number
from opendata.letters.documents import Letter, Signatory
from opendata.letters.from_records import (
    extension_for,
    notice_for,
    objection_answer_for,
    objection_receipt_for,
    receipt_for,
)


class LetterKind(StrEnum):
    RECEIPT = "RECEIPT"
    EXTENSION = "EXTENSION"
    NOTICE = "NOTICE"
    OBJECTION_RECEIPT = "OBJECTION_RECEIPT"
    OBJECTION_ANSWER = "OBJECTION_ANSWER"


def _not_yet(kind: LetterKind) -> InvalidTransition:
    return InvalidTransition(
        f"Surat {kind.value} belum dapat dibuat: langkahnya belum dilakukan.",
        f"The {kind.value} letter does not exist yet: its step has not been taken.",
        field="kind",
    )


async def letter_for(
    session: AsyncSession,
    viewer: Viewer | None,
    registration_number: str,
    kind: LetterKind,
    calendar: WorkingCalendar,
    signatory: Signatory,
) -> Letter:
    """The letter for someone who may see it (NOT_FOUND for anyone else, as for a typo)."""
    request = await request_by_number(session, registration_number)
    if request is None or not can_see_requester(viewer, request):
        raise NotFound(
            "Permohonan informasi tidak ditemukan.",
            "The information request was not found.",
            field="registrationNumber",
        )
    return await build_letter(session, request, kind, calendar, signatory)


async def build_letter(
    session: AsyncSession,
    request: InformationRequest,
    kind: LetterKind,
    calendar: WorkingCalendar,
    signatory: Signatory,
) -> Letter:
    """The letter of a step already taken (INVALID_TRANSITION before it); no access check."""
    agency = await session.get(Agency, request.agency_id)
    assert agency is not None  # foreign key
    objection = await session.scalar(
        select(Objection)
        .where(Objection.request_id == request.id)
        .order_by(Objection.id.desc())
        .limit(1)
    )
    if kind is LetterKind.RECEIPT:
        return receipt_for(request, agency, signatory)
    if kind is LetterKind.EXTENSION:
        if not request.extended:
            raise _not_yet(kind)
        return extension_for(request, agency, signatory, calendar)
    if kind is LetterKind.NOTICE:
        if request.decision is None:
            raise _not_yet(kind)
        return notice_for(request, agency, signatory)
    if objection is None or (kind is LetterKind.OBJECTION_ANSWER and objection.outcome is None):
        raise _not_yet(kind)
    if kind is LetterKind.OBJECTION_RECEIPT:
        return objection_receipt_for(request, objection, agency, signatory)
    return objection_answer_for(request, objection, agency, signatory)


def letters_of(request: InformationRequest, latest_objection: Objection | None) -> list[LetterKind]:
    """The letters whose step has been taken (what `build_letter` can make now)."""
    kinds = [LetterKind.RECEIPT]
    if request.extended:
        kinds.append(LetterKind.EXTENSION)
    if request.decision is not None:
        kinds.append(LetterKind.NOTICE)
    if latest_objection is not None:
        kinds.append(LetterKind.OBJECTION_RECEIPT)
        if latest_objection.outcome is not None:
            kinds.append(LetterKind.OBJECTION_ANSWER)
    return kinds
