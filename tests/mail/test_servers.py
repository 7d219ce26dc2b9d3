"""Real `opendata serve` processes sending through a real SMTP server in the test process:
two servers on one PostgreSQL database send each reminder once; a server killed in the middle
of a send leaves the job to its successor, which sends it once after the lease."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from opendata.outbox.models import JobStatus, OutboxJob
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.conftest import DatabaseFactory, make_services
from tests.information_requests.helpers import make_desk, online
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import request_due_in
from tests.web.server import ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture
async def store(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> AsyncIterator[Services]:
    """The database the servers share, opened by the test to seed it and read it back."""
    services = await make_services(database_factory, dialect, tmp_path / "seed")
    yield services
    await services.close()


def _server(
    store: Services, tmp_path: Path, name: str, catcher: MailCatcher, **env: str
) -> ServerProcess:
    data_dir = tmp_path / name
    data_dir.mkdir()
    return ServerProcess(
        data_dir,
        database_url=store.settings.resolved_database_url,
        OPENDATA_SMTP_URL=catcher.url,
        OPENDATA_MAIL_FROM="ppid@kuburayakab.go.id",
        OPENDATA_JOB_POLL_SECONDS="0.2",
        **env,
    )


async def _jobs(store: Services) -> list[OutboxJob]:
    async with store.database.session() as session:
        return list(await session.scalars(select(OutboxJob).order_by(OutboxJob.id)))


@pytest.mark.parametrize("dialect", ["postgres"])
async def test_two_servers_on_one_database_send_each_reminder_once(
    store: Services, tmp_path: Path, catcher: MailCatcher
) -> None:
    desk = await make_desk(store)
    due = {
        (await request_due_in(desk, days)).request.registration_number: days for days in (3, 1, -1)
    }
    servers = [
        _server(store, tmp_path, name, catcher, OPENDATA_REMINDER_SCAN_SECONDS="0.5")
        for name in ("a", "b")
    ]
    try:
        for server in servers:
            server.start()
        catcher.wait_for(3, subject="Pengingat")
        time.sleep(3)  # several more scans by both servers
    finally:
        for server in servers:
            server.stop()
    reminders = catcher.messages("Pengingat")
    numbers = Counter(mail.subject.split("]")[0].lstrip("[") for mail in reminders)
    assert numbers == dict.fromkeys(due, 1)  # each request's reminder once, to its one officer
    jobs = await _jobs(store)  # the filings' mails and the reminders
    reminder_jobs = [job for job in jobs if job.payload["template"].endswith("_reminder")]
    assert len(reminder_jobs) == 3
    assert all(job.status == JobStatus.DONE for job in jobs)
    assert all(job.attempts == 1 for job in jobs)


async def test_a_server_killed_mid_send_sends_after_restart_once(
    store: Services, tmp_path: Path, catcher: MailCatcher
) -> None:
    desk = await make_desk(store)
    record = await online(desk, regency_now())
    number = record.request.registration_number
    catcher.hang_next()  # the first message stalls before the SMTP server accepts it
    # filing queued its two mails (receipt, officers' notice) in its own transaction

    lease = {"OPENDATA_JOB_LEASE_SECONDS": "4"}
    first = _server(store, tmp_path, "first", catcher, **lease)
    first.start()
    assert catcher.hanging.wait(30), "the first server never started sending"
    first.kill()
    assert catcher.messages() == []  # never accepted: the client died before the 250

    restarted = _server(store, tmp_path, "restarted", catcher, **lease)
    restarted.start()
    try:
        catcher.wait_for(2, timeout=30)
        time.sleep(5)  # past another lease: nothing is sent twice
    finally:
        restarted.stop()
    subjects = Counter(mail.subject for mail in catcher.messages())
    assert subjects == {
        f"[{number}] Tanda bukti penerimaan permohonan / Receipt of your request": 1,
        f"[{number}] Permohonan baru / New request": 1,
    }
    jobs = await _jobs(store)
    assert [job.status for job in jobs] == [JobStatus.DONE, JobStatus.DONE]
    assert sorted(job.attempts for job in jobs) == [1, 2]  # the stalled one was taken over
