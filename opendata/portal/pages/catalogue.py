"""The catalogue pages: home, search, dataset, agency (with its DIP and DIK)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from opendata.catalogue import row_query
from opendata.catalogue.freshness import overdue_by_agency
from opendata.catalogue.queries import DatasetFilter
from opendata.catalogue.table_state import PageTables, TableState, is_year
from opendata.catalogue.table_state import page_number as table_page_number
from opendata.catalogue.topics import CATEGORY_LABELS, TOPIC_LABELS, topic_label
from opendata.db.models import Dataset, Exemption, Resource
from opendata.errors import BadUserInput, not_found
from opendata.follows.models import FollowTarget
from opendata.follows.service import is_following
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.most_requested import most_requested
from opendata.interop.records import record_by_slug
from opendata.interop.schemaorg import dataset_json_ld
from opendata.pagination import encode_cursor
from opendata.portal import api_queries
from opendata.portal.chart import build_chart, plan_chart
from opendata.portal.page import ApiLink, Page, cached_page, page
from opendata.portal.page_cache import NO_FACTS, PageFacts
from opendata.portal.preview import (
    MAX_CHART_ROWS,
    build_preview,
    table_conditions,
)
from opendata.public_ids import to_global_id
from opendata.regency_time import regency_today
from opendata.resolvers import catalogue as resolve
from opendata.resolvers import exemptions as exemption_resolvers
from opendata.resolvers import requests as request_resolvers
from opendata.search.query import years_as_coverage
from opendata.urls import PublicUrls
from opendata.visibility.policy import DatasetPolicy
from opendata.visibility.rules import BASES, describe_target

RESULTS_PER_PAGE = 10
HOME_DATASETS = 6


def page_number(value: str | None) -> int:
    return table_page_number(value, "page")


def after_cursor(kind: str, offset: int) -> str | None:
    """The `after` cursor that starts an offset list at `offset`."""
    return encode_cursor(kind, offset - 1) if offset else None


# the home page's "most requested" follows the requests that name a dataset (how many, and
# the newest) besides the catalogue
_NAMING = InformationRequest.dataset_id.is_not(None)
REQUESTS_NAMING_DATASETS = PageFacts(
    [
        select(func.count(InformationRequest.id)).where(_NAMING).scalar_subquery(),
        select(func.max(InformationRequest.id)).where(_NAMING).scalar_subquery(),
    ]
)


@cached_page(REQUESTS_NAMING_DATASETS)
async def home(current: Page) -> Response:
    """Beranda: search box, topics, agencies, newest datasets, how to ask."""
    scope = current.scope
    _, newest = await resolve.browse_datasets(
        scope, DatasetFilter(), "RECENTLY_UPDATED", HOME_DATASETS, None
    )
    _, agencies, _ = await resolve.agencies_page(scope, 100, None)
    topics = newest.facets.get("topic", [])
    return current.render(
        "home.html",
        newest=newest.datasets,
        total_datasets=newest.total,
        topics=topics,
        agencies=agencies,
        most_requested=await most_requested(current.services.database),
        api=ApiLink(api_queries.HOME, {"first": HOME_DATASETS}),
    )


@dataclass(frozen=True)
class SearchForm:
    text: str
    dataset_filter: DatasetFilter
    page: int

    @classmethod
    def from_query(cls, params: Any) -> SearchForm:
        year_text = params.get("year") or ""
        if year_text and not is_year(year_text):
            raise BadUserInput("Tahun harus 4 angka.", "The year must be 4 digits.", field="year")
        return cls(
            text=(params.get("q") or "").strip(),
            dataset_filter=DatasetFilter(
                agencies=tuple(params.getlist("agency")),
                topics=tuple(params.getlist("topic")),
                formats=tuple(params.getlist("format")),
                year=int(year_text) if year_text else None,
                categories=tuple(params.getlist("category")),
            ),
            page=page_number(params.get("page")),
        )

    def variables(self) -> dict[str, Any]:
        chosen = self.dataset_filter
        graphql_filter: dict[str, Any] = {
            key: list(values)
            for key, values in (
                ("agency", chosen.agencies),
                ("topic", chosen.topics),
                ("format", chosen.formats),
                ("category", chosen.categories),
            )
            if values
        }
        if chosen.year is not None:
            graphql_filter["year"] = chosen.year
        return {
            "query": self.text or None,
            "filter": graphql_filter or None,
            "first": RESULTS_PER_PAGE,
            "after": after_cursor(
                "search" if self.text else "datasets", (self.page - 1) * RESULTS_PER_PAGE
            ),
        }


@cached_page(NO_FACTS)
async def search(current: Page) -> Response:
    """Cari: ranked results with highlights, facets that narrow, paging, "ask for it"."""
    form = SearchForm.from_query(current.request.query_params)
    offset = (form.page - 1) * RESULTS_PER_PAGE
    kind = "search" if form.text else "datasets"
    _, results = await resolve.search_datasets(
        current.scope,
        form.text,
        form.dataset_filter,
        "RELEVANCE" if form.text else "TITLE",
        RESULTS_PER_PAGE,
        after_cursor(kind, offset),
    )
    pages = max(1, -(-results.total // RESULTS_PER_PAGE))
    # the search read a year in the text as coverage ("stunting 2024"): say so
    rest, understood = years_as_coverage(form.text, form.dataset_filter)
    return current.render(
        "search.html",
        form=form,
        text_year=understood.year if understood is not form.dataset_filter else None,
        text_without_year=rest,
        results=results,
        pages=pages,
        category_labels=CATEGORY_LABELS,
        api=ApiLink(api_queries.SEARCH, form.variables()),
    )


@dataclass
class NoticeEntry:
    """One active exemption as the dataset page explains it in plain words."""

    exemption: Exemption
    basis_letter: str
    basis_label_id: str
    basis_label_en: str
    target: str | None
    aggregates_only: bool = False  # no table and no download: only figures per group


def field_titles(resources: Iterable[Resource]) -> dict[str, str]:
    """Each field's title from the Table Schema (Umur (tahun) rather than umur), by name."""
    return {
        str(raw["name"]): str(raw["title"])
        for resource in resources
        for raw in resource.fields or []
        if raw.get("title")
    }


