"""Dasbor: every panel of dashboard.yaml and the information service on one page.

Each panel becomes one `PanelView` (title, table, chart data, API query), and the page, its
CSV (`/dasbor/<panel>.csv`) and the chart all read that view, so they show the same numbers.
The page carries each panel's numbers as a server-rendered table and as JSON; a vendored
Chart.js (loaded on this page only, the one page whose CSP allows a script from 'self')
draws the charts from the JSON. Without JavaScript the tables show.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from starlette.responses import Response, StreamingResponse

from opendata.catalogue.changes import read_generation
from opendata.catalogue.exports import neutralised
from opendata.catalogue.freshness import overdue_by_agency
from opendata.dashboard.figures import DashboardFilters, PanelFigures, dashboard_figures
from opendata.dashboard.service_figures import (
    EXPIRING_WITHIN_DAYS,
    AgencyService,
    ServiceFigures,
    service_figures,
)
from opendata.dashboard.tables import chart_spec, panel_headings, panel_table
from opendata.errors import BadUserInput, not_found
from opendata.information_requests.models import RequestEvent
from opendata.information_requests.rules import DECISION_LABELS, Decision
from opendata.inputs import is_number
from opendata.portal.page import CONTENT_SECURITY_POLICY, ApiLink, Page, page
from opendata.regency_time import regency_today
from opendata.request_scope import Parts
from opendata.resolvers import catalogue as resolve
from opendata.statute import exemption_article
from opendata.visibility.rules import BASES

# The one page that runs a script: its own and the vendored chart library, both from 'self'
# (no inline script, no eval: Chart.js needs neither).
DASHBOARD_CSP = CONTENT_SECURITY_POLICY.replace("script-src 'none'", "script-src 'self'")
MAX_KECAMATAN_LENGTH = 80
MAX_AGENCIES = 100
SERVICE_FILTERS = ("year",)  # the report is per year; it has no kecamatan
PARTS = ("year", "month")  # groupBy names over a date field that carry its year first


@dataclass
class PanelView:
    """One panel as the page, its CSV and its chart show it."""

    id: str
    title: str
    chart: str  # bar | line | stacked-bar | table
    header: list[str]
    rows: list[list[Any]]
    numeric: list[bool]  # per column
    api: ApiLink
    filters: Sequence[str]  # the page filters that apply to this panel
    suppressed: list[bool] = field(default_factory=list)  # per row
    spec: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
    note: str | None = None
    # the CSV column marking suppressed groups (panels drawn from a catalogue resource)
    suppressed_header: str | None = None
    number: Callable[[Any], str] = str  # the page language's number format
    # the headings a person reads (field titles); None: `header`, which the CSV keeps
    labels: list[str] | None = None

    @property
    def suppressed_groups(self) -> int:
        return sum(self.suppressed)

    def row_suppressed(self, index: int) -> bool:
        return index < len(self.suppressed) and self.suppressed[index]

    @cached_property
    def cells(self) -> list[list[tuple[str, str]]]:
        """Each cell as (kind, text) for the page: "key", "suppressed", "empty" or the raw
        number (kept for machines in `data-value`); computed once per cached view."""
        return [
            [
                self._cell(value, numeric, self.row_suppressed(index))
                for value, numeric in zip(row, self.numeric, strict=True)
            ]
            for index, row in enumerate(self.rows)
        ]

    def _cell(self, value: Any, numeric: bool, hidden: bool) -> tuple[str, str]:
        if not numeric:
            return ("key", "—" if value is None else str(value))
        if hidden:
            return ("suppressed", "")
        if value is None:
            return ("empty", "")
        return (str(value), self.number(value))

    @cached_property
    def graphiql_url(self) -> str:
        return self.api.graphiql_url

    @property
    def drawable(self) -> bool:
        """A chart kind with at least one number other than zero to draw."""
        numbers = (v for series in self.spec.get("series", ()) for v in series["data"])
        return self.chart != "table" and any(numbers)


def parse_filters(params: Any) -> DashboardFilters:
    """The GET form's kecamatan and year, refused in plain words when malformed."""
    kecamatan = (params.get("kecamatan") or "").strip()
    if len(kecamatan) > MAX_KECAMATAN_LENGTH:
        raise BadUserInput(
            f"Nama kecamatan paling panjang {MAX_KECAMATAN_LENGTH} huruf.",
            f"A kecamatan name has at most {MAX_KECAMATAN_LENGTH} characters.",
            field="kecamatan",
        )
    year_text = (params.get("year") or "").strip()
    if year_text and not (is_number(year_text) and len(year_text) == 4):
        raise BadUserInput("Tahun harus 4 angka.", "The year must be 4 digits.", field="year")
    return DashboardFilters(kecamatan or None, int(year_text) if year_text else None)


