"""A typed table per tabular resource, generated from its Frictionless schema.

Like CKAN's DataStore, every resource gets its own table: `_id` (the row's line order, the
primary key and the default order) and one column per declared field, named `c0`, `c1`, ...
by position (so any field name, however long or odd, is safe), typed per `COLUMN_TYPES`.

Index rule: every declared field gets a single-column B-tree index, so equality, `in` and
range filters on any field, and ordering on it, find their rows without a scan; the default
order (`_id`) is the primary key. Strings use byte order ("C" collation on PostgreSQL, as
SQLite's BINARY), so both databases sort and compare text the same way. Text filters fold
case and accents (`row_query.folded`), which a byte-order index cannot answer, so every text
field also gets an index on its folded text (`folded_indexes`): a text equality, `in` or
`startsWith` filter and its count seek there instead of reading every row of another
field's index. A schema's `commonFilters` adds one composite index per named combination
(text folded, as filters compare it). On SQLite a folded index calls the connection's fold
function for text that is not ASCII, so only opendata's own connections (which register
it) may write row tables.

Loads use each backend's fastest path (PostgreSQL COPY through asyncpg; SQLite executemany)
inside the caller's transaction. A reload builds a new table under a new name; the resource
row pointing at it is swapped in the same commit and the old table is dropped afterwards, so
a reader sees either the whole old version or the whole new one.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from opendata.db.engine import BOUNDED_OPTION
from opendata.visibility.fields import FieldDef

T = TypeVar("T", date, datetime)
TABLE_PREFIX = "rows_"
# A dataset version's tables (opendata.publishing) outlive the resource pointing at them:
# the loader never drops them as orphans or as replaced (older versions stay downloadable).
VERSION_TABLE_PREFIX = "rows_v"
# An earlier version's rows inside a table a later version appended to (`bounded_view`):
# a view, so under the version prefix too (never dropped by a load, never written).
VERSION_VIEW_PREFIX = "rows_vw"
ROW_ID = "_id"
# memory for one bulk write's sorts and pages (`bulk_memory`)
BULK_MEMORY_MB = 256


def _text_type() -> sa.types.TypeEngine[Any]:
    return sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")


class _IsoText(sa.types.TypeDecorator[T]):
    """SQLite: a value kept as ISO text (sorts as it compares), read back as `kind`."""

    impl = sa.Text
    cache_ok = True
    kind: type[date]

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        return value.isoformat() if isinstance(value, self.kind) else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        return self.kind.fromisoformat(value) if value is not None else None


class IsoDate(_IsoText[date]):
    """SQLite: a date kept as ISO text, read back as a date."""

    kind = date


class IsoDateTime(_IsoText[datetime]):
    """SQLite: a date and time kept as ISO text, read back as a datetime."""

    kind = datetime


COLUMN_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "string": _text_type(),
    "integer": sa.BigInteger(),
    "number": sa.Double(),
    "boolean": sa.Boolean(create_constraint=False),
    "date": sa.Date().with_variant(IsoDate(), "sqlite"),
    "datetime": sa.DateTime().with_variant(IsoDateTime(), "sqlite"),
}


# SQLite: exactly INTEGER makes `_id` the rowid itself, not a second B-tree beside it (an
# insert then writes one tree, not two); it holds 64 bits there as BIGINT does on PostgreSQL.
_ROW_ID_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def column_name(position: int) -> str:
    return f"c{position}"


def new_table_name(resource_id: int) -> str:
    """A fresh name for a resource's next version (a reload never reuses a live name)."""
    return f"{TABLE_PREFIX}{resource_id}_{secrets.token_hex(4)}"


def new_version_table_name(version_resource_id: int) -> str:
    """A version's table: never dropped by a catalogue load (see `VERSION_TABLE_PREFIX`)."""
    return f"{VERSION_TABLE_PREFIX}{version_resource_id}_{secrets.token_hex(4)}"


