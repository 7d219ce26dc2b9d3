"""The outbox on PostgreSQL: jobs per second with one and two workers (two engines, as two
servers would have), beside one plain single-row transaction per job as the floor; and mails
per second through the queue to a local SMTP server, beside sending the same mails directly."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiosmtplib
from sqlalchemy import text

from bench.scratch_database import scratch_database
from opendata.config import MailSettings, Settings
from opendata.information_requests.mails import MAIL_KIND, enqueue_mail
from opendata.mail.outgoing import build_message, send_mail_job
from opendata.outbox.queue import enqueue
from opendata.outbox.worker import Job, Worker
from opendata.parts import HasDatabaseAndSettings
from opendata.services import Services, open_services

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "outbox"
CONTEXT = {
    "registration_number": "BENCH/2026/000001",
    "agency_name": "Dinas Bench",
    "request_path": "/permohonan/BENCH/2026/000001",
    "requester_name": "Pemohon",
    "information_requested": "Data anggaran",
    "received_on": "2026-03-13",
    "due_on": "2026-03-27",
}


async def _fill(services: Services, count: int) -> None:
    async with services.database.write() as session:
        for n in range(count):
            await enqueue(session, "bench.noop", {"n": n})


async def _floor(services: Services, count: int) -> float:
    """One single-row UPDATE transaction per job: what any exactly-once claim must pay."""
    started = time.perf_counter()
    for n in range(count):
        async with services.database.write() as session:
            await session.execute(
                text("UPDATE outbox_jobs SET attempts = attempts WHERE id = :id"), {"id": n + 1}
            )
    return count / (time.perf_counter() - started)


async def _drain(workers: list[Worker]) -> float:
    started = time.perf_counter()
    await asyncio.gather(*(worker.run_until_idle(limit=10**6) for worker in workers))
    return time.perf_counter() - started


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    from aiosmtpd.controller import Controller

    jobs, mails = (300, 60) if quick else (2000, 300)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    async with scratch_database("opendata_bench_outbox") as url:
        received: Counter[str] = Counter()

        class Sink:
            async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
                received["mail"] += 1
                return "250 OK"

        controller = Controller(Sink(), hostname="127.0.0.1", port=8734)
        controller.start()
        mail = MailSettings(smtp_url="smtp://127.0.0.1:8734", mail_from="ppid@bench.example")
        settings = Settings(data_dir=SCRATCH, database_url=url, mail=mail)
        first = await open_services(settings)
        second = await open_services(settings, migrate=False)
        try:
            runs: Counter[int] = Counter()

            async def noop(services: HasDatabaseAndSettings, job: Job) -> None:
                runs[job.id] += 1

            await _fill(first, jobs)
            floor = await _floor(first, jobs)
            yield {
                "figure": "reference: one single-row transaction per job",
                "per_second": round(floor),
            }

            seconds = await _drain([Worker(first, {"bench.noop": noop})])
            yield {"figure": "outbox, 1 worker", "jobs": jobs, "per_second": round(jobs / seconds)}

            await _fill(first, jobs)
            seconds = await _drain(
                [Worker(first, {"bench.noop": noop}), Worker(second, {"bench.noop": noop})]
            )
            once = all(count == 1 for count in runs.values()) and len(runs) == 2 * jobs
            yield {
                "figure": "outbox, 2 workers on 2 engines",
                "jobs": jobs,
                "per_second": round(jobs / seconds),
                "each_job_once": once,
            }

            async with first.database.write() as session:
                for n in range(mails):
                    await enqueue_mail(session, "receipt", f"p{n}@bench.example", CONTEXT)
            async with first.database.session() as session:
                ids = list(
                    await session.scalars(
                        text("SELECT id FROM outbox_jobs WHERE kind = :k ORDER BY id"),
                        {"k": MAIL_KIND},
                    )
                )
            started = time.perf_counter()
            for job_id in ids:
                job = Job(
                    job_id,
                    MAIL_KIND,
                    {"template": "receipt", "to": "x@bench.example", "context": CONTEXT},
                    1,
                )
                await aiosmtplib.send(build_message(first, job), hostname="127.0.0.1", port=8734)
            direct = mails / (time.perf_counter() - started)
            yield {"figure": "reference: the same mails sent directly", "per_second": round(direct)}

            seconds = await _drain(
                [
                    Worker(first, {MAIL_KIND: send_mail_job}),
                    Worker(second, {MAIL_KIND: send_mail_job}),
                ]
            )
            yield {
                "figure": "mails through the outbox, 2 workers",
                "mails": mails,
                "per_second": round(mails / seconds),
                "received": received["mail"] - mails,
            }
        finally:
            await second.close()
            await first.close()
            controller.stop()