# ---------------------------------------------------------------- catalogue panels


def catalogue_view(current: Page, figures: PanelFigures) -> PanelView:
    english = current.visitor.language == "en"
    panel = figures.panel
    table = panel_table(figures, english)
    keys = len(panel.group_by)
    view = PanelView(
        id=panel.id,
        title=current.visitor.formats.pick(panel.title_id, panel.title_en),
        chart=panel.chart,
        header=table.header[:-1],
        rows=[row[:-1] for row in table.rows],
        numeric=[False] * keys + [True] * len(panel.measures),
        api=ApiLink(figures.graphql, figures.variables),
        filters=[name for name, _ in panel.filters],
        suppressed=[bool(row[-1]) for row in table.rows],
        spec=chart_spec(figures, english),
        suppressed_header=table.header[-1],
        labels=panel_headings(figures, english),
    )
    # one key and two different operations (a count beside a sum or an average): each on
    # its own scale; two sums (budget beside realisation) share one, so they compare
    ops = {op for op, _ in panel.measures}
    view.spec["separateScales"] = keys < 2 and len(panel.measures) == 2 and len(ops) == 2
    if figures.problem is not None:
        view.problem = current.visitor.formats.pick(*figures.problem)
    return view


# ---------------------------------------------------------------- information service


def _alias(slug: str) -> str:
    return "a_" + re.sub(r"[^0-9A-Za-z_]", "_", slug)


def service_query(agencies: Sequence[AgencyService]) -> str:
    """One `serviceReport` per agency (aliased), the figures the service panels read."""
    fields = (
        "agency { slug name } requestsReceived answeredLate granted partiallyGranted refused "
        "notHeld notYetDocumented refusalsByBasis { basis count } lines { workingDays }"
    )
    parts = [
        f'  {_alias(a.agency_slug)}: serviceReport(year: $year, agency: "{a.agency_slug}") '
        f"{{ {fields} }}"
        for a in agencies
    ]
    return "query Service($year: Int!) {\n" + "\n".join(parts) + "\n}"


EXEMPTIONS_QUERY = """query Exemptions {
  datasets(first: 100) {
    totalCount
    edges { node { slug title exemptions { basis scope expiresOn active } } }
  }
}"""


def _basis(code: str) -> str:
    return exemption_article(BASES[code].letter).pasal_text


def _bars(kind: str, categories: list[str], series: dict[str, list[Any]]) -> dict[str, Any]:
    return {
        "kind": kind,
        "horizontal": True,
        "categories": categories,
        "series": [{"name": name, "data": data} for name, data in series.items()],
        "suppressed": 0,
    }


def _one_series(
    panel_id: str,
    title: str,
    header: tuple[str, str],
    names: list[str],
    short: list[str],
    values: list[Any],
    api: ApiLink,
    filters: Sequence[str],
    note: str | None,
) -> PanelView:
    """One series of bars: the table names each bar in full, the chart as short as fits."""
    return PanelView(
        panel_id,
        title,
        "bar",
        list(header),
        [[name, value] for name, value in zip(names, values, strict=True)],
        [False, True],
        api,
        filters,
        spec=_bars("bar", short, {header[1]: values}),
        note=note,
    )