def new_version_view_name(version_resource_id: int) -> str:
    """The view an earlier version reads once a later one appended to its table."""
    return f"{VERSION_VIEW_PREFIX}{version_resource_id}_{secrets.token_hex(4)}"


def appendable_version_table(name: str) -> bool:
    """A version's own table (not a load's table, not a view): every version pointing at it
    has all of its rows, so rows may be added in place once those versions read a view."""
    return name.startswith(VERSION_TABLE_PREFIX) and not name.startswith(VERSION_VIEW_PREFIX)


async def bounded_view(session: AsyncSession, view: str, table: str, last_id: int) -> None:
    """`view`: the rows of `table` up to `_id` = `last_id`, what the table holds now, so the
    versions that read it keep reading exactly their rows after an append (ids never reused)."""
    await session.execute(
        sa.text(f'CREATE VIEW "{view}" AS SELECT * FROM "{table}" WHERE "{ROW_ID}" <= {last_id:d}')
    )


def loader_may_drop(name: str) -> bool:
    """A table the catalogue loader owns (not a version's, which its version keeps)."""
    return name.startswith(TABLE_PREFIX) and not name.startswith(VERSION_TABLE_PREFIX)


def new_cursor_key() -> str:
    """The per-resource key that hides row positions inside cursors (see `row_cursors`)."""
    return secrets.token_hex(16)


@lru_cache(maxsize=512)
def row_table(name: str, fields: tuple[FieldDef, ...]) -> sa.Table:
    """The SQLAlchemy table of one resource version (cached: the schema never changes)."""
    columns = [
        sa.Column(
            column_name(position),
            COLUMN_TYPES[field.type],
            nullable=not field.constraints.required,
        )
        for position, field in enumerate(fields)
    ]
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column(ROW_ID, _ROW_ID_TYPE, primary_key=True, autoincrement=False),
        *columns,
    )


def field_columns(table: sa.Table, fields: Sequence[FieldDef]) -> dict[str, sa.Column[Any]]:
    """Field name to its column."""
    return {field.name: table.c[column_name(i)] for i, field in enumerate(fields)}


# A row table's indexes are named after it, so the statements and checks that need one
# (`row_query.seek_plan`, `observed_filters`) find it by name: these are the names.
def field_index_name(table_name: str, position: int) -> str:
    """The index on one field's own values (`table_indexes`)."""
    return f"ix_{table_name}_{column_name(position)}"


def folded_index_name(table_name: str, position: int) -> str:
    """The index on one text field's folded text (`folded_indexes`)."""
    return f"{field_index_name(table_name, position)}_f"


def combination_index_name(table_name: str, columns: Sequence[str]) -> str:
    """A hinted or observed combination's index (`combination_index`) on `columns`."""
    return f"ix_{table_name}_{'_'.join(columns)}_q"


def combination_members(table_name: str, index_name: str) -> tuple[str, ...] | None:
    """The columns of `index_name` if it is a combination index of `table_name`, else None."""
    prefix, suffix = f"ix_{table_name}_", "_q"
    if not (index_name.startswith(prefix) and index_name.endswith(suffix)):
        return None
    return tuple(index_name[len(prefix) : -len(suffix)].split("_"))


def table_indexes(table: sa.Table, fields: Sequence[FieldDef]) -> list[sa.Index]:
    """The index rule in the module docstring: one per declared field (unique if declared),
    and one composite index per `commonFilters` combination (`FieldDef.indexed_with`)."""
    single = [
        sa.Index(
            field_index_name(table.name, i),
            table.c[column_name(i)],
            unique=field.constraints.unique,
        )
        for i, field in enumerate(fields)
    ]
    return single + composite_indexes(table, fields)


def composite_indexes(table: sa.Table, fields: Sequence[FieldDef]) -> list[sa.Index]:
    """For the field combinations a dataset says people filter on together."""
    return [
        combination_index(table, fields, (field.name, *rest))
        for field in fields
        for rest in field.indexed_with
    ]


