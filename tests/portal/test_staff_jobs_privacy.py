"""Issue 21 finding 7: the job queue (`/petugas/pekerjaan`, `opendata jobs list`) never shows
an admin a requester's e-mail address (admins never see requester personal data)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from opendata.accounts.models import User
from opendata.background import JOB_HANDLERS
from opendata.cli import build_parser
from opendata.db.base import utcnow
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.outbox.worker import Worker
from opendata.services import Services
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import portal_as


async def test_held_mail_jobs_hide_the_requesters_address(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = await make_desk(services)
    await online(desk, utcnow())  # the receipt to the requester is queued
    await Worker(services, JOB_HANDLERS).run_until_idle()  # no SMTP here: held
    async with services.database.write() as session:
        email = await session.scalar(select(User.email).where(User.id == desk.requester.user_id))
        jobs = list(await session.scalars(select(OutboxJob)))
        for job in jobs:  # an SMTP refusal quotes the recipient
            job.last_error = f"550 5.1.1 <{email}>: Recipient address rejected"
            job.status = JobStatus.FAILED.value
    assert email and jobs
    assert any(email in str(job.payload) for job in jobs)

    async with await portal_as(services, desk.admin) as admin:
        page = await admin.get("/petugas/pekerjaan")
    assert page.status_code == 200
    assert f"Tugas {jobs[0].id}" in page.text
    assert email not in page.text and email.split("@")[0] + "@" not in page.text

    args = build_parser().parse_args(["jobs", "list", "--all"])
    assert await args.handler(services, args) == 0
    listing = capsys.readouterr().out
    assert str(jobs[0].id) in listing
    assert email not in listing
