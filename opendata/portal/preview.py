"""A resource's table preview: one filter, one sort, pages, withheld columns marked.

Rows come through the same `resource_rows` resolver as GraphQL's `Resource.rows` (paging and
equality filters), or, when sorted, through `iter_visible_rows` (what the CSV download
streams). Both read rows through the dataset's policy. A withheld field can be neither
filtered nor sorted on: its order would reveal its values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opendata.catalogue import queries
from opendata.catalogue.fields import FieldDef
from opendata.db.models import Resource
from opendata.errors import BadUserInput
from opendata.exemptions.visibility import DatasetPolicy
from opendata.pagination import encode_cursor
from opendata.resolvers import catalogue as resolve
from opendata.resolvers.context import Info

PREVIEW_ROWS = 20
# sorting reads every visible row; beyond this the preview offers paging in stored order only
MAX_SORTED_ROWS = 5000


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
    info: Info, resource: Resource, policy: DatasetPolicy, query: PreviewQuery
) -> Preview:
    fields = queries.resource_fields(resource)
    columns = [Column(f, policy.field_withheld(f.name)) for f in fields]
    preview = Preview(resource, columns, page=max(1, query.page))
    where = typed_filter(fields, query)
    offset = (preview.page - 1) * PREVIEW_ROWS
    if query.sort_field:
        known = {f.name for f in fields}
        if query.sort_field not in known or policy.field_withheld(query.sort_field):
            raise BadUserInput(
                "Kolom ini tidak dapat dipakai untuk mengurutkan.",
                "This field cannot be used for sorting.",
                field="sort",
            )
        return await _sorted_page(info, resource, policy, preview, where or {}, query, offset)
    after = encode_cursor(f"rows:{resource.id}", offset - 1) if offset else None
    result = await resolve.resource_rows(info, resource, PREVIEW_ROWS, after, where)
    preview.rows = [row for _, row in result.rows]
    preview.total = result.total
    preview.has_next = result.has_next
    return preview


async def _sorted_page(
    info: Info,
    resource: Resource,
    policy: DatasetPolicy,
    preview: Preview,
    where: dict[str, Any],
    query: PreviewQuery,
    offset: int,
) -> Preview:
    fields = queries.resource_fields(resource)
    filters = queries.parse_row_filter(where, fields, policy, argument="val")
    rows: list[dict[str, Any]] = []
    async with info.context.services.database.session() as session:
        async for row in queries.iter_visible_rows(session, resource, policy, filters):
            rows.append(row)
            if len(rows) > MAX_SORTED_ROWS:
                preview.sorted_capped = True
                break
    key = query.sort_field or ""
    # None last whichever the direction
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: r[key], reverse=query.descending)
    ordered = present + missing
    preview.total = len(ordered)
    preview.rows = ordered[offset : offset + PREVIEW_ROWS]
    preview.has_next = offset + PREVIEW_ROWS < len(ordered)
    return preview
