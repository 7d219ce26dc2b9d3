"""Shared fixtures: a fresh migrated database per test on SQLite and on PostgreSQL.

PostgreSQL tests need a server at OPENDATA_TEST_PG (default 127.0.0.1:5432, user postgres).
Without one they skip with the reason, unless OPENDATA_REQUIRE_POSTGRES=1 (CI), where the
skip becomes a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from opendata.config import RateLimits, Settings
from opendata.db.engine import Database
from opendata.db.migrate import upgrade_to_head
from opendata.services import Services, open_services

PG_DSN = os.environ.get("OPENDATA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("OPENDATA_REQUIRE_POSTGRES") == "1"
# how many of the session's databases are dropped at once when it ends (`DatabaseFactory.cleanup`):
# each DROP DATABASE waits for a checkpoint (PostgreSQL 15), and the drops waiting together share
# the next one. 8 at once: 40 clones in 4.6-21 s; 40 at once: 0.56 s. Two workers stay under the
# server's 100 connections; a refused connection is retried (`drop_pg_database`).
DROPS_AT_ONCE = 32
FIXTURES = Path(__file__).parent / "fixtures"

_pg_state: dict[str, object] = {}


def pytest_configure(config: pytest.Config) -> None:
    """pytest-xdist hands out files in the order of `pytest_collection_modifyitems` below,
    not its own (the files with the most tests first): that put a one-test file of a minute
    (a server under fuzzing) last on one worker while the other had finished."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files marked slow first, then those with the most tests: each worker takes the
    next file when it is done, so the long ones run while the short ones can fill in behind
    them. Tests keep their order within a file (and their module-scoped fixtures)."""
    tests_in: dict[str, int] = {}
    slow: set[str] = set()
    for item in items:
        tests_in[item.path.as_posix()] = tests_in.get(item.path.as_posix(), 0) + 1
        if item.get_closest_marker("slow") is not None:
            slow.add(item.path.as_posix())
    items.sort(key=lambda item: (item.path.as_posix() not in slow, -tests_in[item.path.as_posix()]))


async def _pg_available() -> str | None:
    """None if PostgreSQL answers, else the reason."""
    if "reason" not in _pg_state:
        try:
            conn = await asyncpg.connect(PG_DSN, timeout=3)
            await conn.close()
            _pg_state["reason"] = None
        except Exception as error:  # any failure to connect means "no server here"
            _pg_state["reason"] = f"PostgreSQL not reachable at {PG_DSN}: {error}"
    return _pg_state["reason"]  # type: ignore[return-value]


async def require_postgres() -> None:
    reason = await _pg_available()
    if reason is not None:
        if REQUIRE_PG:
            pytest.fail(f"OPENDATA_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)


def _server_dsn(database: str) -> str:
    base, _, _ = PG_DSN.rpartition("/")
    return f"{base}/{database}"


async def create_pg_database(template: str | None = None) -> str:
    name = f"opendata_t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_DSN)
    try:
        clause = f" TEMPLATE {template}" if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{clause}')
    finally:
        await conn.close()
    return name


async def drop_pg_database(name: str) -> None:
    for wait in (0.2, 0.5, 1.0, 2.0, 4.0, 0.0):
        try:
            conn = await asyncpg.connect(PG_DSN)
            break
        except asyncpg.TooManyConnectionsError:  # other workers' or sessions' connections
            if not wait:
                raise
            await asyncio.sleep(wait)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def take_away_pg_database(factory: DatabaseFactory, name: str) -> None:
    """The database `name` no longer exists for whoever connects, as if dropped, at once: it
    is closed to connections, its sessions ended, and renamed, and the session's clean-up
    drops it with the others. A DROP DATABASE here would wait for a checkpoint of everything
    the suite wrote so far (184 s in one loaded run)."""
    gone = f"{name}_gone"
    conn = await asyncpg.connect(PG_DSN)
    try:
        await conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        # waits (up to 5 s) for the ended sessions to leave
        await conn.execute(f'ALTER DATABASE "{name}" RENAME TO "{gone}"')
    finally:
        await conn.close()
    factory.created_pg.append(gone)


def sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+asyncpg://", 1)


class DatabaseFactory:
    """Fresh migrated databases, cloned from a template migrated once per session."""

    def __init__(self, tmp_root: Path) -> None:
        self.tmp_root = tmp_root
        self._sqlite_template: Path | None = None
        self._pg_template: str | None = None
        self.created_pg: list[str] = []

    async def sqlite_url(self) -> str:
        if self._sqlite_template is None:
            template = self.tmp_root / "template.sqlite3"
            database = Database(f"sqlite+aiosqlite:///{template}")
            await upgrade_to_head(database)
            await database.dispose()
            self._sqlite_template = template
        target = self.tmp_root / f"db_{uuid.uuid4().hex[:10]}.sqlite3"
        shutil.copyfile(self._sqlite_template, target)
        return f"sqlite+aiosqlite:///{target}"

    async def postgres_url(self) -> str:
        if self._pg_template is None:
            name = await create_pg_database()
            database = Database(sqlalchemy_url(_server_dsn(name)))
            await upgrade_to_head(database)
            await database.dispose()
            self._pg_template = name
            self.created_pg.append(name)
        name = await create_pg_database(template=self._pg_template)
        self.created_pg.append(name)
        return sqlalchemy_url(_server_dsn(name))

    async def url(self, dialect: str) -> str:
        if dialect == "postgres":
            await require_postgres()
            return await self.postgres_url()
        return await self.sqlite_url()

    async def cleanup(self) -> None:
        """Drops every database made this session, several at a time: one DROP DATABASE of
        a migrated clone waits most of a second on the server, hundreds of them one by one
        were minutes of the suite's end."""
        gate = asyncio.Semaphore(DROPS_AT_ONCE)

        async def drop(name: str) -> None:
            async with gate:
                await drop_pg_database(name)

        # the template with its clones: CREATE DATABASE ... TEMPLATE is done by now
        await asyncio.gather(*(drop(name) for name in self.created_pg))


@pytest.fixture(scope="session")
async def database_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    await factory.cleanup()


@pytest.fixture(params=["sqlite", "postgres"])
def dialect(request: pytest.FixtureRequest) -> str:
    """Runs a storage test once on SQLite and once on PostgreSQL."""
    return request.param  # type: ignore[no-any-return]


async def make_services(
    factory: DatabaseFactory, dialect: str, data_dir: Path, **settings: object
) -> Services:
    url = await factory.url(dialect)
    # Tests send bursts from one address: rate limits are off unless a test turns them on.
    settings.setdefault("rate_limits", RateLimits(enabled=False))
    config = Settings(data_dir=data_dir, database_url=url).with_overrides(**settings)
    return await open_services(config)


@pytest.fixture
async def services(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> AsyncIterator[Services]:
    """A fresh, empty, migrated store on the parametrized database."""
    built = await make_services(database_factory, dialect, tmp_path / "data")
    yield built
    await built.close()


def asgi_client(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
def fixtures_dir() -> Iterator[Path]:
    yield FIXTURES
