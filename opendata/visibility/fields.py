"""Field types of tabular resources: parsing CSV cells, checking values, their JSON form.

One table of types serves the loader (CSV text to typed values), `rows(where:)`, ROW
exemptions and the typed tables, so none of them can disagree about what a value is.
A value has three forms: its CSV text, its native Python value (int, float, bool, date,
datetime, str) and its JSON form (dates as ISO text); `native` and `json_value` convert.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from opendata.errors import BadUserInput

FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
# Frictionless `integer` is stored as a 64-bit integer on both databases.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_TRUE = {"true", "1", "yes", "ya"}
_FALSE = {"false", "0", "no", "tidak"}
CONSTRAINT_NAMES = (
    "required",
    "unique",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
)


@dataclass(frozen=True)
class Constraints:
    """Frictionless field constraints, with bounds and enum values already typed."""

    required: bool = False
    unique: bool = False
    minimum: Any = None
    maximum: Any = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: tuple[Any, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        raw = {
            "required": self.required or None,
            "unique": self.unique or None,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "minLength": self.min_length,
            "maxLength": self.max_length,
            "pattern": self.pattern,
            "enum": list(self.enum) if self.enum is not None else None,
        }
        return {key: value for key, value in raw.items() if value is not None}


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    title: str | None = None
    constraints: Constraints = Constraints()
    # `areaLevel` (ours): "kecamatan", "desa" or "code" where the name does not say so
    area_level: str | None = None
    # `role` (ours): "measure" marks an amount that adds up (cases, rupiah, people); a chart
    # sums only such a field, else it counts rows (an age, a rate or a code is never summed)
    role: str | None = None
    # the rest of each composite index led by this field: the schema's `commonFilters`
    # (opendata.catalogue.reader), kept on the leading field so every writer of a table
    # (load, publish, push) builds the same indexes from the stored fields alone
    indexed_with: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FieldDef:
        """A stored field (`Resource.fields`); constraints were checked when it was read."""
        field_type = str(raw.get("type", "string"))
        return cls(
            name=str(raw["name"]),
            type=field_type,
            title=raw.get("title"),
            constraints=read_constraints(field_type, raw.get("constraints") or {}),
            area_level=raw.get("areaLevel"),
            indexed_with=tuple(tuple(rest) for rest in raw.get("indexedWith") or ()),
            role=raw.get("role"),
        )

    def to_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"name": self.name, "type": self.type, "title": self.title}
        if self.constraints != Constraints():
            stored["constraints"] = self.constraints.to_json()
        if self.area_level:
            stored["areaLevel"] = self.area_level
        if self.indexed_with:
            stored["indexedWith"] = [list(rest) for rest in self.indexed_with]
        if self.role:
            stored["role"] = self.role
        return stored

    @property
    def is_measure(self) -> bool:
        """A number declared an amount that adds up (`role: measure`)."""
        return self.role == "measure" and self.type in ("integer", "number")


def _integer(text: str) -> int:
    number = int(text)
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValueError("outside the 64-bit integer range")
    return number


def _number(text: str) -> float:
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true or false")


def _datetime(text: str) -> datetime:
    """ISO 8601; a time with an offset is kept as UTC wall time, without the offset."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


TEXT_PARSERS: dict[str, Callable[[str], Any]] = {
    "string": str,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": date.fromisoformat,
    "datetime": _datetime,
}


def read_constraints(field_type: str, raw: Mapping[str, Any]) -> Constraints:
    """Constraints from a descriptor; raises ValueError naming the one that is wrong."""
    unknown = sorted(set(raw) - set(CONSTRAINT_NAMES))
    if unknown:
        raise ValueError(f"unknown constraint(s) {', '.join(unknown)}")

    def typed(value: Any, name: str) -> Any:
        if value is None:
            return None
        try:
            return native(FieldDef("", field_type), value)
        except ValueError as error:
            raise ValueError(f"constraint {name} must be a {field_type} ({error})") from error

    def length(name: str) -> int | None:
        value = raw.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f"constraint {name} must be an integer")
        return value

    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as error:
            raise ValueError(f"constraint pattern is not a regular expression ({error})") from error
    enum = raw.get("enum")
    if enum is not None and not isinstance(enum, list):
        raise ValueError("constraint enum must be a list")
    return Constraints(
        required=bool(raw.get("required", False)),
        unique=bool(raw.get("unique", False)),
        minimum=typed(raw.get("minimum"), "minimum"),
        maximum=typed(raw.get("maximum"), "maximum"),
        min_length=length("minLength"),
        max_length=length("maxLength"),
        pattern=str(pattern) if pattern is not None else None,
        enum=tuple(typed(item, "enum") for item in enum) if enum is not None else None,
    )


