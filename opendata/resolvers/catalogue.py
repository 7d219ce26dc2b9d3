"""Catalogue resolvers: parse arguments, call the catalogue domain, batch with DataLoaders.

They return domain models; the schema types wrap them. Every batch function costs one
query whatever the number of parents.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from opendata.catalogue import queries, row_query
from opendata.catalogue.queries import DatasetFilter, DatasetPage
from opendata.db.engine import Database
from opendata.db.models import Agency, Dataset, Exemption, Resource
from opendata.errors import not_found
from opendata.information_requests import most_requested
from opendata.inputs import too_long
from opendata.pagination import (
    MAX_OFFSET,
    check_page_size,
    encode_cursor,
    invalid_cursor,
    next_offset,
)
from opendata.regency_time import regency_today
from opendata.request_scope import RequestScope
from opendata.resolvers.batching import in_session
from opendata.visibility.policy import DatasetPolicy, load_policies

T = TypeVar("T")

_agencies = in_session(queries.agencies_by_ids)
_datasets = in_session(queries.datasets_by_ids)
_resources = in_session(queries.resources_by_dataset_ids)


async def _resources_with_policies(
    database: Database, ids: Sequence[int]
) -> list[queries.ResourceWithPolicy | None]:
    async with database.session() as session:
        return await queries.resources_with_policies(session, ids, regency_today())


async def _policies(database: Database, ids: Sequence[int]) -> list[DatasetPolicy]:
    async with database.session() as session:
        found = await load_policies(session, ids)
    return [found[i] for i in ids]


_exemptions = in_session(queries.exemptions_by_ids)


async def agency_by_id(scope: RequestScope, agency_id: int) -> Agency | None:
    return await scope.loader("agency", _agencies).load(agency_id)


async def dataset_by_id(scope: RequestScope, dataset_id: int) -> Dataset | None:
    return await scope.loader("dataset", _datasets).load(dataset_id)


async def resource_by_id(scope: RequestScope, resource_id: int) -> Resource | None:
    """The live resource, read with its dataset's policy in one statement; the policy is
    kept in this request's loader, where its rows and fields will ask for it."""
    kept, generation, today = scope.kept_resources, scope.generation, regency_today()
    found = None
    if kept is not None and generation is not None:
        found = kept.get(generation, today, resource_id)
    if found is None:
        found = await scope.loader("resource", _resources_with_policies).load(resource_id)
        if found is None:
            return None
        if kept is not None and generation is not None:
            kept.put(generation, today, found)
    scope.loader("policy", _policies).prime(found.resource.dataset_id, found.policy)
    return found.resource


async def exemption_by_id(scope: RequestScope, exemption_id: int) -> Exemption | None:
    return await scope.loader("exemption", _exemptions).load(exemption_id)


async def resources_of(scope: RequestScope, dataset_id: int) -> list[Resource]:
    return await scope.loader("resources", _resources).load(dataset_id)


async def policy_of(scope: RequestScope, dataset_id: int) -> DatasetPolicy:
    return await scope.loader("policy", _policies).load(dataset_id)


def known_policy(scope: RequestScope, dataset_id: int) -> DatasetPolicy | None:
    """The dataset's policy when this request has already read it (`dataset_by_slug`
    primes it), without awaiting; None when it has still to be read (`policy_of`)."""
    loaded = scope.loader("policy", _policies).cache_map.get(dataset_id)
    if loaded is None or not loaded.done() or loaded.cancelled() or loaded.exception():
        return None
    return loaded.result()


def from_policy(
    scope: RequestScope, dataset_id: int, answer: Callable[[DatasetPolicy], T]
) -> T | Awaitable[T]:
    """`answer` of the dataset's policy: at once when this request has already read it
    (`known_policy`: no task for it, issue 26), otherwise once `policy_of` has read it."""
    policy = known_policy(scope, dataset_id)
    if policy is not None:
        return answer(policy)

    async def later() -> T:
        return answer(await policy_of(scope, dataset_id))

    return later()


async def times_requested(scope: RequestScope, dataset_id: int) -> int:
    """How many information requests name the dataset (issue 24, "diminta N kali")."""
    return await scope.loader("times_requested", most_requested.times_requested).load(dataset_id)


async def agency_by_slug(scope: RequestScope, slug: str) -> Agency | None:
    async with scope.database.session() as session:
        return await queries.agency_by_slug(session, slug)


async def dataset_by_slug(scope: RequestScope, slug: str) -> Dataset | None:
    """The dataset, its agency, its policy and its resources in one statement; all but the
    dataset are kept in this request's loaders, where its fields will ask for them (a
    `dataset(slug:)` query asks its resources nearly always: a second statement saved)."""
    async with scope.database.session() as session:
        found = await queries.dataset_and_resources_at_slug(session, slug, regency_today())
    if found is None:
        return None
    at_slug, resources = found
    dataset = at_slug.dataset
    scope.loader("dataset", _datasets).prime(dataset.id, dataset)
    scope.loader("agency", _agencies).prime(dataset.agency_id, at_slug.agency)
    scope.loader("policy", _policies).prime(dataset.id, at_slug.policy)
    scope.loader("resources", _resources).prime(dataset.id, list(resources))
    return dataset


@dataclass
class OffsetWindow:
    """An offset page from `first`/`after`: cursors carry the position of each edge."""

    kind: str
    offset: int
    limit: int

    @classmethod
    def parse(cls, kind: str, first: int, after: str | None, maximum: int) -> OffsetWindow:
        check_page_size(first, maximum)
        return cls(kind, next_offset(kind, after), first)

    def cursor(self, index: int) -> str:
        return encode_cursor(self.kind, self.offset + index)

    def has_next(self, total: int) -> bool:
        return self.offset + self.limit < total


