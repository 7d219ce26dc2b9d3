"""The one adapter between the harvesting doors and the catalogue's rows functions.

`datastore_search` asks for filters (one value or several), a text query, a sort and an
offset; it reads the visible rows through `row_query` (counts and streamed rows, the same
builder as `rows` and the downloads). This module is the only place that bridges the two;
translating CKAN's filters and sort into `row_query` conditions and keys is the next step.

Every row comes from the domain already masked and with withheld rows gone; withheld
fields are then dropped from the record entirely. `_id` is a row's rank among the rows
anyone may see (1-based), never its stored position, which would show where rows are missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from opendata.catalogue import row_query
from opendata.db.engine import Database
from opendata.db.fold import fold
from opendata.db.models import Resource
from opendata.errors import BadUserInput
from opendata.visibility.fields import FieldDef, check_filter_value, json_value
from opendata.visibility.policy import DatasetPolicy

# Text search, several values per filter and sorting read the visible rows in order in
# Python until the domain grows `where`/`orderBy`: refused above this many stored rows.
MAX_SCANNED_ROWS = 50_000


@dataclass(frozen=True)
class RowQuery:
    filters: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    text: str = ""
    sort: tuple[tuple[str, bool], ...] = ()  # (field, descending)
    offset: int = 0
    limit: int = 100
    field_texts: Mapping[str, str] = field(default_factory=dict)  # {field: text it contains}
    distinct: bool = False  # each distinct record of the chosen fields once (the first)

    @property
    def is_plain_page(self) -> bool:
        return not (self.filters or self.text or self.sort or self.field_texts or self.distinct)


def check_filters(
    raw: Mapping[str, Any], fields: Sequence[FieldDef], policy: DatasetPolicy, argument: str
) -> dict[str, tuple[Any, ...]]:
    """Each filter value typed and checked by the domain (`check_filter_value`): declared,
    not withheld, of the field's type; a list means any of its values (in JSON form, as
    the rows are)."""
    by_name = {f.name: f for f in fields}
    checked: dict[str, tuple[Any, ...]] = {}
    for name, value in raw.items():
        field_def = by_name.get(name)
        if field_def is None or policy.field_withheld(name):
            raise BadUserInput(
                f"Kolom '{name}' tidak ada atau dikecualikan.",
                f"Field '{name}' does not exist or is withheld.",
                field=argument,
            )
        values = value if isinstance(value, list) else [value]
        checked[name] = tuple(
            json_value(field_def, check_filter_value(field_def, one, argument)) for one in values
        )
    return checked


def _is(value: Any, wanted: tuple[Any, ...]) -> bool:
    """A filter's rule, the row query builder's: text equal whatever its case and accents
    (`opendata.db.fold`, as `rows(where:)`, the page and the downloads), other values as they
    are."""
    if isinstance(value, str):
        return fold(value) in {fold(one) for one in wanted if isinstance(one, str)}
    return value in wanted


def _contains(value: Any, text: str) -> bool:
    return value is not None and (fold(text) or "") in (fold(str(value)) or "")


def _matches(row: Mapping[str, Any], query: RowQuery) -> bool:
    """The row is already masked: a withheld field is None here and cannot match `q`."""
    if not all(_is(row.get(name), values) for name, values in query.filters.items()):
        return False
    if not all(_contains(row.get(name), text) for name, text in query.field_texts.items()):
        return False
    return not query.text or any(_contains(value, query.text) for value in row.values())


def _sorted(rows: list[dict[str, Any]], sort: Sequence[tuple[str, bool]]) -> list[dict[str, Any]]:
    for name, descending in reversed(sort):
        present = [r for r in rows if r.get(name) is not None]
        empty = [r for r in rows if r.get(name) is None]
        present.sort(key=lambda r: r[name], reverse=descending)
        rows = present + empty  # empty cells last either way, as PostgreSQL's NULLS LAST
    return rows


def _record(rank: int, row: Mapping[str, Any], visible: Sequence[str]) -> dict[str, Any]:
    return {"_id": rank, **{name: row.get(name) for name in visible}}


async def visible_rows(
    database: Database,
    resource: Resource,
    policy: DatasetPolicy,
    visible: Sequence[str],
    query: RowQuery,
) -> tuple[int, list[dict[str, Any]]]:
    """(count of matching visible rows, the window of records); refuses a dataset withheld
    whole or published as AGGREGATES (`row_source`)."""
    source = row_query.row_source(resource, policy)
    async with database.session() as session:
        if query.is_plain_page:
            total = await row_query.count_rows(session, source)
            window: list[dict[str, Any]] = []
            seen = 0
            async for batch in row_query.stream_rows(session, source):
                for row in batch:
                    seen += 1
                    if seen > query.offset:
                        window.append(_record(seen, row, visible))
                if len(window) >= query.limit:
                    break
            return total, window[: query.limit]
        if resource.row_count > MAX_SCANNED_ROWS:
            raise BadUserInput(
                f"`q`, `sort` dan filter banyak nilai hanya untuk sumber data sampai "
                f"{MAX_SCANNED_ROWS} baris; pakai filter satu nilai atau GraphQL `rows(where:)`.",
                f"`q`, `sort` and many-valued filters work on resources of up to "
                f"{MAX_SCANNED_ROWS} rows; use one-value filters or GraphQL `rows(where:)`.",
                field="q",
            )
        rows = [row async for batch in row_query.stream_rows(session, source) for row in batch]
    matched = [
        _record(rank, row, visible) for rank, row in enumerate(rows, 1) if _matches(row, query)
    ]
    if query.distinct:
        firsts: dict[tuple[Any, ...], dict[str, Any]] = {}
        for record in matched:
            firsts.setdefault(tuple(json.dumps(record[name]) for name in visible), record)
        matched = list(firsts.values())
    ordered = _sorted(matched, query.sort)
    return len(ordered), ordered[query.offset : query.offset + query.limit]
