"""A PostgreSQL read costs its statements' round trips and nothing more (issue 26): it runs
in autocommit, read-only, under its connection's statement bound, with no BEGIN, SET LOCAL
or ROLLBACK around it; it holds no transaction (nor the locks one keeps) between its
statements; a stream still gets the transaction a server-side cursor needs; a write on the
same connection is unbounded and may write; the rate limiter's writes keep off the reads'
connections. What needs one snapshot across statements (a download) still has it, on both
databases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from opendata.config import RateLimits
from opendata.db.engine import Database
from opendata.errors import StatementTimedOut
from opendata.services import Services
from opendata.web.rate_limit import RateLimiter
from tests.conftest import DatabaseFactory

VALUE = text("SELECT value FROM meta WHERE key = 'round-trips-test'")


async def _driver(database: Database) -> tuple[int, asyncpg.Connection]:
    """The one pooled connection's backend and driver connection, after a read on it."""
    async with database.session() as session:
        pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
        raw = await (await session.connection()).get_raw_connection()
        return pid, raw.driver_connection  # type: ignore[return-value]


@asynccontextmanager
async def _watched(factory: DatabaseFactory) -> AsyncIterator[tuple[Database, asyncpg.Connection]]:
    """A one-connection PostgreSQL database, and a connection of its own to watch it from."""
    database = Database(await factory.url("postgres"), pool_size=1)
    observer = await asyncpg.connect(database.url.replace("+asyncpg", ""))
    try:
        yield database, observer
    finally:
        await observer.close()
        await database.dispose()


async def _state(observer: asyncpg.Connection, pid: int) -> str:
    """What the backend `pid` is doing: 'idle', or 'idle in transaction' while one is open."""
    return str(await observer.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", pid))


async def test_a_read_sends_nothing_but_its_statements(
    database_factory: DatabaseFactory,
) -> None:
    database = Database(
        await database_factory.url("postgres"), pool_size=1, statement_timeout_ms=5000
    )
    try:
        _, driver = await _driver(database)  # the connection is given its settings once
        sent: list[str] = []
        driver.add_query_logger(lambda record: sent.append(record.query))
        for n in range(3):
            async with database.session() as session:
                assert await session.scalar(text(f"SELECT {n}")) == n
                assert await session.scalar(text("SHOW statement_timeout")) == "5s"
        # a transaction's BEGIN, SET LOCAL and ROLLBACK would be listed here
        assert sent == []
    finally:
        await database.dispose()


async def test_the_shared_rate_limit_leaves_the_reads_connections_alone(
    database_factory: DatabaseFactory,
) -> None:
    """The rate limiter writes a bucket on every request: on a read's connection it undid
    the read's settings and the next read set them again, two round trips a request."""
    database = Database(
        await database_factory.url("postgres"), pool_size=1, statement_timeout_ms=5000
    )
    limiter = RateLimiter(RateLimits(enabled=True), shared=database, door="pages")
    try:
        _, driver = await _driver(database)
        sent: list[str] = []
        driver.add_query_logger(lambda record: sent.append(record.query))
        for _ in range(3):
            assert await limiter.retry_after("addr:198.51.100.7") is None
            async with database.session() as session:
                assert await session.scalar(text("SELECT 1")) == 1
        assert sent == []
    finally:
        await database.dispose()


async def test_a_read_holds_no_transaction_between_its_statements(
    database_factory: DatabaseFactory,
) -> None:
    """A catalogue reload replacing a table a request has read does not wait for the
    request to end."""
    async with (
        _watched(database_factory) as (database, observer),
        database.shared_reads(),
        database.session() as session,
    ):
        await session.execute(text("SELECT count(*) FROM meta"))
        pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
        assert await _state(observer, pid) == "idle"
        async with observer.transaction():
            await observer.execute("LOCK TABLE meta IN ACCESS EXCLUSIVE MODE NOWAIT")


async def test_a_stream_gets_a_transaction_that_ends_with_it(
    database_factory: DatabaseFactory,
) -> None:
    numbers = text("SELECT n FROM generate_series(1, 5000) AS n").execution_options(yield_per=100)
    async with (
        _watched(database_factory) as (database, observer),
        database.session() as session,
    ):
        pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
        streamed = await session.stream(numbers)
        assert [n async for n in streamed.scalars()] == list(range(1, 5001))
        assert await _state(observer, pid) == "idle"  # its transaction ended with its cursor
        # one closed half-way ends it too, and the session reads on
        streamed = await session.stream(numbers)
        assert len(await streamed.fetchmany(100)) == 100
        await streamed.close()
        assert await _state(observer, pid) == "idle"
        assert await session.scalar(text("SELECT 1")) == 1


async def test_writes_on_a_read_connection_are_unbounded_and_reads_bounded_again(
    database_factory: DatabaseFactory,
) -> None:
    database = Database(
        await database_factory.url("postgres"), pool_size=1, statement_timeout_ms=200
    )
    sleep = text("SELECT pg_sleep(0.5)")
    try:
        read_pid, _ = await _driver(database)
        async with database.write() as session:
            assert int(await session.scalar(text("SELECT pg_backend_pid()")) or 0) == read_pid
            await session.execute(sleep)  # past the read bound: a write is not bounded
            await session.execute(
                text("INSERT INTO meta (key, value) VALUES ('round-trips-test', 'written')")
            )
        async with database.session() as session:
            assert await session.scalar(VALUE) == "written"
            with pytest.raises(StatementTimedOut):
                await session.execute(sleep)
    finally:
        await database.dispose()


async def test_a_read_session_never_writes(services: Services) -> None:
    """A write slipped into a read session is refused on both databases (their reads run
    without a transaction, whose end would otherwise keep it); the same connection, lent
    to a write next, writes."""
    database = services.database
    insert = text("INSERT INTO meta (key, value) VALUES ('round-trips-test', 'read')")
    refusal = "read-only transaction" if database.is_postgres else "readonly database"
    async with database.session() as session:
        with pytest.raises(DBAPIError, match=refusal):
            await session.execute(insert)
    async with database.session() as session:
        assert await session.scalar(VALUE) is None
    async with database.write() as session:
        await session.execute(insert)
    async with database.session() as session:
        assert await session.scalar(VALUE) == "read"
        with pytest.raises(DBAPIError, match=refusal):
            await session.execute(text("DELETE FROM meta WHERE key = 'round-trips-test'"))


async def test_a_snapshot_sees_one_database_across_statements(services: Services) -> None:
    """The torn read a download must never make: a write committed between two of its
    statements is not seen by the second."""
    database = services.database
    count = text("SELECT count(*) FROM meta WHERE key = 'round-trips-test'")
    async with database.snapshot() as snapshot:
        assert await snapshot.scalar(count) == 0

        async def write() -> None:
            async with database.write() as session:
                await session.execute(
                    text("INSERT INTO meta (key, value) VALUES ('round-trips-test', 'later')")
                )

        await asyncio.create_task(write())
        assert await snapshot.scalar(count) == 0
    async with database.session() as session:  # a read after it sees the write
        assert await session.scalar(count) == 1
