"""Field types of tabular resources: parsing CSV cells, checking filter values, SQL equality.

One table of types serves the loader (CSV text to typed JSON), `rows(where:)` and ROW
exemptions (JSON values checked against the schema), so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from opendata.db.models import ResourceRow
from opendata.errors import BadUserInput

FIELD_TYPES = ("string", "integer", "number", "boolean", "date")
_TRUE = {"true", "1", "yes", "ya"}
_FALSE = {"false", "0", "no", "tidak"}


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    title: str | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FieldDef:
        return cls(
            name=str(raw["name"]), type=str(raw.get("type", "string")), title=raw.get("title")
        )


def parse_cell(field: FieldDef, text: str) -> Any:
    """CSV text to the typed JSON value; raises ValueError with a reason a person can read."""
    text = text.strip()
    if text == "":
        return None
    if field.type == "string":
        return text
    if field.type == "integer":
        return int(text)
    if field.type == "number":
        number = float(text)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return number
    if field.type == "boolean":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("expected true or false")
    if field.type == "date":
        return date.fromisoformat(text).isoformat()
    raise ValueError(f"unknown field type {field.type!r}")


def check_filter_value(field: FieldDef, value: Any, argument: str) -> Any:
    """A JSON filter value must have the field's type (null matches empty cells)."""
    if value is None:
        return None
    ok: bool
    if field.type == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif field.type == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif field.type == "boolean":
        ok = isinstance(value, bool)
    elif field.type == "date":
        ok = isinstance(value, str)
        if ok:
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                ok = False
    else:
        ok = isinstance(value, str)
    if not ok:
        raise BadUserInput(
            f"Nilai untuk kolom '{field.name}' harus bertipe {field.type}.",
            f"The value for field '{field.name}' must be of type {field.type}.",
            field=argument,
        )
    return value


def field_value_expr(field: FieldDef) -> ColumnElement[Any]:
    """The typed SQL expression for one field of `ResourceRow.data` (same on both databases)."""
    element = ResourceRow.data[field.name]
    if field.type == "integer":
        return element.as_integer()
    if field.type == "number":
        return element.as_float()
    if field.type == "boolean":
        return element.as_boolean()
    return element.as_string()


def field_equals(field: FieldDef, value: Any) -> ColumnElement[bool]:
    """NULL-safe equality, so that `NOT (...)` never drops rows with empty cells by accident."""
    return field_value_expr(field).is_not_distinct_from(value)


def all_equal(fields: Mapping[str, FieldDef], filters: Mapping[str, Any]) -> ColumnElement[bool]:
    """Conjunction of equalities; an empty filter matches every row."""
    clauses = [field_equals(fields[name], value) for name, value in filters.items()]
    if not clauses:
        return true()
    return and_(*clauses) if len(clauses) > 1 else clauses[0]


def row_matches(filters: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """The Python twin of `all_equal`, for rows already in memory (search indexing)."""
    return all(row.get(name) == value for name, value in filters.items())


__all__ = [
    "FIELD_TYPES",
    "FieldDef",
    "all_equal",
    "check_filter_value",
    "field_equals",
    "field_value_expr",
    "parse_cell",
    "row_matches",
]
