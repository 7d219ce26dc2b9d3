"""The fixed cost of a request (issue 26): each fact read once per page, one session before
a GraphQL query executes, no count(*) for a total the catalogue already knows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.conftest import asgi_client
from tests.web.test_statement_counts import count_statements, many_datasets


@contextmanager
def count_checkouts(services: Services) -> Iterator[list[int]]:
    checkouts: list[int] = []

    def record(*_: Any) -> None:
        checkouts.append(1)

    pool = services.database.engine.sync_engine.pool
    event.listen(pool, "checkout", record)
    try:
        yield checkouts
    finally:
        event.remove(pool, "checkout", record)


def reads_of(statements: list[str], table: str) -> int:
    """Statements that read `table`'s rows (alone or joined)."""
    return sum(1 for s in statements if re.search(rf"\b{table}\.id\b", s))


async def test_the_dataset_page_reads_each_fact_once_and_no_unfiltered_count(
    services: Services, tmp_path: Path
) -> None:
    await load_catalog(services, many_datasets(tmp_path / "cat", 4))
    async with asgi_client(create_app(services)) as client:
        for slug in ("dataset-000", "dataset-001"):  # with and without an exemption
            with count_statements(services) as statements:
                response = await client.get(f"/dataset/{slug}")
            assert response.status_code == 200
            for table in ("agencies", "resources", "exemptions"):
                assert reads_of(statements, table) == 1, (table, statements)
            # no total counted: the value picker's and the request tally's GROUP BYs are
            # other facts (the picker only reads tables up to `PICKER_MAX_ROWS`)
            counts = [s for s in statements if "count(*)" in s and "GROUP BY" not in s]
            assert counts == [], counts
            # a filter asks for an exact count
            with count_statements(services) as statements:
                response = await client.get(
                    f"/dataset/{slug}", params={"res": "kasus", "col": "kecamatan", "val": "x"}
                )
            assert response.status_code == 200
            assert [s for s in statements if "count(*)" in s], statements


async def test_an_introspection_query_reads_nothing(services: Services) -> None:
    async with asgi_client(create_app(services)) as client:
        for query in ("{ __typename }", "{ __typename }"):  # answered, then from the cache
            with count_checkouts(services) as checkouts:
                response = await client.post("/graphql", json={"query": query})
            assert response.json()["data"] == {"__typename": "Query"}
            assert len(checkouts) == 0


DATASET = """query($slug: String!) { dataset(slug: $slug) { slug title
  agency { name } access resources { name fields { name withheld } } exemptions { basis } } }"""


async def test_a_graphql_query_takes_one_session_for_all_its_reads(
    services: Services, tmp_path: Path
) -> None:
    """The facts read before it executes and every resolver's read (the agency, policy and
    resources loaders run concurrently, taking turns) share one connection checkout."""
    await load_catalog(services, many_datasets(tmp_path / "cat", 2))
    async with asgi_client(create_app(services)) as client:
        answers = []
        for _ in range(2):  # answered, then from the cache (the generation is still read)
            with count_checkouts(services) as checkouts:
                response = await client.post(
                    "/graphql", json={"query": DATASET, "variables": {"slug": "dataset-000"}}
                )
            assert "errors" not in response.json(), response.json()
            answers.append(response.json()["data"])
            assert len(checkouts) == 1
        assert answers[0] == answers[1]
        assert answers[0]["dataset"]["slug"] == "dataset-000"
        assert answers[0]["dataset"]["resources"], answers


async def test_a_page_takes_one_session_for_all_its_reads(
    services: Services, tmp_path: Path
) -> None:
    await load_catalog(services, many_datasets(tmp_path / "cat", 2))
    async with asgi_client(create_app(services)) as client:
        for path in ("/dataset/dataset-000", "/api/3/action/package_show?id=dataset-001"):
            with count_checkouts(services) as checkouts:
                response = await client.get(path)
            assert response.status_code == 200, path
            assert len(checkouts) == 1, path


async def test_package_show_reads_a_dataset_its_agency_and_policy_in_one_statement(
    services: Services, tmp_path: Path
) -> None:
    """By name: the dataset with its agency, exemptions and resources in one statement
    (`record_by_slug`); by id the same answer (the global ID's path)."""
    await load_catalog(services, many_datasets(tmp_path / "cat", 2))
    async with asgi_client(create_app(services)) as client:
        answers = []
        for key in ("dataset-000", None):
            if key is None:  # the same dataset by its id
                key = answers[0]["id"]
            with count_statements(services) as statements:
                response = await client.get("/api/3/action/package_show", params={"id": key})
            assert response.status_code == 200, response.text
            answers.append(response.json()["result"])
            if len(answers) == 1:
                assert len(statements) == 1, statements
                (only,) = statements
                tables = ("agencies", "exemptions", "resources")
                assert all(re.search(rf"\b{t}\.id\b", only) for t in tables)
        assert answers[0] == answers[1]
