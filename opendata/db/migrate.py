"""The schema's version: where a database stands, moving it to head, and refusing what is unsafe.

- `schema_state` reads the revisions a database is at (Alembic's `alembic_version`) and
  compares them with the migrations this code carries: EMPTY, AT_HEAD, BEHIND or AHEAD (a
  newer server migrated it; this one does not know the revision).
- `upgrade_to_head` applies the migrations under one PostgreSQL advisory lock and logs every
  migration it applies (logger `opendata.migrate`).
- `prepare_schema` is what a server does at start: install an empty database, upgrade an
  embedded (SQLite) one, and refuse a PostgreSQL database that is behind (the administrator
  runs `opendata db upgrade`, see the README's deployment section) or any database that is
  ahead, with one line saying so (`SchemaRefused`).
- `SchemaGuard` makes a running server refuse to write once the schema moved past it (an old
  server left running after `opendata db upgrade`): `SchemaChanged`, HTTP 503, not a 500.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from opendata.db.engine import Database
from opendata.errors import DomainError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# the advisory lock key migrations and the first load of the demo catalogue take (env.py)
SCHEMA_LOCK = 727272
# a running server looks at the schema's revision again after this many seconds
GUARD_SECONDS = 2.0

log = logging.getLogger("opendata.migrate")


class SchemaRefused(Exception):
    """The database's schema is not one this server may use; the message is one line."""


class SchemaChanged(DomainError, code="SCHEMA_CHANGED", http_status=503):
    """A write refused because the database was upgraded past this server's code."""

    def __init__(self) -> None:
        super().__init__(
            "Basis data telah dimutakhirkan ke versi yang lebih baru dari server ini; "
            "perubahan ditolak. Mulai ulang server dengan versi terbaru.",
            "The database was upgraded past this server's version; changes are refused. "
            "Restart the server on the new version.",
        )


class SchemaStatus(enum.Enum):
    EMPTY = "empty"
    AT_HEAD = "at head"
    BEHIND = "behind"
    AHEAD = "ahead"


@dataclass(frozen=True)
class SchemaState:
    current: frozenset[str]
    heads: frozenset[str]
    # revisions in the database that this code does not carry: a newer server's
    unknown: frozenset[str]
    status: SchemaStatus

    def describe(self) -> str:
        at = ", ".join(sorted(self.current)) or "nothing (empty database)"
        head = ", ".join(sorted(self.heads))
        return f"schema at {at}; this server's head is {head} ({self.status.value})"


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _applied(scripts: ScriptDirectory, current: frozenset[str]) -> frozenset[str]:
    """Every revision a database at `current` has had applied (dependencies included)."""
    return frozenset(
        revision.revision for revision in scripts.iterate_revisions(tuple(sorted(current)), "base")
    )


def head_versions() -> frozenset[str]:
    """What `alembic_version` holds at head: the heads that no other head depends on (0002
    is a head in the graph, yet a dependency of 0004, so a database at head lists 0025 only)."""
    scripts = script_directory()
    heads = frozenset(scripts.get_heads())
    return frozenset(head for head in heads if head not in _applied(scripts, heads - {head}))


def _state(connection: Connection) -> SchemaState:
    scripts = script_directory()
    heads = head_versions()
    current = frozenset(MigrationContext.configure(connection).get_current_heads())
    known = frozenset(revision.revision for revision in scripts.walk_revisions())
    unknown = frozenset(current - known)
    if not current:
        status = SchemaStatus.EMPTY
    elif unknown:
        status = SchemaStatus.AHEAD
    elif _applied(scripts, current) == known:
        status = SchemaStatus.AT_HEAD
    else:
        status = SchemaStatus.BEHIND
    return SchemaState(current=current, heads=heads, unknown=unknown, status=status)


async def schema_state(database: Database) -> SchemaState:
    async with database.engine.connect() as connection:
        return await connection.run_sync(_state)


def _log_applied(*, step: Any, **_: Any) -> None:
    # `step` is Alembic's MigrationInfo: one line per migration, with its message
    revision = step.up_revision
    name = revision.doc.splitlines()[0] if revision is not None and revision.doc else ""
    log.info("migration %s applied: %s", ", ".join(step.up_revision_ids), name)


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["on_version_apply"] = (_log_applied,)
    command.upgrade(config, "heads")


@asynccontextmanager
async def schema_lock(database: Database) -> AsyncIterator[AsyncConnection]:
    """A connection holding the schema's advisory lock (PostgreSQL) for the block: what
    migrates the database and what first fills it (the demo catalogue) run one server at a
    time. The migrations run on this same connection (the lock is re-entrant there)."""
    async with database.engine.connect() as connection:
        if database.is_postgres:
            await connection.execute(text(f"SELECT pg_advisory_lock({SCHEMA_LOCK})"))
            await connection.commit()
        try:
            yield connection
        finally:
            if database.is_postgres:
                await connection.rollback()
                await connection.execute(text(f"SELECT pg_advisory_unlock({SCHEMA_LOCK})"))
                await connection.commit()


async def _upgrade_on(connection: AsyncConnection) -> SchemaState:
    before = await connection.run_sync(_state)
    if before.status is SchemaStatus.AHEAD:
        raise SchemaRefused(_ahead_message(before))
    if before.status is SchemaStatus.AT_HEAD:
        await connection.rollback()
        return before
    started = time.perf_counter()
    log.info("migrating the database: %s", before.describe())
    await connection.run_sync(_upgrade)
    await connection.commit()
    after = await connection.run_sync(_state)
    await connection.rollback()
    log.info(
        "database at head %s in %.2f s",
        ", ".join(sorted(after.current)),
        time.perf_counter() - started,
    )
    return after


async def upgrade_to_head(database: Database) -> SchemaState:
    """Migrate the database to the newest schema, logging each migration; safe at every start.
    A database ahead of this code is refused (SchemaRefused), never downgraded."""
    async with schema_lock(database) as connection:
        return await _upgrade_on(connection)


def _ahead_message(state: SchemaState) -> str:
    return (
        f"the database schema ({', '.join(sorted(state.unknown))}) is newer than this "
        f"server's ({', '.join(sorted(state.heads))}): run the newer opendata version"
    )


async def prepare_schema(database: Database) -> SchemaState:
    """At start: install an empty database and upgrade an embedded one; refuse a PostgreSQL
    schema that is behind (upgrades are the administrator's step) and any that is ahead."""
    state = await schema_state(database)
    if state.status is SchemaStatus.AHEAD:
        raise SchemaRefused(_ahead_message(state))
    if state.status is SchemaStatus.BEHIND and database.is_postgres:
        raise SchemaRefused(
            f"the database schema is behind this server ({state.describe()}): "
            "run `opendata db upgrade` first"
        )
    if state.status is SchemaStatus.AT_HEAD:
        return state
    return await upgrade_to_head(database)


class SchemaGuard:
    """Before a write, checks (at most every GUARD_SECONDS) that the schema's revisions are
    still the ones this server knows; after an upgrade by a newer server, writes are refused."""

    def __init__(self, heads: frozenset[str], *, every: float = GUARD_SECONDS) -> None:
        self.heads = heads
        self.every = every
        self._checked_at = -float("inf")
        self._changed = False

    async def __call__(self, session: AsyncSession) -> None:
        now = time.monotonic()
        if not self._changed and now - self._checked_at < self.every:
            return
        rows = await session.execute(text("SELECT version_num FROM alembic_version"))
        self._changed = frozenset(rows.scalars()) != self.heads
        self._checked_at = now
        if self._changed:
            raise SchemaChanged()