def combination_index(
    table: sa.Table, fields: Sequence[FieldDef], names: Sequence[str]
) -> sa.Index:
    """One index on the fields `names`, in that order: text members are indexed folded,
    exactly as a text filter compares them (`row_query.folded`), so an equality or `in` on
    every member is one index seek and its count reads only the index. Hinted
    (`commonFilters`) and observed (`observed_filters`) combinations are both this index."""
    from opendata.catalogue.row_query import folded

    position = {f.name: i for i, f in enumerate(fields)}
    kinds = {f.name: f.type for f in fields}
    columns = [table.c[column_name(position[name])] for name in names]
    keys = [
        folded(column) if kinds[name] == "string" else column
        for name, column in zip(names, columns, strict=True)
    ]
    return sa.Index(combination_index_name(table.name, [c.name for c in columns]), *keys)


def folded_indexes(table: sa.Table, fields: Sequence[FieldDef]) -> list[sa.Index]:
    """One index per text field on its folded text, as the text filters compare it (a
    one-field `commonFilters` entry already is that index: not built twice)."""
    from opendata.catalogue.row_query import folded

    return [
        sa.Index(folded_index_name(table.name, i), folded(table.c[column_name(i)]))
        for i, field in enumerate(fields)
        if field.type == "string" and () not in field.indexed_with
    ]


def row_indexes(table: sa.Table, fields: Sequence[FieldDef]) -> list[sa.Index]:
    """Every index a row table is built with: `table_indexes` and `folded_indexes`."""
    return table_indexes(table, fields) + folded_indexes(table, fields)


async def schema_names(connection: AsyncConnection) -> set[tuple[str, str]]:
    """Every table and index of the database as (name, "table" | "index"), expression
    indexes too (which SQLAlchemy's reflection skips): one statement."""
    listing = (
        "SELECT name, type FROM sqlite_master WHERE type IN ('index', 'table')"
        if connection.dialect.name == "sqlite"
        else "SELECT indexname, 'index' FROM pg_indexes UNION ALL "
        "SELECT tablename, 'table' FROM pg_tables"
    )
    found = await connection.execute(sa.text(listing))
    return {(str(name), str(kind)) for name, kind in found}


# (database, table) -> (the schema version read, the table's index names): see `index_names`
_INDEX_NAMES: dict[tuple[str, str], tuple[int, frozenset[str]]] = {}
INDEX_NAMES_KEPT = 1024


async def index_names(session: AsyncSession, table_name: str) -> frozenset[str]:
    """The indexes of a SQLite row table, read again only once the schema has changed: an
    observed combination's index is built by whichever server saw it, and SQLite's
    `schema_version` tells every connection (one step of a statement, not a listing)."""
    connection = await session.connection()
    read = await connection.exec_driver_sql(
        "PRAGMA schema_version", execution_options={BOUNDED_OPTION: True}
    )
    version = int(read.scalar_one())
    key = (str(connection.engine.url), table_name)
    kept = _INDEX_NAMES.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    listed = await connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table_name,)
    )
    names = frozenset(str(name) for (name,) in listed)
    if len(_INDEX_NAMES) >= INDEX_NAMES_KEPT:
        _INDEX_NAMES.clear()
    _INDEX_NAMES[key] = (version, names)
    return names


async def build_missing_indexes(
    session: AsyncSession, tables: Iterable[tuple[str, Sequence[FieldDef]]]
) -> list[str]:
    """Builds the `folded_indexes` a row table made before they existed lacks (then its
    statistics), so a database upgraded in place answers text filters as a new load does.
    Idempotent: one statement when every table has them. Returns the tables changed."""
    connection = await session.connection()
    present = await schema_names(connection)
    changed = []
    for name, fields in tables:
        if (name, "table") not in present:  # a view (`bounded_view`) holds no index
            continue
        table = row_table(name, tuple(fields))
        missing = [i for i in folded_indexes(table, fields) if (i.name, "index") not in present]
        if not missing:
            continue
        async with bulk_memory(connection):
            for index in missing:
                await connection.run_sync(index.create)
                present.add((str(index.name), "index"))  # two resources may share one table
        await connection.exec_driver_sql(f'ANALYZE "{name}"')
        changed.append(name)
    return changed


