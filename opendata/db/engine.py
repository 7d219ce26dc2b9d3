"""The async engine and sessions, with the per-database settings that keep behaviour equal.

SQLite gets WAL, foreign keys and a busy timeout; write units of work begin with
`BEGIN IMMEDIATE` there, so that two writers queue instead of failing half-way (PostgreSQL
gets the same effect from row locks and `SELECT ... FOR UPDATE`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool


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


class Database:
    """One database: an engine, a session factory for reads and one for writes."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        options: dict[str, Any] = {"echo": echo}
        if self.dialect == "postgresql":
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
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
