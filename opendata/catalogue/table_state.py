"""One table's state in a query string: its filters, sort, page and fields, under a prefix.

A dataset page shows several resources; each keeps its own state in the page's URL under
its resource name (names are a-z, 0-9, - and _, never a dot), so sorting or paging the
second table leaves the first table's filter alone. The download endpoint reads the same
parameters, so a page's "Unduh CSV" link is the table's own state on another path.

    kasus.kecamatan=sungai kakap      equality (text: case- and accent-insensitive)
    kasus.kecamatan.contains=kakap    text containing (the same folding)
    kasus.tahun.min=2020              ranges for numbers and dates (inclusive);
    kasus.tahun.max=2024              a year alone bounds a date field by that year
    kasus.kecamatan.eq=...            equality, spelled out (for a field named sort/page/fields)
    kasus.sort=-tahun,kecamatan       sort keys, `-` for descending
    kasus.page=2                      the page (numbered for people)
    kasus.fields=kecamatan,kasus      the columns (downloads; all by default)

Empty values are ignored (an empty box of a filter form). The parameters are text; `where`
turns them into the typed JSON object `row_query.parse_where` checks, so every door applies
the one rule of the row query builder. The legacy single-filter form (`res`, `col`, `val`,
`sort`, `dir`, `p`) is still read, so links made before keep working.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from opendata.errors import BadUserInput
from opendata.inputs import is_number
from opendata.visibility.fields import FieldDef

OPERATORS = ("eq", "contains", "min", "max")
# the GraphQL `where` operator each one becomes
_WHERE_OPERATOR = {"eq": "eq", "contains": "contains", "min": "gte", "max": "lte"}
RESERVED = ("sort", "page", "fields")
MAX_PAGE = 1000
MAX_FILTERS = 20


class QueryParams(Protocol):
    """What is read of a query string (Starlette's QueryParams, a MultiDict)."""

    def multi_items(self) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class TextFilter:
    """One filter as typed: a field, an operator of OPERATORS, the text."""

    field: str
    op: str
    text: str


def _bad_page(argument: str) -> BadUserInput:
    return BadUserInput(
        f"Nomor halaman harus antara 1 dan {MAX_PAGE}.",
        f"The page number must be between 1 and {MAX_PAGE}.",
        field=argument,
    )


def page_number(text: str | None, argument: str) -> int:
    """A page number for people (1 when not given), refused outside 1..MAX_PAGE."""
    if text is None or text == "":
        return 1
    if not is_number(text) or not 1 <= int(text) <= MAX_PAGE:
        raise _bad_page(argument)
    return int(text)


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def is_year(text: str) -> bool:
    return len(text) == 4 and is_number(text)


def _split_filter(rest: str) -> tuple[str, str]:
    """`kecamatan.contains` -> (kecamatan, contains); `kecamatan` -> (kecamatan, eq)."""
    name, dot, op = rest.rpartition(".")
    if dot and name and op in OPERATORS:
        return name, op
    return rest, "eq"


@dataclass(frozen=True)
class TableState:
    """What a visitor asked of one table: filters, sort, page, fields."""

    key: str
    filters: tuple[TextFilter, ...] = ()
    sort: tuple[tuple[str, bool], ...] = ()
    page: int = 1
    fields: tuple[str, ...] | None = None

    @classmethod
    def from_params(cls, params: QueryParams, resource_key: str) -> TableState:
        """The state of the table `resource_key` (its resource name) in `params`."""
        prefix = f"{resource_key}."
        filters: dict[tuple[str, str], str] = {}
        sort: tuple[tuple[str, bool], ...] = ()
        page = 1
        fields: tuple[str, ...] | None = None
        items = params.multi_items()
        legacy = dict(items)
        if legacy.get("res") == resource_key:  # the single-filter form of earlier links
            if legacy.get("col") and legacy.get("val"):
                filters[(legacy["col"], "eq")] = legacy["val"]
            if legacy.get("sort"):
                sort = ((legacy["sort"], legacy.get("dir") == "desc"),)
            page = page_number(legacy.get("p"), "p")
        for name, value in items:
            if not name.startswith(prefix):
                continue
            rest = name[len(prefix) :]
            if rest == "sort":
                sort = tuple((part.lstrip("-"), part.startswith("-")) for part in _names(value))
            elif rest == "page":
                page = page_number(value, name)
            elif rest == "fields":
                fields = _names(value) or None
            elif value.strip():
                filters[_split_filter(rest)] = value.strip()
        if len(filters) > MAX_FILTERS:
            raise BadUserInput(
                f"Paling banyak {MAX_FILTERS} filter per tabel.",
                f"At most {MAX_FILTERS} filters per table.",
                field=resource_key,
            )
        return cls(
            key=resource_key,
            filters=tuple(TextFilter(f, op, text) for (f, op), text in filters.items()),
            sort=sort,
            page=page,
            fields=fields,
        )

    def to_params(self, *, page: bool = True) -> list[tuple[str, str]]:
        """The state as query parameters (the inverse of `from_params`), page 1 left out."""
        prefix = f"{self.key}."
        params: list[tuple[str, str]] = []
        for item in self.filters:
            spelled = (
                item.op != "eq" or item.field in RESERVED or _split_filter(item.field)[1] != "eq"
            )
            params.append(
                (f"{prefix}{item.field}.{item.op}" if spelled else prefix + item.field, item.text)
            )
        if self.sort:
            params.append((prefix + "sort", self.sort_text()))
        if page and self.page > 1:
            params.append((prefix + "page", str(self.page)))
        if self.fields is not None:
            params.append((prefix + "fields", ",".join(self.fields)))
        return params

    def query_string(self, *, page: bool = True) -> str:
        return urlencode(self.to_params(page=page))

    def sort_text(self) -> str:
        """The sort as `a,-b` (the download endpoint's and `to_params`' spelling)."""
        return ",".join(f"{'-' if descending else ''}{name}" for name, descending in self.sort)

    def download_query(self, fields: Sequence[FieldDef]) -> str:
        """The state as the download endpoint's own arguments (`where` as JSON, `orderBy`,
        `fields`): a file of exactly the rows the table shows, in its order, from any
        version of the endpoint. With `?`, or empty when the table is as it comes."""
        params: list[tuple[str, str]] = []
        where = self.where(fields)
        if where:
            params.append(("where", json.dumps(where, ensure_ascii=False, separators=(",", ":"))))
        if self.sort:
            params.append(("orderBy", self.sort_text()))
        if self.fields is not None:
            params.append(("fields", ",".join(self.fields)))
        return "?" + urlencode(params) if params else ""

    # ------------------------------------------------------------ changed copies

    def sorted_by(self, name: str, descending: bool) -> TableState:
        """This state sorted by one field, back on page 1."""
        return TableState(self.key, self.filters, ((name, descending),), 1, self.fields)

    def on_page(self, number: int) -> TableState:
        return TableState(self.key, self.filters, self.sort, number, self.fields)

    def cleared(self) -> TableState:
        """No filter, the same sort, page 1."""
        return TableState(self.key, (), self.sort, 1, self.fields)

    def text(self, name: str, op: str = "eq") -> str:
        """The text of one filter ('' when not set), to fill a form's box."""
        return next((f.text for f in self.filters if f.field == name and f.op == op), "")

    @property
    def descending(self) -> bool:
        return bool(self.sort) and self.sort[0][1]

    @property
    def sort_field(self) -> str | None:
        return self.sort[0][0] if self.sort else None

    # ------------------------------------------------------------ typed for the builder

    def where(self, fields: Sequence[FieldDef]) -> dict[str, Any] | None:
        """The filters as the typed JSON object `row_query.parse_where` takes (None: none).

        Only the text is converted here (a number for a number field, a year for a date
        range); whether the field exists, is readable and takes the operator is checked
        by the builder, as for GraphQL's `where`."""
        if not self.filters:
            return None
        by_name = {f.name: f for f in fields}
        where: dict[str, dict[str, Any]] = {}
        for item in self.filters:
            definition = by_name.get(item.field)
            value = _typed(definition, item, self.key) if definition else item.text
            where.setdefault(item.field, {})[_WHERE_OPERATOR[item.op]] = value
        return dict(where)


def _typed(definition: FieldDef, item: TextFilter, key: str) -> Any:
    text, kind = item.text, definition.type
    argument = f"{key}.{item.field}"
    if kind in ("integer", "number") and item.op != "contains":
        try:
            return int(text) if kind == "integer" else float(text.replace(",", "."))
        except ValueError:
            raise BadUserInput(
                f"Nilai untuk kolom '{item.field}' harus angka.",
                f"The value for field '{item.field}' must be a number.",
                field=argument,
            ) from None
    if kind == "boolean" and item.op == "eq":
        lowered = text.lower()
        if lowered in ("true", "ya", "yes", "1"):
            return True
        if lowered in ("false", "tidak", "no", "0"):
            return False
    if kind in ("date", "datetime") and item.op in ("min", "max") and is_year(text):
        # a year bounds a date by its first or last day
        if item.op == "min":
            return f"{text}-01-01"
        return f"{text}-12-31" + ("T23:59:59.999999" if kind == "datetime" else "")
    return text


@dataclass(frozen=True)
class PageTables:
    """Every table's state on one page, so a link changing one keeps the others."""

    states: Mapping[str, TableState] = field(default_factory=dict)
    other: tuple[tuple[str, str], ...] = ()
    # a table parameter was sent empty (the empty boxes of a filter form)
    blank: bool = False

    @classmethod
    def from_params(cls, params: QueryParams, keys: Sequence[str]) -> PageTables:
        states = {key: TableState.from_params(params, key) for key in keys}
        owned = tuple(f"{key}." for key in keys)
        legacy = ("res", "col", "val", "sort", "dir", "p")
        other = tuple(
            (name, value)
            for name, value in params.multi_items()
            if not name.startswith(owned) and name not in legacy
        )
        blank = any(
            name.startswith(owned) and not value.strip() for name, value in params.multi_items()
        )
        return cls(states, other, blank)

    def hidden_for_form(self, state: TableState) -> list[tuple[str, str]]:
        """What a filter form of `state`'s table carries unseen: the other tables' state,
        the page's other parameters, this table's sort and fields (its page starts over)."""
        params = list(self.other)
        for key, current in self.states.items():
            if key != state.key:
                params += current.to_params()
        return params + TableState(state.key, (), state.sort, 1, state.fields).to_params()

    def with_state(self, state: TableState | None = None) -> str:
        """The query string (with `?`, or empty) with `state` in place of its table's; with
        no state, the page's own state written plainly (without the empty boxes)."""
        params = list(self.other)
        for key, current in self.states.items():
            params += (state if state is not None and key == state.key else current).to_params()
        return "?" + urlencode(params) if params else ""
