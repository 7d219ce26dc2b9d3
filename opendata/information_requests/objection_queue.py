"""The superior's queue: objections waiting for the atasan PPID's answer (Pasal 36(2)).

The superior and the PPID officers of an agency see its queue (the PPID follows what its
superior must still answer); admins see every agency's, to follow up. Only the superior
answers (`lifecycle.acts_as`). Answering goes through the lifecycle step
(`service.answer_objection`), so the queue never decides who may act.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from opendata.accounts.viewer import Role, Viewer
from opendata.information_requests.lifecycle import Status
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.objection_register import require_objection_staff
from opendata.parts import HasDatabase

# A queue is a working list, not an archive: the oldest-due this many are shown.
MAX_QUEUE = 200


@dataclass(frozen=True)
class WaitingObjection:
    objection: Objection
    request: InformationRequest


async def waiting_objections(
    services: HasDatabase, viewer: Viewer | None, limit: int = MAX_QUEUE
) -> list[WaitingObjection]:
    """Unanswered objections on requests still at the objection stage, earliest due first."""
    acting = require_objection_staff(viewer)
    statement = (
        select(Objection, InformationRequest)
        .join(InformationRequest, InformationRequest.id == Objection.request_id)
        .where(
            Objection.answered_at.is_(None),
            InformationRequest.status == Status.OBJECTION_FILED.value,
        )
        .order_by(Objection.due_on, Objection.id)
        .limit(limit)
    )
    if acting.role is not Role.ADMIN:
        statement = statement.where(Objection.agency_id == acting.agency_id)
    async with services.database.session() as session:
        rows = await session.execute(statement)
        return [WaitingObjection(objection, request) for objection, request in rows]