def _constraint_check(field: FieldDef) -> Callable[[Any], None] | None:
    """A function raising ValueError when a typed, non-empty value breaks a constraint."""
    rules = field.constraints
    checks: list[Callable[[Any], str | None]] = []
    if rules.minimum is not None:
        checks.append(lambda v: f"below the minimum {rules.minimum}" if v < rules.minimum else None)
    if rules.maximum is not None:
        checks.append(lambda v: f"above the maximum {rules.maximum}" if v > rules.maximum else None)
    min_length, max_length = rules.min_length, rules.max_length
    if min_length is not None:
        checks.append(lambda v: f"shorter than {min_length}" if len(v) < min_length else None)
    if max_length is not None:
        checks.append(lambda v: f"longer than {max_length}" if len(v) > max_length else None)
    if rules.pattern is not None:
        compiled = re.compile(rules.pattern)
        checks.append(
            lambda v: None if compiled.fullmatch(v) else f"not matching {rules.pattern!r}"
        )
    if rules.enum is not None:
        allowed = set(rules.enum)
        checks.append(lambda v: None if v in allowed else "not one of the allowed values")
    if not checks:
        return None

    def check(value: Any) -> None:
        for rule in checks:
            problem = rule(value)
            if problem:
                raise ValueError(problem)

    return check


def cell_reader(field: FieldDef) -> Callable[[str], Any]:
    """CSV text to the native value, built once per field (the loader calls it per cell).

    Raises ValueError with a reason a person can read; an empty cell is None.
    """
    parse = TEXT_PARSERS.get(field.type)
    if parse is None:
        raise ValueError(f"unknown field type {field.type!r}")
    check = _constraint_check(field)
    required = field.constraints.required

    def read(text: str) -> Any:
        stripped = text.strip()
        if stripped == "":
            if required:
                raise ValueError("a value is required")
            return None
        value = parse(stripped)
        if check is not None:
            check(value)
        return value

    return read


def column_reader(field: FieldDef) -> Callable[[Sequence[str]], list[Any]]:
    """A whole CSV column to native values, exactly as `cell_reader` reads each cell, but
    in bulk (an app pushes a million rows): the common case, no empty cell and a type Python
    parses whole, runs in C; on anything else (an empty cell, a value out of range, a bad
    one) the column goes cell by cell, which returns the same values or raises the same
    ValueError."""
    read = cell_reader(field)
    check = _constraint_check(field)
    parse = _BULK_PARSERS.get(field.type)

    def by_cell(cells: Sequence[str]) -> list[Any]:
        return list(map(read, cells))

    if parse is None:
        return by_cell

    def bulk(cells: Sequence[str]) -> list[Any]:
        try:
            values = parse(cells)
        except ValueError:
            values = None
        if values is None:
            return by_cell(cells)
        if check is not None:
            for value in values:
                check(value)
        return values

    return bulk


def _bulk_strings(cells: Sequence[str]) -> list[Any] | None:
    values = list(map(str.strip, cells))
    return None if "" in values else values


def _bulk_integers(cells: Sequence[str]) -> list[Any] | None:
    values = list(map(int, cells))  # int() strips as str.strip() does; "" raises
    if values and (min(values) < INT64_MIN or max(values) > INT64_MAX):
        return None
    return values


def _bulk_numbers(cells: Sequence[str]) -> list[Any] | None:
    values = list(map(float, cells))
    # A NaN or an infinity makes the sum not finite (so may an overflow: then by cell).
    return values if math.isfinite(sum(values)) else None


