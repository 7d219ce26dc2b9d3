"""The claim loop: each server's worker takes due jobs, runs them, and records the outcome.

Why not a queue library: procrastinate and pgqueuer are PostgreSQL-only (procrastinate on
psycopg 3, not our asyncpg engine), saq and arq need Redis; none runs on SQLite, the default
store. The loop is small: claim under a row lock, run outside the transaction, finish fenced.

- PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED` lets several servers claim side by side,
  each row by one worker.
- SQLite: the claim runs under `BEGIN IMMEDIATE` (Database.write), one writer at a time.
- A claim is a lease (`locked_until`). A server killed mid-job leaves the row RUNNING; once
  the lease has passed, any worker takes it over. The handler is cut off before its lease
  ends, so a live worker's job is never taken from it.
- One job per claim by default: a lease is taken only on the job being run, so a killed
  server holds back one job for one lease, not a batch.
- Finishing is fenced on `locked_by`: a worker whose lease was taken over cannot mark the
  job done a second time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from opendata.db.base import utcnow
from opendata.lifespan_task import running_until_shutdown
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.parts import HasDatabaseAndSettings

logger = logging.getLogger("opendata.outbox")

BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=2)
ERROR_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class Job:
    """What a handler is given: the job's id (stable across retries), kind and payload."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempt: int


Handler = Callable[[HasDatabaseAndSettings, Job], Awaitable[None]]


class JobHeld(Exception):
    """The job cannot run as the server is configured (no SMTP server): kept as HELD."""


class JobRejected(Exception):
    """The job can never succeed (a broken payload): FAILED at once, no retries."""


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most two hours."""
    return min(BACKOFF_FIRST * (2 ** max(0, attempts - 1)), BACKOFF_MAX)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Runs the jobs of the kinds it has handlers for."""

    def __init__(
        self,
        services: HasDatabaseAndSettings,
        handlers: Mapping[str, Handler],
        *,
        lease: timedelta | None = None,
        batch_size: int = 1,
        worker_id: str | None = None,
    ) -> None:
        self.services = services
        self.handlers = dict(handlers)
        self.lease = lease or timedelta(seconds=services.settings.mail.job_lease_seconds)
        self.batch_size = batch_size
        self.worker_id = worker_id or new_worker_id()

    def _due(self, now: datetime) -> Any:
        """Jobs of our kinds that are pending and due, or running past their lease."""
        return and_(
            OutboxJob.kind.in_(list(self.handlers)),
            or_(
                and_(OutboxJob.status == JobStatus.PENDING.value, OutboxJob.run_after <= now),
                and_(OutboxJob.status == JobStatus.RUNNING.value, OutboxJob.locked_until < now),
            ),
        )

    async def claim(self, now: datetime | None = None) -> list[Job]:
        """Take up to `batch_size` due jobs (pending, or running past their lease)."""
        now = now or utcnow()
        database = self.services.database
        if not database.is_postgres:  # a plain read first: idle polls skip SQLite's write lock
            async with database.session() as session:
                if (
                    await session.scalar(select(OutboxJob.id).where(self._due(now)).limit(1))
                    is None
                ):
                    return []
        async with self.services.database.write() as session:
            rows = list(
                await session.scalars(
                    select(OutboxJob)
                    .where(self._due(now))
                    .order_by(OutboxJob.run_after, OutboxJob.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            )
            claimed: list[Job] = []
            for row in rows:
                if row.attempts >= row.max_attempts:  # its last attempt died with its server
                    row.status = JobStatus.FAILED.value
                    row.finished_at = now
                    row.last_error = (row.last_error or "") + " | lease expired on last attempt"
                    continue
                row.status = JobStatus.RUNNING.value
                row.attempts += 1
                row.locked_by = self.worker_id
                row.locked_until = now + self.lease
                claimed.append(Job(row.id, row.kind, dict(row.payload), row.attempts))
        return claimed

    async def run_once(self, now: datetime | None = None) -> int:
        """Claim and run one batch; the number of jobs run."""
        jobs = await self.claim(now)
        for job in jobs:
            await self._run(job)
        return len(jobs)

    async def run_until_idle(self, limit: int = 1000) -> int:
        """Run due jobs until none is left (for tests and benchmarks)."""
        total = 0
        while total < limit:
            count = await self.run_once()
            if count == 0:
                break
            total += count
        return total

    async def _run(self, job: Job) -> None:
        handler = self.handlers[job.kind]
        # cut the handler off before the lease ends, so no other worker runs it meanwhile
        timeout = self.lease.total_seconds() * 0.8
        try:
            await asyncio.wait_for(handler(self.services, job), timeout=timeout)
        except asyncio.CancelledError:
            await asyncio.shield(self._release(job))
            raise
        except JobHeld as held:
            await self._finish(job, JobStatus.HELD, str(held))
        except JobRejected as rejected:
            await self._finish(job, JobStatus.FAILED, f"rejected: {rejected}")
        except Exception as error:  # any failure is recorded on the job and retried
            logger.warning(
                "job %s (%s) attempt %d failed: %r", job.id, job.kind, job.attempt, error
            )
            await self._failed_attempt(job, f"{type(error).__name__}: {error}")
        else:
            await self._finish(job, JobStatus.DONE, None)

    def _mine(self, job: Job) -> Any:
        return and_(
            OutboxJob.id == job.id,
            OutboxJob.locked_by == self.worker_id,
            OutboxJob.status == JobStatus.RUNNING.value,
        )

    async def _finish(self, job: Job, status: JobStatus, error: str | None) -> None:
        async with self.services.database.write() as session:
            result = await session.execute(
                update(OutboxJob)
                .where(self._mine(job))
                .values(
                    status=status.value,
                    finished_at=utcnow(),
                    locked_until=None,
                    last_error=error[:ERROR_TEXT_LIMIT] if error else None,
                )
            )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            logger.warning("job %s: lease lost before it finished (%s)", job.id, status)

    async def _failed_attempt(self, job: Job, error: str) -> None:
        async with self.services.database.write() as session:
            row = await session.scalar(select(OutboxJob).where(self._mine(job)).with_for_update())
            if row is None:
                return
            row.last_error = error[:ERROR_TEXT_LIMIT]
            row.locked_until = None
            if row.attempts >= row.max_attempts:
                row.status = JobStatus.FAILED.value
                row.finished_at = utcnow()
            else:
                row.status = JobStatus.PENDING.value
                row.run_after = utcnow() + backoff(row.attempts)

    async def _release(self, job: Job) -> None:
        """On shutdown mid-job: give the job back at once instead of waiting for its lease."""
        with contextlib.suppress(Exception):
            async with self.services.database.write() as session:
                await session.execute(
                    update(OutboxJob)
                    .where(self._mine(job))
                    .values(
                        status=JobStatus.PENDING.value,
                        attempts=OutboxJob.attempts - 1,
                        locked_by=None,
                        locked_until=None,
                    )
                )

    async def run_forever(self) -> None:
        poll = self.services.settings.mail.job_poll_seconds
        while True:
            try:
                count = await self.run_once()
            except Exception:  # the database may be briefly away; the next poll retries
                logger.exception("job worker: claim failed")
                count = 0
            if count == 0:
                await asyncio.sleep(poll)


@contextlib.asynccontextmanager
async def running_worker(worker: Worker) -> AsyncIterator[None]:
    """For the app's lifespan: the worker runs until shutdown."""
    async with running_until_shutdown(worker.run_forever(), "outbox-worker"):
        yield