async def agencies_page(
    scope: RequestScope, first: int, after: str | None
) -> tuple[OffsetWindow, list[Agency], int]:
    window = OffsetWindow.parse("agencies", first, after, scope.settings.limits.page_max)
    async with scope.database.session() as session:
        agencies, total = await queries.agencies_page(session, window.offset, window.limit)
    return window, agencies, total


async def browse_datasets(
    scope: RequestScope,
    dataset_filter: DatasetFilter,
    order: str,
    first: int,
    after: str | None,
    *,
    kind: str = "datasets",
    with_facets: bool = True,
) -> tuple[OffsetWindow, DatasetPage]:
    window = OffsetWindow.parse(kind, first, after, scope.settings.limits.page_max)
    async with scope.database.session() as session:
        page = await queries.browse_datasets(
            session, dataset_filter, order, window.offset, window.limit, with_facets=with_facets
        )
    return window, page


async def require_dataset(scope: RequestScope, slug: str) -> Dataset:
    dataset = await dataset_by_slug(scope, slug)
    if dataset is None:
        raise not_found("Dataset", "Dataset", slug, field="dataset")
    return dataset


async def _row_pages(
    database: Database, requests: Sequence[row_query.RowQuery]
) -> list[row_query.RowPage]:
    async with database.session() as session:
        return await row_query.row_pages(session, requests)


@dataclass
class RowsAnswer:
    query: row_query.RowQuery
    page: row_query.RowPage


async def resource_rows(
    scope: RequestScope,
    resource: Resource,
    *,
    first: int,
    after: str | None,
    where: Any,
    order_by: Sequence[tuple[str, bool]] | None,
    fields: Sequence[str] | None,
    want_total: bool = True,
) -> RowsAnswer:
    """A keyset page of visible rows (batched across resources) and, if asked, their count.

    The policy comes from the request's policy loader (loaded once per request); a dataset
    withheld whole, or published as AGGREGATES, is refused here before any table is read.
    """
    limits = scope.settings.limits
    check_page_size(first, limits.rows_page_max)
    policy = await policy_of(scope, resource.dataset_id)
    source = row_query.row_source(resource, policy)
    query = row_query.RowQuery(
        source,
        conditions=row_query.parse_where(source, where),
        order=row_query.parse_order(source, order_by),
        chosen=row_query.parse_fields(source, fields),
        first=first,
        want_total=want_total,
    ).decode_after(after)
    return RowsAnswer(query, await scope.loader("rows", _row_pages).load(query))


@dataclass
class SearchHit:
    dataset: Dataset
    score: float | None = None
    highlight: str | None = None


@dataclass
class SearchPage:
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[queries.FacetCount]]
    # False: more than `total` match and facet counts are lower bounds (search.query)
    exact: bool = True


async def search_datasets(
    scope: RequestScope,
    text: str | None,
    dataset_filter: DatasetFilter,
    order: str,
    first: int,
    after: str | None,
    *,
    with_facets: bool = True,
) -> tuple[OffsetWindow, SearchPage]:
    """`datasets(query:)`: a page of `find_datasets` from the connection's `first`/`after`."""
    # ranked search with text, browsing without: each has its own cursors
    kind = "search" if (text or "").strip() else "datasets"
    window = OffsetWindow.parse(kind, first, after, scope.settings.limits.page_max)
    page = await find_datasets(
        scope, text, dataset_filter, order, window.offset, window.limit, with_facets=with_facets
    )
    return window, page


async def find_datasets(
    scope: RequestScope,
    text: str | None,
    dataset_filter: DatasetFilter,
    order: str,
    offset: int,
    limit: int,
    *,
    with_facets: bool = True,
) -> SearchPage:
    """Datasets from `offset`: the search index with a text query; plain SQL browsing without.

    GraphQL reaches it through cursors (`search_datasets`); the CKAN API, DCAT and feeds
    page by offset and call it directly, so they share the API's search, browse,
    visibility and batching with no second copy of that logic.
    """
    from opendata.search.query import years_as_coverage

    # "stunting 2024": the year filters by coverage, the words are searched
    text, dataset_filter = years_as_coverage((text or "").strip(), dataset_filter)
    if offset > MAX_OFFSET:  # as far as any list of ours goes (and the SQL driver's integers)
        raise invalid_cursor()
    text = (text or "").strip()
    if text:
        return await _search_page(scope, text, dataset_filter, order, offset, limit, with_facets)
    if order == "RELEVANCE":
        order = "TITLE"
    async with scope.database.session() as session:
        page = await queries.browse_datasets(
            session, dataset_filter, order, offset, limit, with_facets=with_facets
        )
    hits = [SearchHit(dataset=d) for d in page.datasets]
    return SearchPage(total=page.total, hits=hits, facets=page.facets)


MAX_QUERY_LENGTH = 200


async def _search_page(
    scope: RequestScope,
    text: str,
    dataset_filter: DatasetFilter,
    order: str,
    offset: int,
    limit: int,
    with_facets: bool,
) -> SearchPage:
    from opendata.search.query import SearchQuery

    if len(text) > MAX_QUERY_LENGTH:
        raise too_long("query", MAX_QUERY_LENGTH)
    results = await scope.search.search(
        SearchQuery(
            text=text,
            filter=dataset_filter,
            order=order,
            offset=offset,
            limit=limit,
            with_facets=with_facets,
        )
    )
    datasets = await scope.loader("dataset", _datasets).load_many(
        [hit.dataset_id for hit in results.hits]
    )
    hits = [
        SearchHit(dataset=dataset, score=hit.score, highlight=hit.highlight)
        for hit, dataset in zip(results.hits, datasets, strict=True)
        if dataset is not None
    ]
    return SearchPage(results.total, hits, results.facets, results.exact)