def notice_entries(
    policy: DatasetPolicy, titles: Mapping[str, str] | None = None
) -> list[NoticeEntry]:
    """The active exemptions in words; fields named by their titles where the schema has them."""
    titles = titles or {}
    entries = []
    for exemption in policy.exemptions:
        basis = BASES[exemption.basis]
        row_filter = exemption.row_filter
        target = describe_target(
            exemption.scope,
            titles.get(exemption.field or "", exemption.field),
            {titles.get(name, name): value for name, value in row_filter.items()}
            if row_filter
            else None,
            lambda title, e=exemption: any(  # type: ignore[misc]
                not policy.notice_shows_value(e, name)
                for name in (e.row_filter or {})
                if titles.get(name, name) == title
            ),
        )
        entries.append(
            NoticeEntry(
                exemption,
                basis.letter,
                basis.label_id,
                basis.label_en,
                target,
                policy.aggregates_only,
            )
        )
    return entries


@dataclass
class ResourceView:
    resource: Resource
    global_id: str
    preview: Any = None
    chart: Any = None
    aggregates_only: bool = False  # published as figures only: a chart, no rows, no CSV


async def resource_view(
    current: Page,
    resource: Resource,
    policy: DatasetPolicy,
    minimum_cell_size: int | None,
    tables: PageTables,
) -> ResourceView:
    view = ResourceView(resource, to_global_id("Resource", resource.id))
    if policy.content_withheld:
        return view
    state = tables.states[resource.name]
    view.aggregates_only = policy.aggregates_only
    # the table and the chart of one resource: one session, one source (the rows' door
    # refuses an AGGREGATES dataset, which only the figures' door answers)
    door = row_query.figure_source if view.aggregates_only else row_query.row_source
    source = door(resource, policy)
    plan = plan_chart(list(source.fields), policy)
    charted = plan is not None and resource.row_count <= MAX_CHART_ROWS
    async with current.services.database.session() as session:
        rows = None
        if view.aggregates_only:
            # no table and no filter: the chart over all visible rows, its groups suppressed
            state = TableState(resource.name)
        else:
            view.preview = await build_preview(
                session, resource, policy, state, for_chart=charted, source=source
            )
            rows = view.preview.every_row
            # withheld columns last: a phone's first screen shows data, not "withheld"
            view.preview.columns.sort(key=lambda column: column.withheld)
        if plan is not None and charted:
            # the chart follows the table's filter: "dengue in Sungai Kakap, per year"
            if rows is None:
                conditions = table_conditions(source, state)
                rows = await row_query.read_rows(session, source, conditions, limit=MAX_CHART_ROWS)
            view.chart = build_chart(plan, rows, policy, minimum_cell_size)
    return view


def _slug(request: Request) -> dict[str, Any]:
    return {"slug": request.path_params["slug"]}


