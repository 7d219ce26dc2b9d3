"""Each dashboard panel's figures: `Resource.aggregate` with the page filters, cached.

A panel is computed by the same domain calls as the GraphQL field (policy, `figure_source`,
`parse_aggregate`, `aggregate`), so it shows nothing `aggregate` would not. Figures are
cached per process, keyed by the catalogue generation (bumped by every catalogue or exemption
change, and by a new dashboard.yaml) and the regency date (exemptions lapse by date), so a
page costs one generation read once warm.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue import aggregate as domain
from opendata.catalogue.changes import read_generation
from opendata.catalogue.queries import live_resource
from opendata.catalogue.row_query import figure_source
from opendata.dashboard.config import Panel
from opendata.dashboard.store import load_dashboard
from opendata.errors import DomainError
from opendata.parts import HasDatabaseAndSettings
from opendata.public_ids import to_global_id
from opendata.regency_time import regency_today
from opendata.visibility.disclosure_control import cell_threshold
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import load_policy

CACHE_ENTRIES = 128


@dataclass(frozen=True)
class DashboardFilters:
    """The page filters; each applies to the panels that name a field for it."""

    kecamatan: str | None = None
    year: int | None = None

    def active(self) -> dict[str, Any]:
        return {k: v for k, v in (("kecamatan", self.kecamatan), ("year", self.year)) if v}


@dataclass
class PanelFigures:
    panel: Panel
    groups: list[domain.AggregateGroup] = field(default_factory=list)
    suppressed_groups: int = 0
    where: dict[str, Any] | None = None
    # why the panel has no figures (bilingual), e.g. its dataset is gone or now withheld
    problem: tuple[str, str] | None = None
    resource_id: str | None = None  # the resource's global ID, for the panel's query
    # each field's title in the Table Schema (Jumlah kasus for jumlah_kasus), for headings
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def graphql(self) -> str:
        """The GraphQL query that gives these figures (shown beside the chart)."""
        return panel_query(self.panel)

    @property
    def variables(self) -> dict[str, Any]:
        return {"resource": self.resource_id, "where": self.where}


def panel_query(panel: Panel) -> str:
    """The panel's resource by its ID (not every resource of the dataset: another resource
    of the same dataset may lack the panel's fields, and its error would join the answer)."""
    group_by = json.dumps(list(panel.group_by))
    measures = ", ".join(
        f"{{op: {op}}}" if name is None else f'{{op: {op}, field: "{name}"}}'
        for op, name in panel.measures
    )
    return (
        "query Panel($resource: ID!, $where: JSON) {\n"
        "  node(id: $resource) {\n"
        "    ... on Resource {\n"
        "      name\n"
        f"      aggregate(groupBy: {group_by}, measures: [{measures}], where: $where) {{\n"
        "        groups { key values suppressed }\n"
        "        suppressedGroups\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}"
    )


def panel_where(panel: Panel, fields: dict[str, FieldDef], filters: DashboardFilters) -> Any:
    """The `where` a panel gets from the page filters (a year on a date field is a range)."""
    where: dict[str, Any] = {}
    chosen = dict(panel.filters)
    for page_filter, value in filters.active().items():
        name = chosen.get(page_filter)
        if name is None or name not in fields:
            continue
        kind = fields[name].type
        if page_filter == "year" and kind == "date":
            where[name] = {"gte": f"{value}-01-01", "lte": f"{value}-12-31"}
        elif page_filter == "year" and kind == "datetime":
            where[name] = {"gte": f"{value}-01-01T00:00:00", "lt": f"{value + 1}-01-01T00:00:00"}
        else:
            where[name] = value
    return where or None


async def panel_figures(
    session: AsyncSession, panel: Panel, filters: DashboardFilters, today: date | None = None
) -> PanelFigures:
    """One panel's groups over what anyone may see, or the reason it has none."""
    found = await live_resource(session, panel.dataset, panel.resource)
    if found is None:
        return PanelFigures(
            panel,
            problem=("Data panel ini tidak tersedia.", "This panel's data is not available."),
        )
    dataset, resource = found
    resource_id = to_global_id("Resource", resource.id)
    policy = await load_policy(session, dataset.id, today)
    fields = {raw["name"]: FieldDef.from_json(raw) for raw in resource.fields}
    where = panel_where(panel, fields, filters)
    try:
        source = figure_source(resource, policy)
        query = domain.parse_aggregate(
            source,
            panel.group_by,
            panel.measures,
            where,
            cell_threshold(policy, dataset.minimum_cell_size),
        )
        result = await domain.aggregate(session, query)
    except DomainError as error:  # e.g. a field or the dataset withheld since the file was read
        return PanelFigures(
            panel,
            where=where,
            problem=(error.message_id, error.message_en),
            resource_id=resource_id,
        )
    titles = {name: f.title for name, f in fields.items() if f.title}
    return PanelFigures(
        panel, result.groups, result.suppressed_groups, where, None, resource_id, titles
    )


# (database, catalogue generation, regency date, filters) -> figures; one per process
_CacheKey = tuple[str, int, date, DashboardFilters]
_CACHE: OrderedDict[_CacheKey, list[PanelFigures]] = OrderedDict()


async def dashboard_figures(
    services: HasDatabaseAndSettings, filters: DashboardFilters = DashboardFilters()
) -> list[PanelFigures]:
    """Every panel of the stored dashboard, in file order (cached; see the module docstring)."""
    today = regency_today()
    async with services.database.session() as session:
        database = services.settings.resolved_database_url
        key = (database, await read_generation(session), today, filters)
        cache = _CACHE
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        config = await load_dashboard(session)
        figures = [await panel_figures(session, p, filters, today) for p in config.panels]
    cache[key] = figures
    while len(cache) > CACHE_ENTRIES:
        cache.popitem(last=False)
    return figures
