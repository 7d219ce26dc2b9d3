"""The outbox on both databases: a job exists exactly when its cause commits, runs once, retries
with backoff, survives a dead worker through its lease, and is never lost when it fails."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from opendata.accounts.viewer import Role, Viewer
from opendata.db.base import utcnow
from opendata.errors import Forbidden
from opendata.outbox.admin import failed_jobs, list_jobs, retry_held, retry_job
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.outbox.queue import enqueue
from opendata.outbox.worker import Job, JobHeld, Worker, backoff
from opendata.services import Services, open_services
from tests.web.server import ServerProcess

ADMIN = Viewer(user_id=1, role=Role.ADMIN, agency_id=None, name="admin", email="a@x.id")
OFFICER = Viewer(user_id=2, role=Role.OFFICER, agency_id=1, name="ppid", email="p@x.id")


class Recorder:
    """A handler that records each job it runs; fails the first `failures` attempts."""

    def __init__(self, failures: int = 0) -> None:
        self.runs: Counter[int] = Counter()
        self.failures = failures

    async def __call__(self, services: Services, job: Job) -> None:
        self.runs[job.id] += 1
        if job.attempt <= self.failures:
            raise ConnectionError(f"attempt {job.attempt} refused")


async def _job(services: Services, job_id: int) -> OutboxJob:
    async with services.database.session() as session:
        job = await session.get(OutboxJob, job_id)
        assert job is not None
        return job


async def test_a_job_written_in_a_rolled_back_transaction_does_not_exist(
    services: Services,
) -> None:
    with pytest.raises(RuntimeError):
        async with services.database.write() as session:
            await enqueue(session, "test.record", {"n": 1})
            raise RuntimeError("the change that caused the job failed")
    async with services.database.write() as session:
        kept = await enqueue(session, "test.record", {"n": 2})
    async with services.database.session() as session:
        jobs = list(await session.scalars(select(OutboxJob)))
    assert [job.id for job in jobs] == [kept]
    assert jobs[0].payload == {"n": 2}


async def test_a_dedupe_key_makes_one_job(services: Services) -> None:
    async with services.database.write() as session:
        first = await enqueue(session, "test.record", {}, dedupe_key="reminder:1:3_DAYS")
        again = await enqueue(session, "test.record", {}, dedupe_key="reminder:1:3_DAYS")
    async with services.database.write() as session:
        later = await enqueue(session, "test.record", {}, dedupe_key="reminder:1:3_DAYS")
    assert first is not None and again is None and later is None


async def test_a_job_runs_once_and_is_done(services: Services) -> None:
    recorder = Recorder()
    worker = Worker(services, {"test.record": recorder})
    async with services.database.write() as session:
        job_id = await enqueue(session, "test.record", {})
    assert job_id is not None
    assert await worker.run_until_idle() == 1
    assert await worker.run_until_idle() == 0
    assert recorder.runs == {job_id: 1}
    assert (await _job(services, job_id)).status == JobStatus.DONE


async def test_a_job_waits_for_its_run_after(services: Services) -> None:
    recorder = Recorder()
    worker = Worker(services, {"test.record": recorder})
    later = utcnow() + timedelta(minutes=10)
    async with services.database.write() as session:
        job_id = await enqueue(session, "test.record", {}, run_after=later)
    assert await worker.run_once() == 0
    assert await worker.run_once(now=later + timedelta(seconds=1)) == 1
    assert recorder.runs == {job_id: 1}


async def test_failures_retry_with_exponential_backoff_then_fail_visibly(
    services: Services,
) -> None:
    recorder = Recorder(failures=100)
    worker = Worker(services, {"test.record": recorder})
    async with services.database.write() as session:
        job_id = await enqueue(session, "test.record", {"summary": "receipt X/2026/0001"})
        assert job_id is not None
        (await session.get(OutboxJob, job_id)).max_attempts = 3  # type: ignore[union-attr]

    before = utcnow()
    assert await worker.run_once() == 1
    job = await _job(services, job_id)
    assert (job.status, job.attempts) == (JobStatus.PENDING, 1)
    assert job.last_error == "ConnectionError: attempt 1 refused"
    assert before + backoff(1) <= job.run_after <= utcnow() + backoff(1)
    assert backoff(2) == 2 * backoff(1) and backoff(30) == timedelta(hours=2)
    assert await worker.run_once() == 0  # not before its backoff

    assert await worker.run_once(now=job.run_after + timedelta(seconds=1)) == 1
    job = await _job(services, job_id)
    assert (job.status, job.attempts) == (JobStatus.PENDING, 2)
    assert job.run_after - utcnow() > backoff(1)  # doubled

    assert await worker.run_once(now=job.run_after + timedelta(seconds=1)) == 1
    job = await _job(services, job_id)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert recorder.runs == {job_id: 3}

    async with services.database.session() as session:
        listed = await failed_jobs(session, ADMIN)
        with pytest.raises(Forbidden):
            await failed_jobs(session, OFFICER)
    assert [(j.id, j.summary, j.last_error) for j in listed] == [
        (job_id, "receipt X/2026/0001", "ConnectionError: attempt 3 refused")
    ]

    # fixed by hand: retried with fresh attempts
    recorder.failures = 0
    async with services.database.write() as session:
        await retry_job(session, job_id)
    assert await worker.run_until_idle() == 1
    assert (await _job(services, job_id)).status == JobStatus.DONE


async def test_a_held_job_is_kept_and_listed_with_its_reason(services: Services) -> None:
    async def no_smtp(services: Services, job: Job) -> None:
        raise JobHeld("not sent: no SMTP configured")

    worker = Worker(services, {"mail.send": no_smtp})
    async with services.database.write() as session:
        job_id = await enqueue(session, "mail.send", {"summary": "receipt"})
    await worker.run_until_idle()
    async with services.database.session() as session:
        held = await list_jobs(session, (JobStatus.HELD,))
    assert [(job.id, job.last_error) for job in held] == [(job_id, "not sent: no SMTP configured")]
    # SMTP set up later: the held mail is requeued and sent, not lost
    async with services.database.write() as session:
        assert await retry_held(session) == 1
    recorder = Recorder()
    assert await Worker(services, {"mail.send": recorder}).run_until_idle() == 1
    assert recorder.runs == {job_id: 1}


async def test_a_job_of_a_dead_worker_is_taken_over_after_its_lease_and_done_once(
    services: Services,
) -> None:
    lease = timedelta(seconds=60)
    recorder = Recorder()
    dead = Worker(services, {"test.record": recorder}, lease=lease, worker_id="dead")
    alive = Worker(services, {"test.record": recorder}, lease=lease, worker_id="alive")
    async with services.database.write() as session:
        job_id = await enqueue(session, "test.record", {})
    claimed = await dead.claim()  # ... and the server is killed before running it
    assert [job.id for job in claimed] == [job_id]

    assert await alive.run_once() == 0  # the lease still holds
    assert await alive.run_once(now=utcnow() + lease + timedelta(seconds=1)) == 1
    job = await _job(services, job_id)
    assert (job.status, job.locked_by, job.attempts) == (JobStatus.DONE, "alive", 2)

    # the dead worker's late finish (had it only been slow) cannot mark it a second time
    await dead._finish(claimed[0], JobStatus.FAILED, "late")
    assert (await _job(services, job_id)).status == JobStatus.DONE
    assert recorder.runs == {job_id: 1}


async def test_two_workers_on_one_database_run_each_job_once(services: Services) -> None:
    """Two servers' workers (separate engines and connection pools) claiming side by side."""
    other = await open_services(services.settings, migrate=False)
    try:
        recorder = Recorder()

        async def slow(services: Services, job: Job) -> None:
            await asyncio.sleep(0.001)
            await recorder(services, job)

        async with services.database.write() as session:
            ids = [await enqueue(session, "test.record", {"n": n}) for n in range(120)]
        first = Worker(services, {"test.record": slow}, batch_size=5)
        second = Worker(other, {"test.record": slow}, batch_size=5)
        done = await asyncio.gather(first.run_until_idle(), second.run_until_idle())
        assert sum(done) == 120
        assert recorder.runs == {job_id: 1 for job_id in ids}
        if services.database.is_postgres:
            assert min(done) > 0, "SKIP LOCKED lets both workers claim"
    finally:
        await other.close()


async def test_cli_lists_failed_jobs(services: Services, dialect: str, tmp_path: Path) -> None:
    async with services.database.write() as session:
        job_id = await enqueue(session, "mail.send", {"summary": "receipt A/2026/0007"})
        job = await session.get(OutboxJob, job_id)
        assert job is not None
        job.status, job.last_error = JobStatus.FAILED.value, "SMTPRecipientsRefused: 550"
    cli = ServerProcess(services.settings.data_dir, database_url=services.settings.database_url)
    listed = cli.run("jobs", "list", "--failed").stdout
    assert f"{job_id}\tFAILED\tmail.send" in listed
    assert "receipt A/2026/0007\tSMTPRecipientsRefused: 550" in listed
    assert "FAILED=1" in listed