def service_views(
    current: Page, figures: ServiceFigures, acronyms: dict[str, str]
) -> list[PanelView]:
    """The information service panels: requests, timeliness, decisions, bases, exemptions.
    The tables name each agency in full; the charts by its acronym (they fit a phone)."""
    _ = current.gettext
    pick = current.visitor.formats.pick
    agencies = figures.agencies
    names = [a.agency_name for a in agencies]
    short = [acronyms.get(a.agency_slug) or a.agency_name for a in agencies]
    api = ApiLink(service_query(agencies), {"year": figures.year})
    agency_header = _("Public body")
    year_note = _("Requests received in %(year)s.", year=figures.year)

    def per_agency(panel_id: str, title: str, column: str, values: list[Any]) -> PanelView:
        header = (agency_header, column)
        return _one_series(
            panel_id, title, header, names, short, values, api, SERVICE_FILTERS, year_note
        )

    def per_basis(
        panel_id: str,
        title: str,
        column: str,
        counts: list[tuple[str, int]],
        link: ApiLink,
        filters: Sequence[str],
        note: str | None,
    ) -> PanelView:
        """One bar a legal basis of Pasal 17: the refusals and the exemptions alike."""
        bases = [_basis(code) for code, _n in counts]
        values = [n for _code, n in counts]
        header = (_("Legal basis"), column)
        return _one_series(panel_id, title, header, bases, bases, values, link, filters, note)

    rates = [None if a.on_time_rate is None else round(100 * a.on_time_rate, 1) for a in agencies]
    decisions = [d for d in Decision]
    decision_names = [pick(*DECISION_LABELS[d]) for d in decisions]
    refusals: Counter[str] = Counter()
    for agency in agencies:
        refusals.update(dict(agency.refusals_by_basis))
    refusal_bases = sorted(refusals)
    views = [
        per_agency(
            "layanan-permohonan",
            _("Information requests per public body"),
            _("Requests received"),
            [a.received for a in agencies],
        ),
        per_agency(
            "layanan-tepat-waktu",
            _("Requests answered on time (%)"),
            _("On time (%)"),
            rates,
        ),
        per_agency(
            "layanan-hari-kerja",
            _("Median working days to answer"),
            _("Median working days"),
            [a.median_working_days for a in agencies],
        ),
        PanelView(
            "layanan-keputusan",
            _("Decisions per public body"),
            "stacked-bar",
            [agency_header, *decision_names],
            [[a.agency_name, *(a.decisions[d.value] for d in decisions)] for a in agencies],
            [False] + [True] * len(decisions),
            api,
            SERVICE_FILTERS,
            spec=_bars(
                "stacked-bar",
                short,
                {
                    label: [a.decisions[d.value] for a in agencies]
                    for d, label in zip(decisions, decision_names, strict=True)
                },
            ),
            note=year_note,
        ),
        per_basis(
            "layanan-dasar-penolakan",
            _("Refusals by legal basis"),
            _("Refusals"),
            [(b, refusals[b]) for b in refusal_bases],
            api,
            SERVICE_FILTERS,
            year_note,
        ),
        per_basis(
            "pengecualian-per-dasar",
            _("Exemptions in force by legal basis"),
            _("Exemptions"),
            list(figures.exemptions_by_basis),
            ApiLink(EXEMPTIONS_QUERY),
            (),
            None,
        ),
        PanelView(
            "pengecualian-berakhir",
            _("Exemptions ending in the next %(days)s days", days=EXPIRING_WITHIN_DAYS),
            "table",
            [_("Dataset"), _("Legal basis"), _("Scope"), _("Ends on")],
            [
                [e.dataset_title, _basis(e.basis), e.scope, e.expires_on.isoformat()]
                for e in figures.expiring
            ],
            [False, False, False, False],
            ApiLink(EXEMPTIONS_QUERY),
            (),
            note=None
            if figures.expiring
            else _("No exemption ends in the next %(days)s days.", days=EXPIRING_WITHIN_DAYS),
        ),
    ]
    if not any(a.received for a in agencies):
        for view in views:
            if view.filters == SERVICE_FILTERS:
                view.rows, view.spec = [], {}
                view.note = _("No requests were received in %(year)s.", year=figures.year)
    return views


# (database, year, regency date, catalogue generation, request events) -> figures
_ServiceKey = tuple[str, int, date, int, tuple[int, int]]
_SERVICE_CACHE: OrderedDict[_ServiceKey, ServiceFigures] = OrderedDict()
SERVICE_CACHE_ENTRIES = 16


async def cached_service_figures(services: Parts, year: int) -> ServiceFigures:
    """The service figures, recomputed only when a request moved (every step of a request
    writes one timeline event), the catalogue changed (exemptions) or the day turned (what
    is overdue); otherwise the page costs two small reads, like the panels' cache."""
    async with services.database.session() as session:
        events = (
            await session.execute(select(func.count(), func.coalesce(func.max(RequestEvent.id), 0)))
        ).one()
        key = (
            services.settings.resolved_database_url,
            year,
            regency_today(),
            await read_generation(session),
            (int(events[0]), int(events[1])),
        )
    if key in _SERVICE_CACHE:
        _SERVICE_CACHE.move_to_end(key)
        return _SERVICE_CACHE[key]
    figures = await service_figures(services, year, key[2])
    _SERVICE_CACHE[key] = figures
    while len(_SERVICE_CACHE) > SERVICE_CACHE_ENTRIES:
        _SERVICE_CACHE.popitem(last=False)
    return figures


# ---------------------------------------------------------------- the page and its CSV


# (language, filters) -> the figures the views were made of, and the views
_VIEWS: OrderedDict[tuple[str, DashboardFilters], tuple[object, object, list[PanelView]]] = (
    OrderedDict()
)
VIEW_CACHE_ENTRIES = 64


