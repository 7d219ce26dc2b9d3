"""A resource's table preview: one filter, one sort, pages, withheld columns marked.

Rows come from the resource's typed table through `row_query` (the builder behind GraphQL's
`Resource.rows` and the downloads), so the one visible-rows condition decides what shows; the
filter and the sort are checked by the same parsers as `rows(where:, orderBy:)`. A withheld
field can be neither filtered nor sorted on: its order would reveal its values. Pages are
numbered for people, so a page is an offset, bounded by MAX_PREVIEW_OFFSET.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue import row_query
from opendata.db.models import Resource
from opendata.errors import BadUserInput
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy

PREVIEW_ROWS = 20
# a numbered page skips the rows before it: deeper than this, the CSV or the API serves better
MAX_PREVIEW_OFFSET = 10_000
# the chart sums rows in Python: only for resources up to this size
MAX_CHART_ROWS = 5000


@dataclass(frozen=True)
class PreviewQuery:
    """What the visitor asked of one resource's preview (from the page's query string)."""

    filter_field: str | None = None
    filter_value: str | None = None
    sort_field: str | None = None
    descending: bool = False
    page: int = 1

    @property
    def where(self) -> dict[str, str] | None:
        if self.filter_field and self.filter_value not in (None, ""):
            return {self.filter_field: self.filter_value or ""}
        return None


@dataclass
class Column:
    field: FieldDef
    withheld: bool

    @property
    def numeric(self) -> bool:
        return self.field.type in ("integer", "number")

    @property
    def is_year(self) -> bool:
        """Years are written as they are (2024, not 2,024 or 2.024)."""
        return self.field.name.lower() in ("tahun", "year")


@dataclass
class Preview:
    resource: Resource
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    page: int = 1
    has_next: bool = False
    sorted_capped: bool = False

    @property
    def first_row_number(self) -> int:
        return (self.page - 1) * PREVIEW_ROWS + 1


def empty_preview(resource: Resource, policy: DatasetPolicy, *, page: int = 1) -> Preview:
    """The columns without rows, filled in by `build_preview`."""
    fields = row_query.row_source(resource, policy).fields
    return Preview(resource, [Column(f, policy.field_withheld(f.name)) for f in fields], page=page)


def typed_filter(fields: list[FieldDef], query: PreviewQuery) -> dict[str, Any] | None:
    """The form sends text; `rows(where:)` wants values of the field's type."""
    where = query.where
    if where is None:
        return None
    by_name = {f.name: f for f in fields}
    typed: dict[str, Any] = {}
    for name, text in where.items():
        definition = by_name.get(name)
        if definition is not None and definition.type in ("integer", "number"):
            try:
                typed[name] = int(text) if definition.type == "integer" else float(text)
            except ValueError:
                raise BadUserInput(
                    f"Nilai untuk kolom '{name}' harus angka.",
                    f"The value for field '{name}' must be a number.",
                    field="val",
                ) from None
        else:
            typed[name] = text
    return typed


async def build_preview(
    session: AsyncSession, resource: Resource, policy: DatasetPolicy, query: PreviewQuery
) -> Preview:
    source = row_query.row_source(resource, policy)
    fields = list(source.fields)
    preview = empty_preview(resource, policy, page=max(1, query.page))
    conditions = row_query.parse_where(source, typed_filter(fields, query), argument="val")
    order = row_query.parse_order(
        source, [(query.sort_field, query.descending)] if query.sort_field else None, "sort"
    )
    offset = (preview.page - 1) * PREVIEW_ROWS
    if offset > MAX_PREVIEW_OFFSET:
        raise BadUserInput(
            "Pratinjau hanya sampai halaman "
            f"{MAX_PREVIEW_OFFSET // PREVIEW_ROWS + 1}; unduh CSV atau pakai API untuk sisanya.",
            f"The preview stops at page {MAX_PREVIEW_OFFSET // PREVIEW_ROWS + 1}; "
            "download the CSV or use the API for the rest.",
            field="p",
        )
    # every row visible and no filter: the catalogue knows the count (no count(*) scan)
    known = not row_query.visible_clauses(source, conditions)
    preview.total = (
        resource.row_count if known else await row_query.count_rows(session, source, conditions)
    )
    preview.rows = await visible_rows(
        session, source, conditions, order, skip=offset, limit=PREVIEW_ROWS
    )
    preview.has_next = offset + len(preview.rows) < preview.total
    return preview


async def visible_rows(
    session: AsyncSession,
    source: row_query.RowSource,
    conditions: Sequence[row_query.Condition],
    order: Sequence[row_query.SortKey] = (),
    *,
    skip: int = 0,
    limit: int,
) -> list[dict[str, Any]]:
    """Up to `limit` visible rows after the first `skip`, in `order`, from one streamed query."""
    rows: list[dict[str, Any]] = []
    seen = 0
    async for batch in row_query.stream_rows(
        session, source, conditions, order, batch=min(2000, skip + limit)
    ):
        for row in batch:
            seen += 1
            if seen > skip:
                rows.append(row)
                if len(rows) >= limit:
                    return rows
    return rows
