"""A pooled PostgreSQL connection is handed out without a ping round trip, and one the
server has closed is replaced before any statement is sent on it."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import text

from opendata.db.engine import Database
from tests.conftest import DatabaseFactory


async def _backend(database: Database) -> tuple[int, asyncpg.Connection]:
    async with database.session() as session:
        pid = int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)
        raw = await session.connection()
        dbapi = (await raw.get_raw_connection()).dbapi_connection
        return pid, dbapi._connection  # type: ignore[union-attr]


async def test_a_checkout_sends_nothing_but_the_request_own_statements(
    database_factory: DatabaseFactory,
) -> None:
    database = Database(await database_factory.url("postgres"), pool_size=1)
    try:
        _, connection = await _backend(database)
        sent: list[str] = []
        connection.add_query_logger(lambda record: sent.append(record.query))
        async with database.session() as session:
            assert await session.scalar(text("SELECT 41 + 1")) == 42
        assert [q for q in sent if "41" not in q and q not in ("BEGIN;", "ROLLBACK;")] == []
    finally:
        await database.dispose()


async def test_a_connection_the_server_closed_is_replaced_at_checkout(
    database_factory: DatabaseFactory,
) -> None:
    url = await database_factory.url("postgres")
    database = Database(url, pool_size=1)
    observer = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        pid, _ = await _backend(database)
        assert await observer.fetchval("SELECT pg_terminate_backend($1)", pid)
        await asyncio.sleep(0.2)  # the loop sees the socket close
        new_pid, _ = await _backend(database)
        assert new_pid != pid
    finally:
        await observer.close()
        await database.dispose()