# Types whose whole column one C call parses as `TEXT_PARSERS` does cell by cell
# (None: let `column_reader` read the column cell by cell).
_BULK_PARSERS: dict[str, Callable[[Sequence[str]], list[Any] | None]] = {
    "string": _bulk_strings,
    "integer": _bulk_integers,
    "number": _bulk_numbers,
}


def json_reader(field: FieldDef) -> Callable[[Any], Any]:
    """A JSON value (a row an app pushes) to the native value, checked as a CSV cell is:
    text is read as a cell, other values must already have the field's type (`native`)."""
    read_text = cell_reader(field)
    check = _constraint_check(field)
    required = field.constraints.required

    def read(value: Any) -> Any:
        if isinstance(value, str):
            return read_text(value)
        if value is None:
            if required:
                raise ValueError("a value is required")
            return None
        typed = native(field, value)
        if check is not None:
            check(typed)
        return typed

    return read


def parse_cell(field: FieldDef, text: str) -> Any:
    """CSV text to the native value (one cell; the loader uses `cell_reader`)."""
    return cell_reader(field)(text)


def native(field: FieldDef, value: Any) -> Any:
    """A JSON value as the native value of `field`'s type; ValueError when it is not one.

    JSON numbers, booleans and strings are taken as they are; a string is also read the way
    a CSV cell is (so "77" is the integer 77, and 77 is the string "77"): one rule decides
    what a filter value means under each resource's own field type.
    """
    if value is None:
        return None
    kind = field.type
    if isinstance(value, bool):
        if kind == "boolean":
            return value
        raise ValueError(f"expected a {kind}, not a boolean")
    if isinstance(value, int):
        if kind == "integer":
            if not INT64_MIN <= value <= INT64_MAX:
                raise ValueError("outside the 64-bit integer range")
            return value
        if kind == "number":
            return float(value)
        if kind == "string":
            return str(value)
        raise ValueError(f"expected a {kind}, not a number")
    if isinstance(value, float):
        if kind == "number":
            return _number(repr(value))
        raise ValueError(f"expected a {kind}, not a number")
    if isinstance(value, str):
        if kind == "string":
            return value
        return TEXT_PARSERS[kind](value.strip())
    raise ValueError(f"expected a {kind}")


def json_value(field: FieldDef, value: Any) -> Any:
    """The JSON form of a native value: dates and times as ISO text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def storable_text(text: str) -> bool:
    """Text both databases can hold and compare: valid UTF-8, no NUL (PostgreSQL refuses it)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_filter_value(field: FieldDef, value: Any, argument: str) -> Any:
    """A `where` value must have the field's JSON type; returns its native value.

    Stricter than `native`: `where` is typed by the client, so "2020" for an integer field
    is a mistake to point out, not to guess. Dates are ISO text.
    """
    kind = field.type
    if isinstance(value, str) and not storable_text(value):
        raise BadUserInput(
            f"Nilai untuk kolom '{field.name}' memuat karakter yang tidak sah (NUL atau "
            "surrogate tunggal).",
            f"The value for field '{field.name}' holds an invalid character (NUL or a lone "
            "surrogate).",
            field=argument,
        )
    ok = (
        value is None
        or (kind == "integer" and isinstance(value, int) and not isinstance(value, bool))
        or (kind == "number" and isinstance(value, int | float) and not isinstance(value, bool))
        or (kind == "boolean" and isinstance(value, bool))
        or (kind in ("string", "date", "datetime") and isinstance(value, str))
    )
    if ok:
        try:
            return native(field, value)
        except ValueError:
            pass
    raise BadUserInput(
        f"Nilai untuk kolom '{field.name}' harus bertipe {field.type}"
        f"{' (64-bit)' if kind == 'integer' else ''}.",
        f"The value for field '{field.name}' must be of type {field.type}"
        f"{' (64-bit)' if kind == 'integer' else ''}.",
        field=argument,
    )


def row_matches(filters: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Every filter field equals the row's value (both in the same form); None matches empty."""
    return all(row.get(name) == value for name, value in filters.items())


__all__ = [
    "FIELD_TYPES",
    "Constraints",
    "FieldDef",
    "cell_reader",
    "check_filter_value",
    "json_value",
    "native",
    "parse_cell",
    "read_constraints",
    "row_matches",
]
