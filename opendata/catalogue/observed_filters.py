"""Composite indexes for the field combinations people are seen filtering on together.

A dataset may name them (`schema.commonFilters`); most will not. So each server also counts,
in memory, the filtered counts it answers by combination of fields (two or more fields, each
compared with `eq` or `in`: what a composite index answers in one seek, its count reading only
the index), and once a combination of a row table has been counted OBSERVED_AFTER times, its
scheduled pass (`index_observed_filters`) builds that combination's index, the same index a
`commonFilters` hint builds (`tables.combination_index`), on both databases. A table gets at
most MAX_COMBINATIONS_PER_TABLE such indexes, hinted ones included: each costs its writes.

Several servers: the index lives in the shared database, so one server's build serves all;
the build takes a lock and looks again first (PostgreSQL: an advisory lock; SQLite: the write
lock), so two servers that reach the count together build it once. A server's tally starts
again at restart: the indexes built stay. A new version of a resource gets a new table; a
combination still filtered on is counted and built again there.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from opendata.catalogue.tables import (
    combination_index,
    combination_members,
    row_table,
    schema_names,
)
from opendata.db.engine import Database
from opendata.visibility.fields import FieldDef

logger = logging.getLogger("opendata.observed_filters")

OBSERVED_AFTER = 20
MAX_COMBINATIONS_PER_TABLE = 4
# combinations a server keeps counting at once; the least recently seen is forgotten first
TALLY_ENTRIES = 1_000
INDEXABLE_OPS = frozenset({"eq", "in"})


@dataclass(frozen=True)
class Combination:
    """Fields filtered together on one row table (in the order the table declares them)."""

    database: str
    table_name: str
    fields: tuple[FieldDef, ...]
    names: tuple[str, ...]


_TALLY: OrderedDict[Combination, int] = OrderedDict()


def note_filter(
    database: str, table_name: str, fields: Sequence[FieldDef], conditions: Sequence[object]
) -> None:
    """Count one filtered count of `table_name` (conditions with `field` and `op`), if its
    fields are a combination an index could answer."""
    filtered = {getattr(c, "field", None) for c in conditions}
    if any(getattr(c, "op", None) not in INDEXABLE_OPS for c in conditions) or len(filtered) < 2:
        return
    names = tuple(f.name for f in fields if f.name in filtered)
    key = Combination(database, table_name, tuple(fields), names)
    _TALLY[key] = _TALLY.get(key, 0) + 1
    _TALLY.move_to_end(key)
    while len(_TALLY) > TALLY_ENTRIES:
        _TALLY.popitem(last=False)


def due(database: str) -> list[Combination]:
    """The combinations of `database` counted often enough to be indexed."""
    return [
        key for key, count in _TALLY.items() if key.database == database and count >= OBSERVED_AFTER
    ]


async def index_observed_filters(database: Database) -> list[str]:
    """Build the indexes due (each in its own write, under a lock, looked for again first);
    returns the names built. A table that is gone (replaced by a newer version) is skipped."""
    built = []
    for key in due(database.engine.url.render_as_string(hide_password=False)):
        _TALLY.pop(key, None)
        table = row_table(key.table_name, key.fields)
        index = combination_index(table, key.fields, key.names)
        async with database.write() as session:
            connection = await session.connection()
            if await _lock_and_check(connection, key.table_name, index.name or ""):
                await connection.run_sync(index.create)
                await connection.exec_driver_sql(f'ANALYZE "{key.table_name}"')
                built.append(index.name or "")
                logger.info("built %s for a filter seen %d times", index.name, OBSERVED_AFTER)
    return built


async def _lock_and_check(connection: AsyncConnection, table_name: str, index_name: str) -> bool:
    """Whether to build `index_name`: the table exists, the index does not, and the table
    has fewer than MAX_COMBINATIONS_PER_TABLE combination indexes (under a lock: one
    builder at a time across servers)."""
    if connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(table_name.encode()).digest()[:8], "big", signed=True)
        await connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    present = await schema_names(connection)
    if (table_name, "table") not in present:
        return False
    combinations = [
        name
        for name, kind in present
        if kind == "index" and combination_members(table_name, name) is not None
    ]
    return (index_name, "index") not in present and len(combinations) < MAX_COMBINATIONS_PER_TABLE
