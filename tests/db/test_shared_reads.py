"""One request's reads share one session (`Database.shared_reads`, issue 26) without changing
what they see: a write in the request is seen by the reads after it, a failed read does not
spoil the next, concurrent and nested reads all answer, and a busy pool gets the connection
back after each read."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from opendata.db.engine import Database
from opendata.services import Services

VALUE = text("SELECT value FROM meta WHERE key = 'shared-reads-test'")


async def _read(database: Database, statement: Any = VALUE) -> Any:
    async with database.session() as session:
        return await session.scalar(statement)


async def test_the_reads_of_a_request_take_one_checkout(services: Services) -> None:
    database = services.database
    checkouts: list[int] = []

    def record(*_: Any) -> None:
        checkouts.append(1)

    event.listen(database.engine.sync_engine.pool, "checkout", record)
    try:
        async with database.shared_reads():
            for n in range(3):
                assert await _read(database, text(f"SELECT {n}")) == n
        assert len(checkouts) == 1
        for n in range(2):  # outside a request: a session each, as before
            assert await _read(database, text(f"SELECT {n}")) == n
        assert len(checkouts) == 3
    finally:
        event.remove(database.engine.sync_engine.pool, "checkout", record)
    assert database.engine.sync_engine.pool.checkedout() == 0  # given back at the end


async def test_a_read_after_a_write_in_the_same_request_sees_it(services: Services) -> None:
    database = services.database
    async with database.shared_reads():
        assert await _read(database) is None  # the read transaction has begun
        async with database.write() as session:
            await session.execute(
                text("INSERT INTO meta (key, value) VALUES ('shared-reads-test', 'written')")
            )
        assert await _read(database) == "written"


async def test_a_read_begun_during_a_write_does_not_outlive_it(services: Services) -> None:
    """A concurrent reader (another resolver) reading while the write runs begins a read
    transaction older than the write's commit: the reads after the write do not reuse it."""
    database = services.database
    async with database.shared_reads():
        async with database.write() as session:
            await session.execute(
                text("INSERT INTO meta (key, value) VALUES ('shared-reads-test', 'written')")
            )
            assert await asyncio.create_task(_read(database)) is None  # not yet committed
        assert await _read(database) == "written"


async def test_a_failed_read_does_not_spoil_the_next(services: Services) -> None:
    database = services.database
    async with database.shared_reads():
        assert await _read(database, text("SELECT 1")) == 1
        with pytest.raises(DBAPIError):
            await _read(database, text("SELECT * FROM no_such_table"))
        # PostgreSQL would refuse anything more in the failed transaction: a fresh session
        assert await _read(database, text("SELECT 2")) == 2


async def test_concurrent_and_nested_reads_all_answer(services: Services) -> None:
    database = services.database

    async def nested() -> int:
        async with database.session() as session:
            inner = await _read(database, text("SELECT 7"))  # inside the loan: its own session
            return int(inner) + int(await session.scalar(text("SELECT 1")) or 0)

    async with database.shared_reads():
        reads = (_read(database, text(f"SELECT {n}")) for n in range(4))
        answers = await asyncio.wait_for(asyncio.gather(*reads, nested()), timeout=30)
    assert answers == [0, 1, 2, 3, 8]


async def test_a_busy_pool_gets_the_connection_back_after_each_read(services: Services) -> None:
    database = services.database
    pool = database.engine.sync_engine.pool
    others = [await database.engine.connect() for _ in range(pool.size())]  # type: ignore[attr-defined]
    try:
        async with database.shared_reads():
            assert await _read(database, text("SELECT 1")) == 1
            assert pool.checkedout() == len(others)  # type: ignore[attr-defined]
    finally:
        for connection in others:
            await connection.close()
