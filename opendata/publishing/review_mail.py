"""The producers hear the steward's decision on a version (issue 22: "the producer is
e-mailed"), as outbox mail jobs written in the caller's transaction, like every other mail.

Who hears it: the producer who submitted the version and the agency's other active
producers (a colleague picks up a returned upload when the submitter is away).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import User
from opendata.information_requests.mail_catalog import Audience
from opendata.information_requests.mails import enqueue_mail
from opendata.urls import path

REVIEW_MAIL = "version_reviewed"
PRODUCER_ROLE = Audience.PRODUCERS.removesuffix("S")  # the accounts role "PRODUCER"


@dataclass(frozen=True)
class Review:
    """One decision on one version, as its mail tells it."""

    version_id: int
    version_number: int
    dataset_slug: str
    dataset_title: str
    agency_id: int
    agency_name: str
    approved: bool
    comment: str
    steward_name: str
    submitted_by: int | None  # the submitting user, who hears it even if no longer a producer


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


async def queue_review_mail(session: AsyncSession, review: Review) -> list[int]:
    """One mail job per producer; a second call for the same decision adds none."""
    context = {
        "registration_number": f"{review.dataset_slug}/v{review.version_number}",
        "agency_name": review.agency_name,
        "request_path": path("staff_data_version", version_id=review.version_id),
        "dataset_title": review.dataset_title,
        "version_number": review.version_number,
        "approved": review.approved,
        "comment": review.comment,
        "steward_name": review.steward_name,
    }
    decision = "approved" if review.approved else "returned"
    queued = []
    for address in await producer_emails(session, review.agency_id, review.submitted_by):
        job = await enqueue_mail(
            session,
            REVIEW_MAIL,
            address,
            context,
            dedupe_key=f"{REVIEW_MAIL}:{review.version_id}:{decision}:{address}",
        )
        if job is not None:
            queued.append(job)
    return queued
