"""Ticks: when each source is due, and the one outbox job per tick that pulls it.

A source on an N-minute schedule is due at every multiple of N minutes since the Unix epoch
(UTC), so every server computes the same ticks without asking another. Each server scans on
its own interval and queues a job for the current tick of every source with the dedupe key
`pull:<source>:<tick>`: the outbox's unique index makes it one job however many servers scan
(as reminders are queued once), and the outbox's lease makes one worker run it. A server that
was down for several ticks queues only the current one: a pull fetches the source as it is
now, so missed ticks have nothing left to fetch.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from opendata.catalogue.sources import DatasetSource
from opendata.db.base import utcnow
from opendata.db.models import Dataset
from opendata.outbox.queue import enqueue
from opendata.parts import HasDatabase

logger = logging.getLogger("opendata.pull")

PULL_KIND = "source.pull"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def current_tick(now: datetime, schedule_minutes: int) -> datetime:
    """The latest tick of an N-minute schedule at or before `now`."""
    period = timedelta(minutes=schedule_minutes)
    return EPOCH + ((now - EPOCH) // period) * period


def dedupe_key(source_id: int, tick: datetime) -> str:
    return f"pull:{source_id}:{tick.isoformat()}"


async def scan_sources(parts: HasDatabase, *, now: datetime | None = None) -> int:
    """Queue the current tick of every source of a published dataset; the number newly queued."""
    now = now or utcnow()
    queued = 0
    async with parts.database.write() as session:
        rows = await session.execute(
            select(DatasetSource.id, DatasetSource.schedule_minutes, Dataset.slug)
            .join(Dataset, Dataset.id == DatasetSource.dataset_id)
            .where(Dataset.removed_at.is_(None))
            .order_by(DatasetSource.id)
        )
        for source_id, minutes, slug in rows.all():
            tick = current_tick(now, minutes)
            payload = {
                "source_id": source_id,
                "tick": tick.isoformat(),
                "summary": f"pull {slug} at {tick.isoformat()}",
            }
            if await enqueue(
                session, PULL_KIND, payload, run_after=tick, dedupe_key=dedupe_key(source_id, tick)
            ):
                queued += 1
    if queued:
        logger.info("source scan: %d pulls queued", queued)
    return queued
