"""A simple bar chart drawn on the server as SVG: no script, readable by screen readers.

Drawn where a resource has a year or a category: per year (or per category, the largest
first) the number of visible rows, or the sum of a field the schema declares a measure
(`role: measure`, docs/catalog-format.md). A number is never summed on its name alone: the
ages in a patient register, a rate or a code add up to nonsense. Where the dataset has a
personal-data exemption (Pasal 17g/17h), the bars follow the aggregate API's rule exactly
(`disclosure_control.suppressed_cells` over every group, rows with an empty group or value
included, as `aggregate(groupBy: [g], measures: [SUM v])` counts them): a bar of fewer rows
than the minimum cell size is left out, and so is the next smallest, so the bars shown never
add up to a known total minus one small group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from opendata.portal.i18n import Formats
from opendata.visibility.disclosure_control import Cell, cell_threshold, suppressed_cells
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy

YEAR_NAMES = ("tahun", "year")
MAX_BARS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class ChartPlan:
    # the year field, else the category fields to choose from once the rows are known
    group_fields: tuple[FieldDef, ...]
    value_field: FieldDef | None  # the measure summed; None: the rows are counted
    by_year: bool


@dataclass(frozen=True)
class Chart:
    group_field: FieldDef
    value_field: FieldDef | None
    bars: list[Bar]

    @property
    def maximum(self) -> float:
        return max((bar.value for bar in self.bars), default=0.0) or 1.0

    def share(self, bar: Bar) -> float:
        """The bar's length as a percentage of the longest."""
        return round(100 * max(bar.value, 0.0) / self.maximum, 2)

    def written(self, formats: Formats) -> list[tuple[str, float, str, str]]:
        """Each bar as the page writes it: label, length, exact figure, short figure; worked
        out here once per bar rather than by three calls from the template's loop."""
        return [
            (bar.label, self.share(bar), formats.number(bar.value), formats.compact(bar.value))
            for bar in self.bars
        ]


def plan_chart(fields: list[FieldDef], policy: DatasetPolicy) -> ChartPlan | None:
    """Which field to group by and what to show: the first declared measure summed, else a
    count of rows; None when there is nothing to group by."""
    visible = [f for f in fields if not policy.field_withheld(f.name)]
    years = [f for f in visible if f.name.lower() in YEAR_NAMES]
    measure = next((f for f in visible if f.is_measure), None)
    categories = tuple(f for f in visible if f.type == "string")
    if years:
        return ChartPlan((years[0],), measure, by_year=True)
    if categories:
        return ChartPlan(categories, measure, by_year=False)
    return None


def build_chart(
    plan: ChartPlan,
    rows: Iterable[Mapping[str, Any]],
    policy: DatasetPolicy,
    minimum_cell_size: int | None = None,
) -> Chart | None:
    """Sum (or count) per group; among categories, the one with the fewest distinct values (a
    kecamatan or a sector reads as a chart, a name of a person or a business does not)."""
    rows = list(rows)
    distinct = {f.name: len({row.get(f.name) for row in rows} - {None}) for f in plan.group_fields}
    usable = [f for f in plan.group_fields if 2 <= distinct[f.name] <= MAX_BARS * 3]
    if not usable:
        return None
    group_field = min(usable, key=lambda f: distinct[f.name])
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str | None, int] = defaultdict(int)  # every row of its group, as COUNT(*)
    for row in rows:
        group = row.get(group_field.name)
        label = None if group is None else str(group)
        counts[label] += 1
        if label is None:
            continue
        if plan.value_field is None:
            sums[label] += 1
            continue
        value = row.get(plan.value_field.name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            sums[label] += value
    cells = [Cell((label,), n) for label, n in counts.items()]
    hidden = suppressed_cells(cells, cell_threshold(policy, minimum_cell_size))
    shown = {cell.key[0] for index, cell in enumerate(cells) if index not in hidden}
    sums = {group: total for group, total in sums.items() if group in shown}
    if len(sums) < 2:
        return None
    if plan.by_year:
        ordered = sorted(sums.items())[-MAX_BARS:]
    else:
        ordered = sorted(sums.items(), key=lambda item: (-item[1], item[0]))[:MAX_BARS]
    bars = [Bar(label, round(value, 2)) for label, value in ordered]
    return Chart(group_field, plan.value_field, bars)
