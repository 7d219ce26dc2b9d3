"""An empty PostgreSQL database (no schema at all), dropped with the test session's others."""

from __future__ import annotations

from tests.conftest import DatabaseFactory, create_pg_database, require_postgres, sqlalchemy_url
from tests.conftest import _server_dsn as server_dsn


async def empty_postgres(factory: DatabaseFactory) -> tuple[str, str]:
    """(name, SQLAlchemy URL) of a new empty database; skips or fails without PostgreSQL."""
    await require_postgres()
    name = await create_pg_database()
    factory.created_pg.append(name)
    return name, sqlalchemy_url(server_dsn(name))
