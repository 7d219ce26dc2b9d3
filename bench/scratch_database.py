"""A benchmark's own PostgreSQL database: empty when the bench starts, dropped when it ends,
however it ends, so that `bench/run.py` leaves no database behind on the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(f"{PG_SERVER}/test")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def drop_database(name: str) -> None:
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def fresh_database(name: str) -> str:
    """The SQLAlchemy URL of a new, empty database `name`; one a killed run left is replaced."""
    await drop_database(name)
    await _admin(f'CREATE DATABASE "{name}"')
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


@asynccontextmanager
async def scratch_database(name: str) -> AsyncIterator[str]:
    """`fresh_database`, dropped again when the block ends, also by an error or a Ctrl-C."""
    url = await fresh_database(name)
    try:
        yield url
    finally:
        await drop_database(name)