# the dataset page follows how often the dataset was asked about besides the catalogue
TIMES_REQUESTED_BY_SLUG = PageFacts(
    [
        select(func.count(InformationRequest.id))
        .join(Dataset, Dataset.id == InformationRequest.dataset_id)
        .where(Dataset.slug == bindparam("slug"), Dataset.removed_at.is_(None))
        .scalar_subquery()
    ],
    _slug,
    by_key=True,  # one dataset's requests, by the index on their dataset
)


def _times_requested(current: Page) -> int:
    """TIMES_REQUESTED_BY_SLUG as the page's facts read it, before the dataset itself."""
    assert current.facts is not None
    (times,) = current.facts.own
    return int(times or 0)


@cached_page(TIMES_REQUESTED_BY_SLUG)
async def dataset(current: Page) -> Response:
    """Dataset: metadata, the exemption notice, per resource a preview, CSV and a chart."""
    slug = current.request.path_params["slug"]
    # the dataset, its agency, policy and resources: read once, in one statement
    async with current.services.database.session() as session:
        record = await record_by_slug(session, slug)
    if record is None:
        raise not_found("Dataset", "Dataset", slug, field="dataset")
    found, agency, policy, resources = (
        record.dataset,
        record.agency,
        record.policy,
        record.resources,
    )
    # each table keeps its own filters, sort and page under its name in the URL
    tables = PageTables.from_params(current.request.query_params, [r.name for r in resources])
    if tables.blank:  # a filter form sent its empty boxes: the same page at a plain address
        return RedirectResponse(current.request.url.path + tables.with_state(), status_code=303)

    async def content() -> dict[str, Any]:
        """What the notices and the tables show: the rows read only when not kept."""
        views = [
            await resource_view(current, resource, policy, found.minimum_cell_size, tables)
            for resource in resources
        ]
        return {
            "dataset": found,
            "notices": notice_entries(policy, field_titles(resources)),
            "resources": views,
            "tables": tables,
        }

    # a preview (and its CSV) for each resource unless the content is withheld or only
    # figures are published, as resource_view decides
    tabled = not (policy.content_withheld or policy.aggregates_only)
    return current.render(
        "dataset.html",
        json_ld=dataset_json_ld(record, PublicUrls.for_request(current.request)),
        dataset=found,
        agency=agency,
        policy=policy,
        content=await current.kept_part("content", "_dataset_content.html", content),
        downloads=[(to_global_id("Resource", r.id), r.name) for r in resources if tabled],
        topic_label=topic_label,
        category_labels=CATEGORY_LABELS,
        times_requested=_times_requested(current),
        following=await is_following(
            current.services, current.visitor.viewer, FollowTarget.DATASET, found.id
        ),
        api=ApiLink(api_queries.DATASET, {"slug": found.slug}),
    )


@page
async def agency(current: Page) -> Response:
    """Instansi: its datasets, DIP and DIK, PPID contact, request statistics."""
    slug = current.request.path_params["slug"]
    scope = current.scope
    found = await resolve.agency_by_slug(scope, slug)
    if found is None:
        raise not_found("Instansi", "Agency", slug, field="slug")
    _, listed = await resolve.browse_datasets(
        scope,
        DatasetFilter(agencies=(found.slug,)),
        "TITLE",
        100,
        None,
        kind=f"agency-datasets:{found.slug}",
        with_facets=False,
    )
    _, withheld, _ = await exemption_resolvers.withheld_datasets(scope, found.slug, 100, None)
    policies = {d.id: await resolve.policy_of(scope, d.id) for d in withheld}
    titles = {d.id: field_titles(await resolve.resources_of(scope, d.id)) for d in withheld}
    dik = [(d, notice_entries(policies[d.id], titles[d.id])) for d in withheld]
    year = regency_today().year
    report = await request_resolvers.report(scope, year, found.slug)
    freshness = await overdue_by_agency(current.services, agency_ids=[found.id])
    return current.render(
        "agency.html",
        freshness=freshness,
        agency=found,
        datasets=listed.datasets,
        dip=[d for d in listed.datasets if d.category != "EXEMPT"],
        dik=dik,
        report=report,
        year=year,
        category_labels=CATEGORY_LABELS,
        most_requested=await most_requested(current.services.database, found.id),
        following=await is_following(
            current.services, current.visitor.viewer, FollowTarget.AGENCY, found.id
        ),
        following_dik=await is_following(
            current.services, current.visitor.viewer, FollowTarget.DIK, found.id
        ),
        api=ApiLink(api_queries.AGENCY, {"slug": found.slug}),
    )


def topic_choices() -> list[tuple[str, tuple[str, str]]]:
    return sorted(TOPIC_LABELS.items())


def dataset_title(current: Page, item: Dataset) -> str:
    return current.visitor.formats.pick(item.title, item.title_en)
