"""The objection register (buku register keberatan, kip-rules §5): every objection of a year.

Pending, answered and lapsed alike, each with its number, its request, grounds, the superior's
answer and outcome, the dates, and whether an upheld answer was carried out (the information
given afterwards). For the PPID and the atasan PPID of the agency, and for admins across
agencies; the requester's name only where `privacy.can_see_requester` allows (never to admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select

from opendata.accounts.viewer import Role, Viewer, require_role
from opendata.calendar import is_past
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.errors import not_found
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.report_year import check_year
from opendata.information_requests.rules import (
    OBJECTION_OUTCOMES_ORDERING_DISCLOSURE,
    ObjectionOutcome,
)
from opendata.parts import HasDatabase

OBJECTION_STAFF = (Role.OFFICER, Role.SUPERIOR, Role.ADMIN)


class ObjectionState(StrEnum):
    """Where an objection stands in the register."""

    PENDING = "PENDING"  # the superior's 30 working days still run
    ANSWERED = "ANSWERED"
    LAPSED = "LAPSED"  # the superior's 30 working days ran out unanswered (Pasal 36(2))
    WITHDRAWN = "WITHDRAWN"  # the request was withdrawn before the answer and its deadline


OBJECTION_STATE_LABELS: dict[ObjectionState, tuple[str, str]] = {
    ObjectionState.PENDING: ("Menunggu tanggapan", "Awaiting the answer"),
    ObjectionState.ANSWERED: ("Ditanggapi", "Answered"),
    ObjectionState.LAPSED: ("Lewat batas tanpa tanggapan", "Lapsed without an answer"),
    ObjectionState.WITHDRAWN: ("Permohonan dicabut", "Request withdrawn"),
}


def implemented_on(objection: Objection, delivered_on: date | None) -> date | None:
    """The day an upheld answer was carried out: the information given on or after it."""
    if (
        objection.outcome is None
        or ObjectionOutcome(objection.outcome) not in OBJECTION_OUTCOMES_ORDERING_DISCLOSURE
        or objection.answered_on is None
        or delivered_on is None
        or delivered_on < objection.answered_on
    ):
        return None
    return delivered_on


def objection_state(
    objection: Objection, request: InformationRequest, now: datetime
) -> ObjectionState:
    if objection.answered_at is not None:
        return ObjectionState.ANSWERED
    if is_past(objection.due_on, now):
        return ObjectionState.LAPSED
    if request.withdrawn_at is not None:
        return ObjectionState.WITHDRAWN
    return ObjectionState.PENDING


@dataclass(frozen=True)
class RegisterEntry:
    objection: Objection
    request: InformationRequest
    agency: Agency
    state: ObjectionState
    implemented_on: date | None
    # None where this viewer may not see who objected (admins, other agencies)
    requester_name: str | None

    @property
    def answered_late(self) -> bool:
        answered = self.objection.answered_on
        return answered is not None and answered > self.objection.due_on


@dataclass(frozen=True)
class ObjectionRegister:
    year: int
    agency: Agency | None  # None: every agency (admins)
    entries: list[RegisterEntry]

    def count(self, state: ObjectionState) -> int:
        return sum(entry.state is state for entry in self.entries)


def require_objection_staff(viewer: Viewer | None) -> Viewer:
    """The register and the superior's queue are for the agency's PPID, its superior, admins."""
    return require_role(
        viewer,
        OBJECTION_STAFF,
        "Keberatan hanya untuk petugas PPID, atasan PPID, dan admin.",
        "Objections are for PPID officers, the PPID's superior and admins only.",
    )


async def objection_register(
    services: HasDatabase,
    viewer: Viewer | None,
    year: int,
    agency_slug: str | None = None,
    *,
    now: datetime | None = None,
) -> ObjectionRegister:
    """The objections registered in `year`, in register order: the PPID's and the superior's
    own agency; an admin's choice of agency, or all of them."""
    acting = require_objection_staff(viewer)
    check_year(year)
    moment = now or utcnow()
    statement = (
        select(Objection, InformationRequest, Agency)
        .join(InformationRequest, InformationRequest.id == Objection.request_id)
        .join(Agency, Agency.id == Objection.agency_id)
        .where(Objection.registration_year == year)
        .order_by(Agency.slug, Objection.sequence)
    )
    async with services.database.session() as session:
        agency: Agency | None = None
        if acting.role is not Role.ADMIN:
            agency = await session.get(Agency, acting.agency_id)
        elif agency_slug is not None:
            agency = await session.scalar(select(Agency).where(Agency.slug == agency_slug))
            if agency is None:
                raise not_found("Badan publik", "Public body", agency_slug, field="agency")
        if agency is not None:
            statement = statement.where(Objection.agency_id == agency.id)
        rows = list(await session.execute(statement))
    entries = [
        RegisterEntry(
            objection=objection,
            request=request,
            agency=owner,
            state=objection_state(objection, request, moment),
            implemented_on=implemented_on(objection, request.delivered_on),
            requester_name=request.requester_name if can_see_requester(acting, request) else None,
        )
        for objection, request, owner in rows
    ]
    return ObjectionRegister(year, agency, entries)
