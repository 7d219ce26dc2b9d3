"""Who receives a mail: the requester as registered, or the agency's active staff by role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import User
from opendata.accounts.viewer import Role
from opendata.information_requests.mail_catalog import Audience
from opendata.information_requests.models import InformationRequest

STAFF_ROLES = {Audience.OFFICERS: Role.OFFICER, Audience.SUPERIORS: Role.SUPERIOR}


async def staff_emails(session: AsyncSession, agency_id: int, audience: Audience) -> list[str]:
    rows = await session.scalars(
        select(User.email)
        .where(
            User.agency_id == agency_id,
            User.role == STAFF_ROLES[audience].value,
            User.disabled_at.is_(None),
        )
        .order_by(User.email)
    )
    return list(rows)


async def recipients(
    session: AsyncSession, request: InformationRequest, audiences: tuple[Audience, ...]
) -> list[str]:
    """Addresses for the audiences, each once (a walk-in requester may have no e-mail)."""
    found: list[str] = []
    for audience in audiences:
        if audience is Audience.REQUESTER:
            found += [request.requester_email] if request.requester_email else []
        else:
            found += await staff_emails(session, request.agency_id, audience)
    return list(dict.fromkeys(found))
