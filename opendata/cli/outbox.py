"""`opendata jobs list [--failed|--held|--all]` and `opendata jobs retry ID`."""

from __future__ import annotations

import argparse
from typing import Any

from opendata.cli.groups import add_command, command_group
from opendata.errors import DomainError
from opendata.outbox.admin import (
    NEEDS_ATTENTION,
    count_by_status,
    list_jobs,
    retry_held,
    retry_job,
)
from opendata.outbox.models import JobStatus
from opendata.services import Services


async def _list(services: Services, args: argparse.Namespace) -> int:
    if args.all:
        statuses: tuple[JobStatus, ...] = tuple(JobStatus)
    elif args.held:
        statuses = (JobStatus.HELD,)
    elif args.failed:
        statuses = (JobStatus.FAILED,)
    else:
        statuses = NEEDS_ATTENTION
    async with services.database.session() as session:
        jobs = await list_jobs(session, statuses, limit=args.limit)
        counts = await count_by_status(session)
    for job in jobs:
        print(
            f"{job.id}\t{job.status}\t{job.kind}\tattempts={job.attempts}\t"
            f"{job.created_at:%Y-%m-%d %H:%M}Z\t{job.summary}\t{job.last_error or ''}"
        )
    print("jobs: " + ", ".join(f"{s.value}={counts.get(s.value, 0)}" for s in JobStatus))
    return 0


async def _retry(services: Services, args: argparse.Namespace) -> int:
    if args.held:
        async with services.database.write() as session:
            count = await retry_held(session)
        print(f"{count} held jobs queued again")
        return 0
    if args.id is None:
        print("give a job ID or --held")
        return 2
    try:
        async with services.database.write() as session:
            job = await retry_job(session, args.id)
    except DomainError as error:
        print(f"{error.message_id} / {error.message_en}")
        return 1
    print(f"job {job.id} queued again")
    return 0


def register_commands(commands: Any) -> None:
    sub = command_group(commands, "jobs", "the background job queue (e-mail, reminders)")
    listing = add_command(sub, "list", "failed and held jobs (default), or others", _list)
    which = listing.add_mutually_exclusive_group()
    which.add_argument("--failed", action="store_true", help="only jobs whose attempts all failed")
    which.add_argument("--held", action="store_true", help="only jobs held (no SMTP configured)")
    which.add_argument("--all", action="store_true", help="every job")
    listing.add_argument("--limit", type=int, default=200)
    retry = add_command(sub, "retry", "queue a failed or held job again", _retry)
    retry.add_argument("id", type=int, nargs="?")
    retry.add_argument("--held", action="store_true", help="every held job (SMTP now set up)")
