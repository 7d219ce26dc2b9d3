"""Migration 0006 moves rows out of the JSON `resource_rows` table into typed tables."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command

from opendata.catalogue.row_query import row_source, stream_rows
from opendata.db.engine import Database
from opendata.db.migrate import alembic_config, upgrade_to_head
from opendata.db.models import Resource
from opendata.visibility.policy import DatasetPolicy
from tests.conftest import DatabaseFactory, _server_dsn, create_pg_database, sqlalchemy_url

FIELDS = [
    {"name": "kode", "type": "integer", "title": None},
    {"name": "tanggal", "type": "date", "title": None},
    {"name": "nama", "type": "string", "title": None},
    {"name": "aktif", "type": "boolean", "title": None},
]
ROWS = [
    {"kode": 9223372036854775807, "tanggal": "2024-02-29", "nama": "Kubu", "aktif": True},
    {"kode": None, "tanggal": None, "nama": None, "aktif": False},
    {"kode": -5, "tanggal": "1999-01-01", "nama": "Rasau Jaya", "aktif": None},
]


async def _old_database(factory: DatabaseFactory, dialect: str, tmp_path: Path) -> Database:
    if dialect == "sqlite":
        return Database(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    name = await create_pg_database()
    factory.created_pg.append(name)
    return Database(sqlalchemy_url(_server_dsn(name)))


def _upgrade_to_0003(connection: sa.Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "0003")


def _fill(connection: sa.Connection) -> None:
    statements: list[tuple[str, dict[str, Any]]] = [
        (
            "INSERT INTO agencies (id, slug, name, content_hash, created_at, updated_at) "
            "VALUES (1, 'bapenda', 'Bapenda', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            {},
        ),
        (
            "INSERT INTO datasets (id, slug, agency_id, title, description, keywords, topics, "
            "license, category, source_path, content_hash, created_at, updated_at) VALUES "
            "(1, 'lama', 1, 'Lama', '', '[]', '[]', '', 'PERIODIC', '', '', CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)",
            {},
        ),
        (
            "INSERT INTO resources (id, dataset_id, name, position, path, format, fields, "
            "row_count) VALUES (1, 1, 'data', 0, 'data.csv', 'csv', :fields, 3)",
            {"fields": json.dumps(FIELDS)},
        ),
    ]
    for position, row in enumerate(ROWS):
        statements.append(
            (
                "INSERT INTO resource_rows (resource_id, position, data) VALUES (1, :p, :d)",
                {"p": position, "d": json.dumps(row)},
            )
        )
    for statement, values in statements:
        connection.execute(sa.text(statement), values)


@asynccontextmanager
async def migrated(
    factory: DatabaseFactory,
    dialect: str,
    tmp_path: Path,
    *prepare: Callable[[sa.Connection], None],
) -> AsyncIterator[Database]:
    """A database brought to an old revision and filled by `prepare`, then upgraded to head."""
    database = await _old_database(factory, dialect, tmp_path)
    try:
        async with database.engine.begin() as connection:
            for step in prepare:
                await connection.run_sync(step)
        await upgrade_to_head(database)
        yield database
    finally:
        await database.dispose()


async def test_migration_0006_moves_json_rows_into_a_typed_table(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    old = migrated(database_factory, dialect, tmp_path, _upgrade_to_0003, _fill)
    async with old as database, database.session() as session:
        resource = await session.scalar(sa.select(Resource))
        assert resource is not None and resource.row_table and resource.cursor_key
        source = row_source(resource, DatasetPolicy(1))
        moved = [row async for batch in stream_rows(session, source) for row in batch]
        tables = await session.run_sync(lambda s: sa.inspect(s.connection()).get_table_names())
    assert moved == ROWS
    assert "resource_rows" not in tables
