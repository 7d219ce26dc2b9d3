"""The producers hear the steward's decision on a version (issue 22: "the producer is
e-mailed"), as outbox mail jobs written in the caller's transaction, like every other mail.

Who hears it: the producer who submitted the version and the agency's other active
producers (a colleague picks up a returned upload when the submitter is away).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import User
from opendata.accounts.viewer import Role
from opendata.db.models import Agency
from opendata.information_requests.mails import enqueue_mail
from opendata.parts import HasDatabase
from opendata.publishing.models import DatasetVersion
from opendata.urls import path

REVIEW_MAIL = "version_reviewed"
PRODUCER_ROLE = Role.PRODUCER.value


async def producer_emails(
    session: AsyncSession, agency_id: int, submitted_by: int | None
) -> list[str]:
    """The submitter's address first, then the agency's active producers', each once."""
    submitter = (
        await session.scalar(
            select(User.email).where(User.id == submitted_by, User.disabled_at.is_(None))
        )
        if submitted_by is not None
        else None
    )
    producers = await session.scalars(
        select(User.email)
        .where(
            User.agency_id == agency_id,
            User.role == PRODUCER_ROLE,
            User.disabled_at.is_(None),
        )
        .order_by(User.email)
    )
    return list(dict.fromkeys([*([submitter] if submitter else []), *producers]))


async def queue_review_mail(
    session: AsyncSession, version: DatasetVersion, *, approved: bool, steward_name: str
) -> list[int]:
    """One mail job per producer, in the caller's transaction; a second call for the same
    decision on the same version adds none."""
    agency_name = await session.scalar(select(Agency.name).where(Agency.id == version.agency_id))
    context = {
        "registration_number": f"{version.dataset_slug}/v{version.number}",
        "agency_name": agency_name or "",
        "request_path": path("staff_data_version", version_id=version.id),
        "dataset_title": str(version.descriptor.get("title") or version.dataset_slug),
        "version_number": version.number,
        "approved": approved,
        "comment": version.comment or "",
        "steward_name": steward_name,
    }
    decision = "approved" if approved else "returned"
    queued = []
    for address in await producer_emails(session, version.agency_id, version.submitted_by_user_id):
        job = await enqueue_mail(
            session,
            REVIEW_MAIL,
            address,
            context,
            dedupe_key=f"{REVIEW_MAIL}:{version.id}:{decision}:{address}",
        )
        if job is not None:
            queued.append(job)
    return queued


async def notify_producers(
    parts: HasDatabase, version: DatasetVersion, *, approved: bool, steward_name: str
) -> list[int]:
    """The mails of a decision already committed (the pages call this after it)."""
    async with parts.database.write() as session:
        return await queue_review_mail(
            session, version, approved=approved, steward_name=steward_name
        )