async def create_table(session: AsyncSession, table: sa.Table) -> None:
    connection = await session.connection()
    await connection.run_sync(table.create)


async def create_indexes(
    session: AsyncSession, table: sa.Table, fields: Sequence[FieldDef]
) -> None:
    """After the load: building an index once is faster than keeping it up per row."""
    connection = await session.connection()
    async with bulk_memory(connection):
        for index in row_indexes(table, fields):
            await connection.run_sync(index.create)
    # Statistics now, not whenever autovacuum gets to it: with three equality filters the
    # planner must know which index is the narrow one. SQLite reads every index whole: a
    # sample (`analysis_limit`) reads the first entries of each, which for a field of few
    # values hold one value, so every such index looked equally narrow and a three-filter
    # count took the widest one.
    if connection.dialect.name == "sqlite":
        await connection.exec_driver_sql("PRAGMA analysis_limit=0")
    await connection.exec_driver_sql(f'ANALYZE "{table.name}"')


@asynccontextmanager
async def bulk_memory(connection: AsyncConnection) -> AsyncIterator[None]:
    """Room to sort and cache pages during one bulk write (rows in, indexes built, a diff).

    SQLite's default 2 MB page cache makes an index build sort in temporary files and an
    insert into indexed tables spill dirty pages mid-transaction; PostgreSQL's default
    `maintenance_work_mem` (64 MB) and `work_mem` (4 MB) do the same for index builds and
    grouping. Raised for the caller's transaction only (SQLite: put back afterwards)."""
    if connection.dialect.name == "postgresql":
        await connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{BULK_MEMORY_MB}MB'")
        await connection.exec_driver_sql(f"SET LOCAL work_mem = '{BULK_MEMORY_MB}MB'")
        yield
        return
    before = (await connection.exec_driver_sql("PRAGMA cache_size")).scalar_one()
    await connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_MEMORY_MB * 1024:d}")
    try:
        yield
    finally:
        await connection.exec_driver_sql(f"PRAGMA cache_size={int(before):d}")


def _iso_dates(row: Sequence[Any], dated: Sequence[int]) -> list[Any]:
    values = list(row)
    for i in dated:
        if isinstance(values[i], date | datetime):
            values[i] = values[i].isoformat()
    return values


async def insert_rows(
    connection: AsyncConnection, table: sa.Table, rows: Iterable[Sequence[Any]]
) -> None:
    """Append rows of (`_id`, native values...) in the caller's transaction, fastest path.

    PostgreSQL: binary COPY through asyncpg. SQLite: one executemany on the driver.
    """
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    if connection.dialect.name == "postgresql":
        await driver.copy_records_to_table(
            table.name, records=rows, columns=[column.name for column in table.columns]
        )
        return
    placeholders = ", ".join("?" for _ in table.columns)
    dated = [i for i, c in enumerate(table.columns) if isinstance(c.type, sa.Date | sa.DateTime)]
    if dated:  # only the date columns need a Python pass (ISO text); the rest go as they are
        rows = (_iso_dates(row, dated) for row in rows)
    async with bulk_memory(connection):
        await driver.executemany(f'INSERT INTO "{table.name}" VALUES ({placeholders})', rows)


async def drop_tables(session: AsyncSession, names: Iterable[str]) -> None:
    for name in names:
        if name.startswith(TABLE_PREFIX):
            await session.execute(sa.text(f'DROP TABLE IF EXISTS "{name}"'))


def _table_names(sync: sa.Connection) -> list[str]:
    return sa.inspect(sync).get_table_names()


async def row_table_names(session: AsyncSession) -> set[str]:
    """Every typed row table in the database (to find ones no resource points at)."""
    connection = await session.connection()
    names: list[str] = await connection.run_sync(lambda sync: sa.inspect(sync).get_table_names())
    return {name for name in names if name.startswith(TABLE_PREFIX)}
