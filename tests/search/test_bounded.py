"""Bounded search work on PostgreSQL (issue 26): exact up to a cap, visibly "more than" past it.

In service the cap is `EXACT_UP_TO` (5,000); here the index gets a cap of 1 to 3 on the
small catalogue, so both sides of it are met: at the cap the answer equals the uncapped one,
past it the total is the cap with `exact` false, facets count only the matches kept (each a
lower bound of the exact count), title matches are kept first, and GraphQL and the search
page say "more than". Whoosh and small catalogues always count exactly.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from opendata.app import create_app
from opendata.catalogue.queries import DatasetFilter
from opendata.db.engine import Database
from opendata.errors import StatementTimedOut
from opendata.search import SearchQuery
from opendata.search.index import SearchIndex
from opendata.search.postgres_backend import (
    _SEARCH_SETTINGS,
    EXACT_UP_TO,
    PostgresSearchIndex,
    search_sql,
    tsquery_literal,
)
from opendata.search.query import ORDERS, QueryPlan, exact_plans
from opendata.services import Services
from tests.conftest import DatabaseFactory, asgi_client, make_services
from tests.search.catalogue import DATASETS, NIK, insert_catalogue
from tests.web.helpers import data, gql

COUNTS = "query($q: String) { datasets(query: $q) { totalCount countsExact } }"


@pytest.fixture
async def postgres(database_factory: DatabaseFactory, tmp_path: Path) -> AsyncIterator[Services]:
    services = await make_services(
        database_factory, "postgres", tmp_path / "data", search_backend="postgres"
    )
    await insert_catalogue(services)
    yield services
    await services.close()


def capped(services: Services, cap: int) -> PostgresSearchIndex:
    return PostgresSearchIndex(services.database, exact_up_to=cap)


async def slugs(index: SearchIndex, text: str) -> list[str]:
    return [hit.slug for hit in (await index.search(SearchQuery(text))).hits]


async def test_up_to_the_cap_the_answer_is_the_exact_one(postgres: Services) -> None:
    exact = await postgres.search.search(SearchQuery("kesehatan"))
    assert exact.total == 3 and exact.exact
    for order in ("RELEVANCE", "TITLE", "RECENTLY_UPDATED"):
        uncapped = await postgres.search.search(SearchQuery("kesehatan", order=order))
        assert await capped(postgres, 3).search(SearchQuery("kesehatan", order=order)) == uncapped


async def test_past_the_cap_the_total_says_more_and_facets_are_lower_bounds(
    postgres: Services,
) -> None:
    exact = await postgres.search.search(SearchQuery("kesehatan"))
    result = await capped(postgres, 2).search(SearchQuery("kesehatan"))
    assert (result.total, result.exact, len(result.hits)) == (2, False, 2)
    assert sum(f.count for f in result.facets["agency"]) == 2
    counts = {(name, f.value): f.count for name, found in exact.facets.items() for f in found}
    for name, found in result.facets.items():
        assert all(f.count <= counts[(name, f.value)] for f in found), name
    # the list ends at the cap, as the total says
    assert (await capped(postgres, 2).search(SearchQuery("kesehatan", offset=2))).hits == []


FILTERS = [
    DatasetFilter(agencies=("dinkes",)),
    DatasetFilter(agencies=("dinkes", "disdik")),
    DatasetFilter(year=2023),
    DatasetFilter(formats=("xlsx",)),
    DatasetFilter(topics=("kesehatan", "keuangan")),
    DatasetFilter(categories=("PERIODIC",)),
    DatasetFilter(categories=("STATUTORY",)),
    DatasetFilter(agencies=("dinkes",), year=2023, formats=("csv",)),
    DatasetFilter(agencies=("dishub",), topics=("kesehatan",)),
]


def passes(spec: dict, dataset_filter: DatasetFilter) -> bool:
    """The filter on the catalogue's own description of a dataset (category PERIODIC)."""
    start, end = spec["years"]
    formats = {fmt.upper() for fmt, _, _ in spec["resources"]}
    return (
        (not dataset_filter.agencies or spec["agency"] in dataset_filter.agencies)
        and (not dataset_filter.topics or bool(set(spec["topics"]) & set(dataset_filter.topics)))
        and (
            not dataset_filter.formats
            or bool(formats & {f.upper() for f in dataset_filter.formats})
        )
        and (dataset_filter.year is None or start <= dataset_filter.year <= end)
        and (not dataset_filter.categories or "PERIODIC" in dataset_filter.categories)
    )


async def test_filtered_searches_find_the_filtered_matches_up_to_the_cap(
    postgres: Services,
) -> None:
    specs = {spec["slug"]: spec for spec in DATASETS}
    for text in ("kesehatan", "data", "kecamatan"):
        everything = {hit.slug for hit in (await postgres.search.search(SearchQuery(text))).hits}
        for dataset_filter in FILTERS:
            found = await postgres.search.search(SearchQuery(text, filter=dataset_filter))
            expected = {slug for slug in everything if passes(specs[slug], dataset_filter)}
            assert {hit.slug for hit in found.hits} == expected, (text, dataset_filter)
            assert (found.total, found.exact) == (len(expected), True)
            assert sum(f.count for f in found.facets["agency"]) == len(expected)
            for order in ORDERS:
                query = SearchQuery(text, filter=dataset_filter, order=order)
                uncapped = await postgres.search.search(query)
                at_cap = capped(postgres, max(1, uncapped.total))
                assert await at_cap.search(query) == uncapped, (text, dataset_filter, order)
            if found.total > 1:  # past the cap: only rows passing the filter are kept
                past = await capped(postgres, 1).search(SearchQuery(text, filter=dataset_filter))
                assert (past.total, past.exact) == (1, False)
                assert {hit.slug for hit in past.hits} <= expected


