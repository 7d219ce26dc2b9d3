"""A resource's table preview: filters as people type, a sort, pages, withheld columns marked.

Rows come from the resource's typed table through `row_query` (the builder behind GraphQL's
`Resource.rows` and the downloads), so the one visible-rows condition decides what shows; the
filters and the sort are read by `TableState` (each table under its own resource name in the
URL) and checked by the same parsers as `rows(where:, orderBy:)`: text matches whatever its
case and accents, numbers and dates take ranges. A withheld field can be neither filtered
nor sorted on (its order would reveal its values) and never gets a value picker. Pages are
numbered for people, so a page is an offset, bounded by MAX_PREVIEW_OFFSET.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue import exports, row_query
from opendata.catalogue.table_state import TableState
from opendata.db.models import Resource
from opendata.errors import BadUserInput
from opendata.portal.i18n import Formats
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy

PREVIEW_ROWS = 20
# a numbered page skips the rows before it: deeper than this, the CSV or the API serves better
MAX_PREVIEW_OFFSET = 10_000
# the chart sums rows in Python: only for resources up to this size
MAX_CHART_ROWS = 5000
# a text field with at most this many distinct visible values gets a list to pick from
PICKER_VALUES = 30
# ... read by one GROUP BY per text field, so only for tables up to this size (past it,
# each page view would read the whole table once per text field)
PICKER_MAX_ROWS = 100_000
RANGE_TYPES = frozenset({"integer", "number", "date", "datetime"})


@dataclass
class Column:
    field: FieldDef
    withheld: bool
    # the values to pick from (a text field with few of them), None: type instead
    choices: list[Any] | None = None

    @property
    def numeric(self) -> bool:
        return self.field.type in ("integer", "number")

    @property
    def is_year(self) -> bool:
        """Years are written as they are (2024, not 2,024 or 2.024)."""
        return self.field.name.lower() in ("tahun", "year")

    @property
    def label(self) -> str:
        return self.field.title or self.field.name

    @property
    def control(self) -> str:
        """How the filter form asks for this column: pick, range or text (none: withheld)."""
        if self.withheld:
            return "none"
        if self.choices is not None:
            return "pick"
        if self.field.type in RANGE_TYPES:
            return "range"
        return "text"

    @property
    def input_type(self) -> str:
        """The range boxes' input type (a date picker for dates, a number keypad else)."""
        return {"date": "date", "datetime": "datetime-local"}.get(self.field.type, "number")


@dataclass
class Preview:
    resource: Resource
    columns: list[Column]
    state: TableState
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    has_next: bool = False
    # the download links' query: the rows shown, in the order shown
    file_query: str = ""
    # every matching row in the table's own order, when the chart asked for them
    every_row: list[dict[str, Any]] | None = None

    @property
    def page(self) -> int:
        return self.state.page

    @property
    def first_row_number(self) -> int:
        return (self.page - 1) * PREVIEW_ROWS + 1

    @property
    def last_row_number(self) -> int:
        return self.first_row_number + len(self.rows) - 1

    @property
    def filtered(self) -> bool:
        return bool(self.state.filters)

    @property
    def xlsx_allowed(self) -> bool:
        return self.total <= exports.XLSX_MAX_ROWS

    def cells(self, formats: Formats) -> list[list[tuple[str, Any]]]:
        """The rows shown, each as (class, value) per column: numbers written in the page's
        language (years as they are), None for an empty cell, a withheld column's class
        "withheld". Decided here once per cell rather than in the template's inner loop."""
        kinds = [
            ("withheld" if c.withheld else "num" if c.numeric else "", c.field.name, c.is_year)
            for c in self.columns
        ]
        written = []
        for row in self.rows:
            cells = []
            for css, name, is_year in kinds:
                value = None if css == "withheld" else row[name]
                if css == "num" and value is not None and not is_year:
                    value = formats.number(value)
                cells.append((css, value))
            written.append(cells)
        return written

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field.name == name), None)


def table_conditions(
    source: row_query.RowSource, state: TableState
) -> tuple[row_query.Condition, ...]:
    """The table's filters checked by the builder, errors naming the table's parameters."""
    return row_query.parse_where(source, state.where(source.fields), argument=state.key)


