"""Grouped figures over a resource's visible rows: COUNT, SUM, AVG, MIN, MAX in SQL.

One GROUP BY on the resource's typed table whose WHERE is `row_query.visible_clauses`,
the same condition `rows`, counts and exports use, so an aggregate can count no row that
`rows` would not show. A withheld field cannot be grouped or measured (FORBIDDEN); a dataset
withheld whole never gets a `RowSource` (FORBIDDEN). Each group also counts its rows, so
`disclosure_control` can suppress small groups of datasets holding personal data.

A grouped field is a field name, or `year(<field>)` / `month(<field>)` of a date or datetime
field (a year as an integer, a month as "YYYY-MM"), so figures can follow time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from opendata.catalogue.row_query import (
    Condition,
    RowSource,
    SmallCellFacts,
    check_small_cells,
    parse_where,
    readable_field,
    visible_clauses,
)
from opendata.errors import BadUserInput, Forbidden
from opendata.visibility.disclosure_control import Cell, suppressed_cells
from opendata.visibility.fields import FieldDef, json_value


class AggregateOp(Enum):
    """The measures (registered with GraphQL from here)."""

    COUNT = "COUNT"
    SUM = "SUM"
    AVG = "AVG"
    MIN = "MIN"
    MAX = "MAX"


OPS = tuple(op.value for op in AggregateOp)
NUMERIC_TYPES = frozenset({"integer", "number"})
DATE_TYPES = frozenset({"date", "datetime"})
MAX_GROUP_FIELDS = 4
MAX_MEASURES = 10
MAX_GROUPS = 5000
_DERIVED = re.compile(r"^(year|month)\((.+)\)$")


class _Year(sa.sql.functions.GenericFunction[int]):
    """The year of a date or datetime column, as an integer, alike on both databases."""

    type = sa.Integer()
    inherit_cache = True
    name = "year_of"


class _Month(sa.sql.functions.GenericFunction[str]):
    """The month of a date or datetime column, as "YYYY-MM", alike on both databases."""

    type = sa.Text()
    inherit_cache = True
    name = "month_of"


# How each dialect spells each part; SQLite keeps dates as ISO text (tables.IsoDate / IsoDateTime).
_DATE_PART_SQL: dict[tuple[type[_Year] | type[_Month], str], str] = {
    (_Year, "postgresql"): "CAST(EXTRACT(YEAR FROM {}) AS INTEGER)",
    (_Month, "postgresql"): "to_char({}, 'YYYY-MM')",
    (_Year, "sqlite"): "CAST(substr({}, 1, 4) AS INTEGER)",
    (_Month, "sqlite"): "substr({}, 1, 7)",
}


def _register_date_part(part: type[_Year] | type[_Month], dialect: str, template: str) -> None:
    @compiles(part, dialect)
    def _compile(element: _Year | _Month, compiler: SQLCompiler, **kw: Any) -> str:
        return template.format(compiler.process(element.clauses, **kw))


for (_part, _dialect), _template in _DATE_PART_SQL.items():
    _register_date_part(_part, _dialect, _template)


DATE_PARTS: dict[str, type[_Year] | type[_Month]] = {"year": _Year, "month": _Month}


@dataclass(frozen=True)
class GroupKey:
    """One grouped field as asked (`name`), the field it reads and the date part, if any."""

    name: str
    field: FieldDef
    part: str | None = None

    def json(self, value: Any) -> Any:
        if value is None or self.part is not None:
            return value
        return json_value(self.field, value)


@dataclass(frozen=True)
class Measure:
    op: str
    field: FieldDef | None = None


@dataclass(frozen=True)
class AggregateQuery:
    """One checked `aggregate(...)` call; `minimum` is the small-cell threshold
    (`disclosure_control.cell_threshold`), None where the dataset holds no personal data."""

    source: RowSource
    group_by: tuple[GroupKey, ...]
    measures: tuple[Measure, ...]
    conditions: tuple[Condition, ...] = ()
    minimum: int | None = None


@dataclass(frozen=True)
class AggregateGroup:
    key: dict[str, Any]
    values: list[float | None]
    suppressed: bool


@dataclass(frozen=True)
class AggregateResult:
    groups: list[AggregateGroup]
    suppressed_groups: int


# ---------------------------------------------------------------- checking arguments


def _bad(message_id: str, message_en: str, argument: str) -> BadUserInput:
    return BadUserInput(message_id, message_en, field=argument)


def aggregated_field(source: RowSource, name: Any, argument: str) -> FieldDef:
    """A declared field that may be grouped or measured; a withheld one is FORBIDDEN."""
    declared = isinstance(name, str) and any(f.name == name for f in source.fields)
    if declared and source.policy.field_withheld(name):
        raise Forbidden(
            f"Kolom '{name}' dikecualikan dan tidak dapat dikelompokkan atau dihitung.",
            f"Field '{name}' is withheld and cannot be grouped or measured.",
            field=argument,
        )
    return readable_field(source, name, argument, "choose")


def split_group_name(name: str, declared: set[str]) -> tuple[str | None, str]:
    """(date part or None, field name) of a grouped name: `year(tanggal)` is ("year",
    "tanggal"), unless a field is literally called that."""
    derived = _DERIVED.match(name)
    if derived is None or name in declared:
        return None, name
    return derived.group(1), derived.group(2)


def _group_key(source: RowSource, name: Any) -> GroupKey:
    if not isinstance(name, str):
        return GroupKey(str(name), aggregated_field(source, name, "groupBy"))
    part, inner = split_group_name(name, {f.name for f in source.fields})
    if part is None:
        return GroupKey(name, aggregated_field(source, name, "groupBy"))
    field_def = aggregated_field(source, inner, "groupBy")
    if field_def.type not in DATE_TYPES:
        raise _bad(
            f"`{part}(...)` hanya untuk kolom tanggal; '{inner}' bertipe {field_def.type}.",
            f"`{part}(...)` is for date fields only; '{inner}' is of type {field_def.type}.",
            "groupBy",
        )
    return GroupKey(name, field_def, part)


def _measure(source: RowSource, op: Any, name: Any) -> Measure:
    if op not in OPS:
        raise _bad(
            f"Operasi '{op}' tidak dikenal; pilih salah satu: {', '.join(OPS)}.",
            f"Unknown operation '{op}'; use one of: {', '.join(OPS)}.",
            "measures",
        )
    if name is None:
        if op != "COUNT":
            raise _bad(f"{op} memerlukan kolom.", f"{op} needs a field.", "measures")
        return Measure(op)
    field_def = aggregated_field(source, name, "measures")
    if op != "COUNT" and field_def.type not in NUMERIC_TYPES:
        raise _bad(
            f"{op} hanya untuk kolom angka; '{name}' bertipe {field_def.type}.",
            f"{op} is for numeric fields only; '{name}' is of type {field_def.type}.",
            "measures",
        )
    return Measure(op, field_def)


def parse_aggregate(
    source: RowSource,
    group_by: Sequence[Any],
    measures: Sequence[tuple[Any, Any]],
    where: Any,
    minimum: int | None,
) -> AggregateQuery:
    """Arguments checked against the fields, their types and the policy."""
    if len(group_by) > MAX_GROUP_FIELDS:
        raise _bad(
            f"`groupBy` paling banyak {MAX_GROUP_FIELDS} kolom.",
            f"`groupBy` takes at most {MAX_GROUP_FIELDS} fields.",
            "groupBy",
        )
    if not measures or len(measures) > MAX_MEASURES:
        raise _bad(
            f"`measures` berisi 1 sampai {MAX_MEASURES} ukuran.",
            f"`measures` takes 1 to {MAX_MEASURES} measures.",
            "measures",
        )
    keys = tuple(_group_key(source, name) for name in group_by)
    if len({key.name for key in keys}) < len(keys):
        raise _bad(
            "Kolom yang sama disebut dua kali di `groupBy`.",
            "The same field is named twice in `groupBy`.",
            "groupBy",
        )
    return AggregateQuery(
        source=source,
        group_by=keys,
        measures=tuple(_measure(source, op, name) for op, name in measures),
        conditions=parse_where(source, where),
        minimum=minimum,
    )


# ---------------------------------------------------------------- SQL


def _key_expression(source: RowSource, key: GroupKey) -> ColumnElement[Any]:
    column = source.columns[key.field.name]
    if key.part is None:
        return column
    return DATE_PARTS[key.part](column)


def _measure_expression(source: RowSource, measure: Measure) -> ColumnElement[Any]:
    if measure.field is None:
        return func.count()
    column = source.columns[measure.field.name]
    return {
        "COUNT": func.count(column),
        "SUM": func.sum(column),
        "AVG": func.avg(column),
        "MIN": func.min(column),
        "MAX": func.max(column),
    }[measure.op]


def aggregate_statement(query: AggregateQuery) -> sa.Select[Any]:
    """SELECT keys..., count(*), measures... WHERE <visible rows> GROUP BY keys ORDER BY keys."""
    source = query.source
    keys = [_key_expression(source, key) for key in query.group_by]
    statement = (
        sa.select(*keys, func.count(), *(_measure_expression(source, m) for m in query.measures))
        .select_from(source.table)
        .where(*visible_clauses(source, query.conditions))
    )
    if keys:
        statement = (
            statement.group_by(*keys)
            .order_by(*(key.asc().nulls_last() for key in keys))
            # a literal, not a parameter: PostgreSQL's generic plan of a prepared statement
            # guesses a LIMIT $n keeps 10% of the groups and then walks the whole table in
            # key order through the index (4-8x slower than hashing it, bench aggregate)
            .limit(sa.literal_column(str(MAX_GROUPS + 1)))
        )
    return statement


async def aggregate(
    session: AsyncSession, query: AggregateQuery, facts: SmallCellFacts | None = None
) -> AggregateResult:
    """The groups of `query`, small ones suppressed under `disclosure_control`'s rule.

    A filtered answer is a query set: the rows it selects are the sum of its groups' counts,
    so the rule costs no statement of its own beyond the cached unfiltered total (`facts`,
    when the caller has read them, saves one more round trip)."""
    width = len(query.group_by)
    found = (await session.execute(aggregate_statement(query))).all()
    if query.conditions and query.minimum is not None:
        complete = len(found) <= MAX_GROUPS  # else counted apart (the groups were cut)
        matching = sum(int(row[width]) for row in found) if complete else None
        await check_small_cells(
            session, query.source, query.conditions, matching=matching, facts=facts
        )
    if len(found) > MAX_GROUPS:
        raise _bad(
            f"Lebih dari {MAX_GROUPS} kelompok; tambahkan filter atau kurangi `groupBy`.",
            f"More than {MAX_GROUPS} groups; add a filter or group by fewer fields.",
            "groupBy",
        )
    cells = [Cell(tuple(row[:width]), int(row[width])) for row in found]
    hidden = suppressed_cells(cells, query.minimum)
    groups = [
        AggregateGroup(
            key={k.name: k.json(v) for k, v in zip(query.group_by, row[:width], strict=True)},
            values=[None] * len(query.measures)
            if index in hidden
            else [None if v is None else float(v) for v in row[width + 1 :]],
            suppressed=index in hidden,
        )
        for index, row in enumerate(found)
    ]
    return AggregateResult(groups, len(hidden))