async def panel_views(current: Page, filters: DashboardFilters) -> list[PanelView]:
    """Every panel in page order: the file's panels, then the service's. Made again only
    when either cache gave new figures, so a warm page formats no number twice."""
    figures = await dashboard_figures(current.services, filters)
    year = filters.year or regency_today().year
    service = await cached_service_figures(current.services, year)
    key = (current.visitor.language, filters)
    made = _VIEWS.get(key)
    if made is not None and made[0] is figures and made[1] is service:
        _VIEWS.move_to_end(key)
        return made[2]
    _, agencies, _ = await resolve.agencies_page(current.scope, MAX_AGENCIES, None)
    acronyms = {a.slug: a.acronym for a in agencies if a.acronym}
    views = [catalogue_view(current, f) for f in figures]
    views += service_views(current, service, acronyms)
    for view in views:
        view.number = current.visitor.formats.number
    _VIEWS[key] = (figures, service, views)
    while len(_VIEWS) > VIEW_CACHE_ENTRIES:
        _VIEWS.popitem(last=False)
    return views


_CHOICES: dict[int, tuple[Sequence[PanelFigures], dict[str, Any]]] = {}


def filter_choices(figures: Sequence[PanelFigures]) -> dict[str, Any]:
    """The kecamatan and years the unfiltered panels show, for the form's lists (worked
    out once per set of cached figures)."""
    made = _CHOICES.get(0)
    if made is not None and made[0] is figures:
        return made[1]
    choices = _filter_choices(figures)
    _CHOICES[0] = (figures, choices)
    return choices


def _filter_choices(figures: Sequence[PanelFigures]) -> dict[str, Any]:
    kecamatan: set[str] = set()
    years: set[int] = {regency_today().year}
    for panel_figures in figures:
        chosen = dict(panel_figures.panel.filters)
        for name in panel_figures.panel.group_by:
            for group in panel_figures.groups:
                value = group.key.get(name)
                if value is None:
                    continue
                if name == chosen.get("kecamatan"):
                    kecamatan.add(str(value))
                year_field = chosen.get("year", "")
                if year_field and name in (year_field, *(f"{p}({year_field})" for p in PARTS)):
                    found = re.match(r"^(\d{4})", str(value))
                    if found:
                        years.add(int(found.group(1)))
    return {"kecamatan": sorted(kecamatan), "years": sorted(years, reverse=True)}


def csv_url(current: Page, view: PanelView, filters: DashboardFilters) -> str:
    path = current.url("dashboard_csv", panel=view.id)
    params = {k: v for k, v in filters.active().items() if k in view.filters}
    if current.request.query_params.get("lang"):
        params["lang"] = current.request.query_params["lang"]
    return path + ("?" + urlencode(params) if params else "")


@page
async def dashboard(current: Page) -> Response:
    """Dasbor: the panels in a grid, each with its table, CSV, query and chart."""
    filters = parse_filters(current.request.query_params)
    views = await panel_views(current, filters)
    choices = filter_choices(await dashboard_figures(current.services))
    labels = {"kecamatan": current.gettext("District"), "year": current.gettext("Year")}
    response = current.render(
        "dashboard.html",
        views=views,
        freshness=await overdue_by_agency(current.services),
        filters=filters,
        choices=choices,
        csv_url=lambda view: csv_url(current, view, filters),
        not_applied=lambda view: [
            labels[name] for name in filters.active() if name not in view.filters
        ],
    )
    response.headers["Content-Security-Policy"] = DASHBOARD_CSP
    return response


def _plain(value: Any) -> Any:
    """A CSV cell: empty for none, 12 rather than 12.0 for a whole number, text a spreadsheet
    would run as a formula neutralised as in every download (`exports.neutralised`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return neutralised(value) if isinstance(value, str) else value


def csv_lines(view: PanelView) -> Iterator[str]:
    """The panel's table as CSV: a suppressed group's values are empty, marked `true` in the
    last column; the same rows and order as the page's table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    marked = view.suppressed_header is not None
    writer.writerow([*view.header, *([view.suppressed_header] if marked else [])])
    for index, row in enumerate(view.rows):
        cells = [_plain(value) for value in row]
        if marked:
            cells.append("true" if view.row_suppressed(index) else "false")
        writer.writerow(cells)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


@page
async def dashboard_csv(current: Page) -> Response:
    """One panel's figures as CSV, with the page's filters."""
    panel_id = current.request.path_params["panel"]
    filters = parse_filters(current.request.query_params)
    views = await panel_views(current, filters)
    view = next((v for v in views if v.id == panel_id), None)
    if view is None:
        raise not_found("Panel", "Panel", panel_id, field="panel")
    response = StreamingResponse(csv_lines(view), media_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{view.id}.csv"'
    return response