async def test_a_filter_meets_the_words_inside_the_index(postgres: Services) -> None:
    """The filter's values are found in the GIN index beside the words (migration 0038),
    not by reading every match of the words and dropping the rows outside the filter."""
    dataset_filter = DatasetFilter(agencies=("dinkes",), year=2023)
    query = SearchQuery("kesehatan", filter=dataset_filter)
    sql, args = search_sql(query, tsquery_literal(QueryPlan(tuple(exact_plans("kesehatan")))))
    async with postgres.database.read_engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        async with driver.transaction(readonly=True):
            await driver.execute(_SEARCH_SETTINGS)
            plan = "\n".join(row[0] for row in await driver.fetch(f"EXPLAIN {sql}", *args))
    conditions = [line for line in plan.splitlines() if "Index Cond" in line and "@@" in line]
    assert len(conditions) == 2, plan  # title matches, then the others
    for line in conditions:
        assert "'{agency:dinkes}'" in line and "'{year:2023}'" in line, plan


async def test_a_list_longer_than_the_cap_is_counted_whole(postgres: Services) -> None:
    # the CKAN door asks for up to 10,000 hits at once and counts them itself
    exact = await postgres.search.search(SearchQuery("kesehatan", limit=10_000))
    assert await capped(postgres, 2).search(SearchQuery("kesehatan", limit=10_000)) == exact
    assert exact.exact and exact.total == 3


async def test_past_the_cap_title_matches_are_kept_first(postgres: Services) -> None:
    # in the road dataset's title, and in the description of the health workers' dataset,
    # which was written first (a cap on the first matches found would keep that one)
    assert await slugs(postgres.search, "kabupaten") == [
        "kondisi-jalan-kabupaten",
        "tenaga-kesehatan-puskesmas",
    ]
    result = await capped(postgres, 1).search(SearchQuery("kabupaten"))
    assert [hit.slug for hit in result.hits] == ["kondisi-jalan-kabupaten"]
    assert not result.exact


async def test_withheld_text_stays_out_at_any_cap(postgres: Services) -> None:
    for cap in (1, 2):
        index = capped(postgres, cap)
        for text in (NIK, "Aminah", "Siti", "Rahasiawan", "Tersembunyi"):
            found = await index.search(SearchQuery(text))
            assert (found.total, found.hits, found.exact) == (0, [], True), (cap, text)
        for text in ("penerima bantuan", "bansos", "desa", "nik", "nama", "data"):
            for hit in (await index.search(SearchQuery(text))).hits:
                assert hit.highlight is None or (
                    NIK not in hit.highlight and "Aminah" not in hit.highlight
                ), (cap, text, hit)


async def test_graphql_and_the_search_page_say_more_than(postgres: Services) -> None:
    assert isinstance(postgres.search, PostgresSearchIndex)
    assert postgres.search.exact_up_to == EXACT_UP_TO
    postgres.search.exact_up_to = 2  # the service's own index, at a cap this catalogue passes
    async with asgi_client(create_app(postgres)) as client:
        broad = data(await gql(client, COUNTS, {"q": "kesehatan"}))["datasets"]
        narrow = data(await gql(client, COUNTS, {"q": "jalan kabupaten"}))["datasets"]
        indonesian = (await client.get("/cari", params={"q": "kesehatan"})).text
        english = (await client.get("/cari", params={"q": "kesehatan", "lang": "en"})).text
    assert broad == {"totalCount": 2, "countsExact": False}
    assert narrow == {"totalCount": 1, "countsExact": True}
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", indonesian)).split())
    assert "Lebih dari 2 dataset ditemukan" in said
    assert "Dihitung di antara 2 hasil pertama" in said
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", english)).split())
    assert "More than 2 datasets found" in said and "2 datasets found" not in said.replace(
        "More than 2 datasets found", ""
    )


async def test_counts_are_exact_on_a_small_catalogue(searchable: Services) -> None:
    async with asgi_client(create_app(searchable)) as client:
        found = data(await gql(client, COUNTS, {"q": "kesehatan"}))["datasets"]
        page = (await client.get("/cari", params={"q": "kesehatan"})).text
    assert found == {"totalCount": 3, "countsExact": True}
    assert "3 dataset ditemukan" in page and "Lebih dari" not in page


async def test_a_search_past_the_statement_bound_is_stopped(postgres: Services) -> None:
    """A search is a read like any other: bounded by the statement timeout, and answered
    STATEMENT_TIMEOUT (503) past it. The search table is held locked by a writer, so the
    search waits until its bound stops it (a wait counts against the bound)."""
    bounded = Database(postgres.database.url, statement_timeout_ms=200)
    try:
        async with postgres.database.write() as session:
            await session.execute(sa.text("LOCK TABLE dataset_search IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(StatementTimedOut) as refused:
                await asyncio.wait_for(
                    PostgresSearchIndex(bounded).search(SearchQuery("kesehatan")), 10
                )
        assert refused.value.http_status == 503
        # the lock gone, the same connection searches again
        assert (await PostgresSearchIndex(bounded).search(SearchQuery("kesehatan"))).total == 3
    finally:
        await bounded.dispose()
