"""What the shared rate limit costs per request (issue 25): one upsert on PostgreSQL.

Times `RateLimiter.retry_after` over a scratch PostgreSQL database (OPENDATA_BENCH_PG, default
the test server), beside a bare `SELECT 1` round trip on the same pool and the in-process
buckets, sequentially and with 16 concurrent clients.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy import text

from opendata.config import RateLimits
from opendata.db.engine import Database
from opendata.db.migrate import upgrade_to_head
from opendata.web.rate_limit import RateLimiter

SERVER = os.environ.get("OPENDATA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
LIMITS = RateLimits(enabled=True, anonymous_rate=1e6, anonymous_burst=10**9)


async def _per_call_ms(call: object, calls: int, clients: int) -> float:
    async def client(number: int) -> None:
        for i in range(calls // clients):
            await call(f"addr:198.51.{number}.{i % 200}")  # type: ignore[operator]

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return (time.perf_counter() - started) * 1000 / calls


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    name = f"opendata_bench_{uuid.uuid4().hex[:10]}"
    base = SERVER.rpartition("/")[0]
    admin = await asyncpg.connect(SERVER)
    await admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        await upgrade_to_head(database)
        shared = RateLimiter(LIMITS, shared=database, door="bench")
        local = RateLimiter(LIMITS)
        plain = database.engine.execution_options(isolation_level="AUTOCOMMIT")

        async def select_one(_: str) -> None:
            async with plain.connect() as connection:
                await connection.execute(text("SELECT 1"))

        calls = 2000 if quick else 20000
        for clients in (1, 16):
            yield {
                "figure": "ms per request",
                "clients": clients,
                "calls": calls,
                "shared_upsert": round(await _per_call_ms(shared.retry_after, calls, clients), 4),
                "select_1": round(await _per_call_ms(select_one, calls, clients), 4),
                "in_process": round(await _per_call_ms(local.retry_after, calls, clients), 4),
            }
    finally:
        await database.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
