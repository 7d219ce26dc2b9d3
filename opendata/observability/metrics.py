"""Prometheus metrics (`prometheus_client`): requests and latency by route, the database
pool, outbox jobs by kind and state, reminders sent, and how far search is behind the
catalogue. Each app has its own registry (several apps live in one test process).

The request metrics are this process's; the database figures (jobs, reminders, search lag)
are read from the shared database at each scrape, so any server gives the same answer.
With `serve --workers N` each scrape reaches one worker: scrape each instance's port, or
read the request figures as one worker's sample.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.pool import QueuePool

from opendata.catalogue.changes import read_generation
from opendata.db.engine import Database
from opendata.db.models import Meta
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.search.index import SearchIndex
from opendata.search.postgres_backend import GENERATION_KEY

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# reminder jobs carry a dedupe key starting with this (opendata.mail.reminders)
REMINDER_KEY_PREFIX = "reminder:"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "opendata_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "opendata_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )
        self.pool_in_use = self._gauge(
            "opendata_db_pool_in_use", "Database connections of this process in use"
        )
        self.pool_size = self._gauge(
            "opendata_db_pool_size",
            "Database connections this process keeps open (PostgreSQL pool size)",
        )
        self.outbox_jobs = self._gauge(
            "opendata_outbox_jobs",
            "Outbox jobs by kind and state (PENDING, RUNNING, DONE, FAILED, HELD)",
            ("kind", "status"),
        )
        self.reminders_sent = self._gauge(
            "opendata_reminders_sent", "Reminder e-mails sent, all servers together"
        )
        self.search_lag = self._gauge(
            "opendata_search_lag_generations",
            "Catalogue changes the search index has not yet taken in (whoosh catches up "
            "before its next search; PostgreSQL search is always 0)",
        )

    def _gauge(self, name: str, documentation: str, labels: tuple[str, ...] = ()) -> Gauge:
        """A gauge in this app's registry."""
        return Gauge(name, documentation, labels, registry=self.registry)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    async def render(self, database: Database, search: SearchIndex) -> bytes:
        """Reads the database figures, then the whole registry in the text format."""
        pool = database.engine.pool
        if isinstance(pool, QueuePool):
            self.pool_in_use.set(pool.checkedout())
            self.pool_size.set(pool.size())
        async with database.session() as session:
            await self._outbox(session)
            self.search_lag.set(await search_lag(session, search))
        return generate_latest(self.registry)

    async def _outbox(self, session: AsyncSession) -> None:
        counts = await session.execute(
            select(OutboxJob.kind, OutboxJob.status, func.count()).group_by(
                OutboxJob.kind, OutboxJob.status
            )
        )
        self.outbox_jobs.clear()
        for kind, status, count in counts:
            self.outbox_jobs.labels(kind, status).set(count)
        reminders = await session.scalar(
            select(func.count()).where(
                OutboxJob.status == JobStatus.DONE.value,
                OutboxJob.dedupe_key.startswith(REMINDER_KEY_PREFIX),
            )
        )
        self.reminders_sent.set(reminders or 0)


async def index_generation(session: AsyncSession, search: SearchIndex) -> int | None:
    """The catalogue generation the search index reflects (None: not known)."""
    stored = getattr(search, "stored_generation", None)
    if callable(stored):  # whoosh: beside the index files
        found = stored()
        return int(found[0]) if found else None
    value = await session.scalar(select(Meta.value).where(Meta.key == GENERATION_KEY))
    return int(value) if value is not None else None


async def search_lag(session: AsyncSession, search: SearchIndex) -> int:
    """How many catalogue generations the index is behind (negative: ahead, which means it
    was built from another database)."""
    indexed = await index_generation(session, search)
    return await read_generation(session) - (indexed if indexed is not None else 0)
