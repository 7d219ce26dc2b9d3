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
            counts = [s for s in statements if "count(*)" in s]
            assert counts == [], counts
            # a filter asks for an exact count
            with count_statements(services) as statements:
                response = await client.get(
                    f"/dataset/{slug}", params={"res": "kasus", "col": "kecamatan", "val": "x"}
                )
            assert response.status_code == 200
            assert [s for s in statements if "count(*)" in s], statements


async def test_a_graphql_query_takes_one_session_before_it_executes(services: Services) -> None:
    async with asgi_client(create_app(services)) as client:
        for query in ("{ __typename }", "{ __typename }"):  # answered, then from the cache
            with count_checkouts(services) as checkouts:
                response = await client.post("/graphql", json={"query": query})
            assert response.json()["data"] == {"__typename": "Query"}
            assert len(checkouts) == 1