async def build_preview(
    session: AsyncSession,
    resource: Resource,
    policy: DatasetPolicy,
    state: TableState,
    *,
    for_chart: bool = False,
    source: row_query.RowSource | None = None,
) -> Preview:
    """The table as the page shows it. `for_chart`: the chart will read every matching row
    (a resource of at most MAX_CHART_ROWS); unsorted, the page is cut from those rows
    instead of a read of its own. Sorted, the chart reads them on its own in stored order,
    as it always did (which of two equal groups it hides follows the order it reads).
    `source`: the resource's `row_query.row_source`, when the caller has made it already."""
    if source is None:
        source = row_query.row_source(resource, policy)
    columns = [Column(f, policy.field_withheld(f.name)) for f in source.fields]
    preview = Preview(resource, columns, state, file_query=state.download_query(source.fields))
    conditions = table_conditions(source, state)
    order = row_query.parse_order(source, state.sort, f"{state.key}.sort")
    offset = (preview.page - 1) * PREVIEW_ROWS
    if offset > MAX_PREVIEW_OFFSET:
        raise BadUserInput(
            "Pratinjau hanya sampai halaman "
            f"{MAX_PREVIEW_OFFSET // PREVIEW_ROWS + 1}; unduh CSV atau pakai API untuk sisanya.",
            f"The preview stops at page {MAX_PREVIEW_OFFSET // PREVIEW_ROWS + 1}; "
            "download the CSV or use the API for the rest.",
            field=f"{state.key}.page",
        )
    # every row visible and no filter: the catalogue knows the count (no count(*) scan)
    known = not row_query.visible_clauses(source, conditions)
    preview.total = (
        resource.row_count if known else await row_query.count_rows(session, source, conditions)
    )
    if for_chart and not order:
        preview.every_row = await row_query.read_rows(
            session, source, conditions, limit=MAX_CHART_ROWS
        )
        preview.rows = preview.every_row[offset : offset + PREVIEW_ROWS]
    else:
        preview.rows = await row_query.read_rows(
            session, source, conditions, order, skip=offset, limit=PREVIEW_ROWS
        )
    if resource.row_count <= PICKER_MAX_ROWS:
        await _fill_choices(session, source, columns, _listable(preview, conditions))
    preview.has_next = offset + len(preview.rows) < preview.total
    return preview


async def _fill_choices(
    session: AsyncSession,
    source: row_query.RowSource,
    columns: Sequence[Column],
    every_row: list[dict[str, Any]] | None = None,
) -> None:
    """A value list for each readable text field with few distinct visible values; under
    the dataset's small-cell rule, only values enough rows hold. `every_row`: every visible
    row, already read for the chart, from which SQLite's lists are taken (`_listed_values`)."""
    minimum = (await row_query.small_cell_facts(session, source)).minimum
    for column in columns:
        if column.withheld or column.field.type != "string":
            continue
        if every_row is not None:
            found = _listed_values(source, every_row, column.field.name, minimum)
        else:
            found = await row_query.distinct_values(
                session, source, column.field.name, PICKER_VALUES + 1, minimum=minimum
            )
        if len(found) <= PICKER_VALUES and (found or minimum is None):
            column.choices = found


def _listable(
    preview: Preview, conditions: Sequence[row_query.Condition]
) -> list[dict[str, Any]] | None:
    """The rows read for the chart when they are every visible row (no filter, fewer than
    the bound); else None: the value lists are read apart. Both databases order a row
    table's text by its bytes (`tables.COLUMN_TYPES`: "C" on PostgreSQL, BINARY on SQLite),
    as Python sorts it."""
    rows = preview.every_row
    if rows is None or conditions or len(rows) >= MAX_CHART_ROWS:
        return None
    return rows


def _listed_values(
    source: row_query.RowSource, every_row: list[dict[str, Any]], name: str, minimum: int | None
) -> list[Any]:
    """`row_query.distinct_values` over rows already read, with the database's answer: the
    non-empty values (held by at least `minimum` rows), in the order byte-order text takes
    (UTF-8 bytes, and so code points, as Python compares them); without a statement for
    each text field."""
    if not any(f.name == name for f in source.readable):
        return []
    held = Counter(row[name] for row in every_row if row[name] is not None)
    values = (value for value, rows in held.items() if minimum is None or rows >= minimum)
    return sorted(values)[: PICKER_VALUES + 1]
