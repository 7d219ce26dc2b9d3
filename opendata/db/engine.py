"""The async engine and sessions, with the per-database settings that keep behaviour equal.

SQLite gets WAL, foreign keys and a busy timeout; write units of work begin with
`BEGIN IMMEDIATE` there, so that two writers queue instead of failing half-way (PostgreSQL
gets the same effect from row locks and `SELECT ... FOR UPDATE`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

# aiosqlite's DEBUG lines print every statement's bound parameters (personal data): never
logging.getLogger("aiosqlite").setLevel(logging.INFO)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")  # acknowledged means on disk
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def uninterrupted_connect(url: str) -> Callable[[], Awaitable[asyncpg.Connection]]:
    """asyncpg.connect that a cancelled caller cannot stop half-way.

    A request task cancelled while the pool opens a connection for it (graphql-core cancels
    sibling resolvers when one fails) used to interrupt asyncpg between its TCP connect and
    the SSL negotiation, which then logged "Future exception was never retrieved:
    unexpected connection_lost()". The connect now runs to its end in its own task; if the
    caller is gone by then, the new connection is closed and any error retrieved."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def connect() -> asyncpg.Connection:
        opening = asyncio.ensure_future(asyncpg.connect(dsn))
        try:
            return await asyncio.shield(opening)
        except asyncio.CancelledError:
            opening.add_done_callback(_close_unclaimed)
            raise

    return connect


def _close_unclaimed(opening: asyncio.Future[asyncpg.Connection]) -> None:
    if opening.cancelled():
        return
    if opening.exception() is None:  # retrieved either way
        opening.result().terminate()


class Database:
    """One database: an engine, a session factory for reads and one for writes."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}  # no data in logs
        if self.dialect == "postgresql":
            options.update(
                pool_size=pool_size,
                max_overflow=pool_size,
                pool_pre_ping=True,
                async_creator=uninterrupted_connect(url),
            )
        elif ":memory:" in url:
            raise ValueError("in-memory SQLite is not supported: give a file path")
        else:
            options.update(poolclass=NullPool) if url.endswith("?nullpool") else None
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
            write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        else:
            write_engine = self.engine
        self._read = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write = async_sessionmaker(write_engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def session(self) -> AsyncSession:
        """A session for reading (no write lock taken on SQLite)."""
        return self._read()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any error."""
        async with self._write() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
