"""`catalog/dashboard.yaml`: the dashboard's panels as data, validated like a data package.

A regency edits this file, not code. Each panel names a dataset and resource of the
catalogue, what to group by and measure (as `Resource.aggregate` takes them), a chart kind,
and which of its fields the page filters (`kecamatan`, `year`) apply to. The loader reads it
with the catalogue folder and checks every reference against the descriptors read in the same
pass; a refusal names the file, the panel and the property, like a refused data package.

```yaml
panels:
  - id: dbd-per-kecamatan
    title: {id: Kasus DBD per kecamatan, en: Dengue cases by district}
    dataset: kasus-dbd-per-kecamatan
    resource: kasus
    groupBy: [tahun, kecamatan]
    measures: [{op: SUM, field: jumlah_kasus}]
    chart: stacked-bar            # bar | line | stacked-bar | table
    filters: {kecamatan: kecamatan, year: tahun}   # page filter: the panel's field
```
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from opendata.catalogue.aggregate import MAX_GROUP_FIELDS, NUMERIC_TYPES, OPS, split_group_name
from opendata.catalogue.reader import CatalogRead, DatasetDescriptor, Refusal
from opendata.visibility.fields import FieldDef

FILE_NAME = "dashboard.yaml"
CHART_KINDS = ("bar", "line", "stacked-bar", "table")
# The page's filters and the field types each can apply to.
FILTERS: dict[str, frozenset[str]] = {
    "kecamatan": frozenset({"string"}),
    "year": frozenset({"integer", "date", "datetime"}),
}
PANEL_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
MAX_PANELS = 40


@dataclass(frozen=True)
class Panel:
    id: str
    title_id: str
    title_en: str
    dataset: str
    resource: str
    group_by: tuple[str, ...]
    measures: tuple[tuple[str, str | None], ...]
    chart: str
    filters: tuple[tuple[str, str], ...] = ()  # (page filter, the panel's field)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": {"id": self.title_id, "en": self.title_en},
            "dataset": self.dataset,
            "resource": self.resource,
            "groupBy": list(self.group_by),
            "measures": [
                {"op": op} if field is None else {"op": op, "field": field}
                for op, field in self.measures
            ],
            "chart": self.chart,
            "filters": dict(self.filters),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Panel:
        """A stored panel (checked when it was read)."""
        return cls(
            id=raw["id"],
            title_id=raw["title"]["id"],
            title_en=raw["title"]["en"],
            dataset=raw["dataset"],
            resource=raw["resource"],
            group_by=tuple(raw["groupBy"]),
            measures=tuple((m["op"], m.get("field")) for m in raw["measures"]),
            chart=raw["chart"],
            filters=tuple(raw.get("filters", {}).items()),
        )


@dataclass(frozen=True)
class DashboardConfig:
    panels: tuple[Panel, ...]
    content_hash: str = ""

    def to_json(self) -> list[dict[str, Any]]:
        return [panel.to_json() for panel in self.panels]


class PanelError(ValueError):
    def __init__(self, prop: str, expected: str) -> None:
        super().__init__(expected)
        self.prop = prop
        self.expected = expected


def read_dashboard(root: Path, catalogue: CatalogRead) -> DashboardConfig | Refusal | None:
    """The dashboard of the catalogue folder `root`; None without a file, a Refusal if bad."""
    path = root / FILE_NAME
    if not path.is_file():
        return None
    raw_bytes = path.read_bytes()
    try:
        data = yaml.safe_load(raw_bytes)
    except yaml.YAMLError as error:
        return Refusal(str(path), "(file)", f"expected valid YAML ({error})")
    datasets = {d.slug: d for d in catalogue.datasets}
    try:
        panels = _panels(data, datasets, catalogue.refused_slugs)
    except PanelError as error:
        return Refusal(str(path), error.prop, f"expected {error.expected}")
    return DashboardConfig(panels, hashlib.sha256(raw_bytes).hexdigest())


def _panels(
    data: Any, datasets: Mapping[str, DatasetDescriptor], refused: set[str]
) -> tuple[Panel, ...]:
    if not isinstance(data, Mapping) or not isinstance(data.get("panels"), list):
        raise PanelError("panels", "a mapping with a list `panels`")
    raw_panels = data["panels"]
    if not 1 <= len(raw_panels) <= MAX_PANELS:
        raise PanelError("panels", f"1 to {MAX_PANELS} panels")
    panels: list[Panel] = []
    for index, raw in enumerate(raw_panels):
        panel = _panel(raw, f"panels[{index}]", datasets, refused)
        if any(p.id == panel.id for p in panels):
            raise PanelError(f"panels[{index}] ({panel.id}).id", "an id unique in the file")
        panels.append(panel)
    return tuple(panels)


def _text(raw: Mapping[str, Any], key: str, prop: str, expected: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PanelError(f"{prop}.{key}", expected)
    return value.strip()


def _panel(
    raw: Any, where: str, datasets: Mapping[str, DatasetDescriptor], refused: set[str]
) -> Panel:
    if not isinstance(raw, Mapping):
        raise PanelError(where, "a mapping")
    unknown = sorted(
        set(raw) - {"id", "title", "dataset", "resource", "groupBy", "measures", "chart", "filters"}
    )
    if unknown:
        raise PanelError(
            f"{where}.{unknown[0]}", "no such property (see opendata/dashboard/config.py)"
        )
    panel_id = _text(raw, "id", where, "a panel id of a-z, 0-9 and '-'")
    if not PANEL_ID.match(panel_id):
        raise PanelError(f"{where}.id", "a panel id of a-z, 0-9 and '-' (max 60)")
    prop = f"{where} ({panel_id})"
    title = raw.get("title")
    if not isinstance(title, Mapping):
        raise PanelError(f"{prop}.title", "a mapping {id: ..., en: ...}")
    title_id = _text(title, "id", f"{prop}.title", "an Indonesian title")
    title_en = _text(title, "en", f"{prop}.title", "an English title")
    slug = _text(raw, "dataset", prop, "a dataset slug of this catalogue")
    resource_name = _text(raw, "resource", prop, "a resource name of the dataset")
    chart = raw.get("chart")
    if chart not in CHART_KINDS:
        raise PanelError(f"{prop}.chart", f"one of {', '.join(CHART_KINDS)}")
    group_by = raw.get("groupBy", [])
    if not isinstance(group_by, list) or not all(isinstance(n, str) for n in group_by):
        raise PanelError(f"{prop}.groupBy", "a list of field names")
    if len(group_by) > MAX_GROUP_FIELDS or (chart != "table" and len(group_by) > 2):
        raise PanelError(
            f"{prop}.groupBy", f"at most 2 fields for a chart ({MAX_GROUP_FIELDS} for a table)"
        )
    measures = _measures(raw.get("measures"), f"{prop}.measures")
    filters = raw.get("filters") or {}
    if not isinstance(filters, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in filters.items()
    ):
        raise PanelError(f"{prop}.filters", "a mapping {page filter: field name}")
    panel = Panel(
        panel_id,
        title_id,
        title_en,
        slug,
        resource_name,
        tuple(group_by),
        measures,
        str(chart),
        tuple(filters.items()),
    )
    if slug in refused:
        return panel  # its descriptor was refused (reported there); the stored version stays
    descriptor = datasets.get(slug)
    if descriptor is None:
        raise PanelError(f"{prop}.dataset", f"a dataset slug of this catalogue (found '{slug}')")
    _check_fields(panel, descriptor, prop)
    return panel


def _measures(raw: Any, prop: str) -> tuple[tuple[str, str | None], ...]:
    if not isinstance(raw, list) or not raw:
        raise PanelError(prop, "a non-empty list of {op, field}")
    found: list[tuple[str, str | None]] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or item.get("op") not in OPS:
            raise PanelError(f"{prop}[{index}].op", f"one of {', '.join(OPS)}")
        field = item.get("field")
        if field is None and item["op"] != "COUNT":
            raise PanelError(f"{prop}[{index}].field", f"a numeric field for {item['op']}")
        if field is not None and not isinstance(field, str):
            raise PanelError(f"{prop}[{index}].field", "a field name")
        found.append((item["op"], field))
    return tuple(found)


def _check_fields(panel: Panel, descriptor: DatasetDescriptor, prop: str) -> None:
    """Every name the panel uses is a field of its resource, not withheld, of a fitting type."""
    resource = next((r for r in descriptor.resources if r.name == panel.resource), None)
    if resource is None:
        names = ", ".join(r.name for r in descriptor.resources)
        raise PanelError(f"{prop}.resource", f"one of the dataset's resources: {names}")
    fields = {f.name: f for f in resource.fields}
    withheld = {e.field for e in descriptor.exemptions if e.scope == "FIELD" and e.field}
    if any(e.scope == "DATASET" for e in descriptor.exemptions):
        raise PanelError(f"{prop}.dataset", "a dataset whose content is not withheld whole")

    def field(name: str, at: str, types: Sequence[str] | frozenset[str] | None = None) -> FieldDef:
        found = fields.get(name)
        if found is None:
            raise PanelError(at, f"a field of resource '{resource.name}' (found '{name}')")
        if name in withheld:
            raise PanelError(at, f"a field that is not withheld ('{name}' is)")
        if types is not None and found.type not in types:
            raise PanelError(
                at, f"a field of type {' or '.join(sorted(types))} ('{name}' is {found.type})"
            )
        return found

    for index, name in enumerate(panel.group_by):
        part, inner = split_group_name(name, set(fields))
        field(inner, f"{prop}.groupBy[{index}]", None if part is None else ("date", "datetime"))
    for index, (op, measured) in enumerate(panel.measures):
        if measured is not None:
            types = None if op == "COUNT" else NUMERIC_TYPES
            field(measured, f"{prop}.measures[{index}].field", types)
    for page_filter, filtered in panel.filters:
        if page_filter not in FILTERS:
            raise PanelError(f"{prop}.filters", f"page filters among {', '.join(FILTERS)}")
        field(filtered, f"{prop}.filters.{page_filter}", FILTERS[page_filter])
