"""A request cancelled while the pool opens its PostgreSQL connection leaves nothing behind:
no "Future exception was never retrieved" from asyncpg, and no connection left open."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from typing import Any

import asyncpg
from sqlalchemy import text

from opendata.db.engine import Database
from tests.conftest import DatabaseFactory


async def test_cancelling_requests_at_every_step_of_a_connect_leaves_no_unretrieved_error(
    database_factory: DatabaseFactory,
) -> None:
    url = await database_factory.url("postgres")
    database = Database(url)
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        for steps in range(40):  # cancel after 0, 1, ... 39 turns of the event loop
            for _ in range(3):

                async def query() -> None:
                    async with database.session() as session:
                        await session.execute(text("SELECT 1"))

                task = asyncio.create_task(query())
                for _ in range(steps):
                    await asyncio.sleep(0)
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await database.engine.dispose()  # the next round opens new connections again
        await asyncio.sleep(0.5)  # connects still running in the background finish
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
        await database.dispose()
    assert [context.get("message") for context in reported] == []
    observer = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        others = await observer.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await observer.close()
    assert others == 0
