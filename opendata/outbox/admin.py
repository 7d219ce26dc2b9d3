"""What admins see of the queue: failed and held jobs are listed, never dropped, and retried."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Role, Viewer
from opendata.copying import copied
from opendata.db.base import utcnow
from opendata.errors import Forbidden, Unauthenticated, not_found
from opendata.outbox.models import JobStatus, OutboxJob

# Jobs an admin must look at: every attempt failed, or the server could not run them.
NEEDS_ATTENTION = (JobStatus.FAILED, JobStatus.HELD)

# Admins never see requesters' personal data: a job's summary and error name its recipient
# (`template REG -> someone@example.org`, an SMTP refusal quoting the address), so every
# address is hidden before a job reaches the page or `opendata jobs list`.
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")
HIDDEN_ADDRESS = "[alamat surel disembunyikan / e-mail address hidden]"


def without_addresses(text: str) -> str:
    """The text with every e-mail address replaced by a placeholder."""
    return _ADDRESS.sub(HIDDEN_ADDRESS, text)


@dataclass(frozen=True)
class JobSummary:
    id: int
    kind: str
    status: str
    attempts: int
    summary: str
    last_error: str | None
    created_at: datetime
    run_after: datetime

    @classmethod
    def from_model(cls, job: OutboxJob) -> JobSummary:
        """The job's own columns, with every e-mail address in its texts hidden."""
        return copied(
            cls,
            job,
            summary=without_addresses(str(job.payload.get("summary", ""))),
            last_error=without_addresses(job.last_error) if job.last_error else None,
        )


async def list_jobs(
    session: AsyncSession, statuses: Sequence[JobStatus] = NEEDS_ATTENTION, limit: int = 200
) -> list[JobSummary]:
    """Jobs in the given states, oldest first."""
    rows = await session.scalars(
        select(OutboxJob)
        .where(OutboxJob.status.in_([status.value for status in statuses]))
        .order_by(OutboxJob.created_at, OutboxJob.id)
        .limit(limit)
    )
    return [JobSummary.from_model(row) for row in rows]


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(OutboxJob.status, func.count()).group_by(OutboxJob.status))
    return {status: int(count) for status, count in rows.all()}


def require_admin(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise Unauthenticated("Silakan masuk terlebih dahulu.", "Please sign in first.")
    if viewer.role is not Role.ADMIN:
        raise Forbidden(
            "Hanya admin yang dapat melihat antrean tugas.",
            "Only admins may see the job queue.",
        )
    return viewer


async def failed_jobs(session: AsyncSession, viewer: Viewer | None) -> list[JobSummary]:
    """Failed and held jobs, for an admin (the pages and API call this one)."""
    require_admin(viewer)
    return await list_jobs(session, NEEDS_ATTENTION)


def _requeue(job: OutboxJob) -> None:
    job.status = JobStatus.PENDING.value
    job.attempts = 0
    job.run_after = utcnow()
    job.finished_at = None


async def retry_job(session: AsyncSession, job_id: int) -> JobSummary:
    """Put a failed or held job back in the queue with fresh attempts (after fixing the cause)."""
    job = await session.get(OutboxJob, job_id, with_for_update=True)
    if job is None or job.status not in {status.value for status in NEEDS_ATTENTION}:
        raise not_found("Tugas gagal", "Failed job", str(job_id), field="id")
    _requeue(job)
    await session.flush()
    return JobSummary.from_model(job)


async def retry_held(session: AsyncSession) -> int:
    """Requeue every held job (once SMTP is configured); how many."""
    held = list(
        await session.scalars(
            select(OutboxJob).where(OutboxJob.status == JobStatus.HELD.value).with_for_update()
        )
    )
    for job in held:
        _requeue(job)
    await session.flush()
    return len(held)
