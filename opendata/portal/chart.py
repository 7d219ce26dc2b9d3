"""A simple bar chart drawn on the server as SVG: no script, readable by screen readers.

Drawn where a resource has a year or a category and a number: the number summed per year
(or per category, the largest first) over the visible rows only. Where the dataset has a
personal-data exemption (Pasal 17g/17h), a bar made of fewer than `MIN_CELL` rows is left
out, so no bar singles out a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from opendata.catalogue.fields import FieldDef
from opendata.exemptions.visibility import DatasetPolicy

YEAR_NAMES = ("tahun", "year")
# numbers that label a period or a place rather than measure something
NOT_MEASURES = (*YEAR_NAMES, "bulan", "month", "triwulan", "quarter", "kode", "code", "no", "id")
PERSONAL_DATA_BASES = ("PASAL_17G", "PASAL_17H")
MIN_CELL = 5
MAX_BARS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class ChartPlan:
    group_field: FieldDef
    value_field: FieldDef
    by_year: bool


@dataclass(frozen=True)
class Chart:
    plan: ChartPlan
    bars: list[Bar]

    @property
    def maximum(self) -> float:
        return max((bar.value for bar in self.bars), default=0.0) or 1.0


def plan_chart(fields: list[FieldDef], policy: DatasetPolicy) -> ChartPlan | None:
    """Which field to group by and which number to sum, or None when the data has neither."""
    visible = [f for f in fields if not policy.field_withheld(f.name)]
    years = [f for f in visible if f.name.lower() in YEAR_NAMES]
    numbers = [
        f
        for f in visible
        if f.type in ("integer", "number")
        and f.name.lower() not in NOT_MEASURES
        and not f.name.lower().startswith(("kode_", "id_", "no_"))
    ]
    categories = [f for f in visible if f.type == "string"]
    if not numbers:
        return None
    if years:
        return ChartPlan(years[0], numbers[0], by_year=True)
    if categories:
        return ChartPlan(categories[0], numbers[0], by_year=False)
    return None


def build_chart(
    plan: ChartPlan, rows: Iterable[Mapping[str, Any]], policy: DatasetPolicy
) -> Chart | None:
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        group, value = row.get(plan.group_field.name), row.get(plan.value_field.name)
        if group is None or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        sums[str(group)] += value
        counts[str(group)] += 1
    if any(e.basis in PERSONAL_DATA_BASES for e in policy.exemptions):
        sums = {group: total for group, total in sums.items() if counts[group] >= MIN_CELL}
    if len(sums) < 2:
        return None
    if plan.by_year:
        ordered = sorted(sums.items())[-MAX_BARS:]
    else:
        ordered = sorted(sums.items(), key=lambda item: (-item[1], item[0]))[:MAX_BARS]
    return Chart(plan, [Bar(label, round(value, 2)) for label, value in ordered])
