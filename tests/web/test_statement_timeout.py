"""What one request can spend is bounded (issue 21, finding 5): the cost of a query counts
the rows its filters and counts may scan, and a read statement past the statement timeout
is stopped and answered STATEMENT_TIMEOUT (503), never a 500."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from opendata.db.engine import Database
from opendata.db.models import Resource
from opendata.errors import StatementTimedOut
from opendata.services import Services
from tests.web.helpers import gql


def aliased_scans(count: int) -> str:
    return " ".join(
        f'a{n}: rows(where: {{kecamatan: {{contains: "x{n}"}}}}) {{ totalCount }}'
        for n in range(count)
    )


async def set_row_counts(services: Services, rows: int) -> None:
    async with services.database.write() as session:
        await session.execute(sa.update(Resource).values(row_count=rows))


async def resource_id(api: httpx.AsyncClient) -> str:
    body = await gql(api, '{ dataset(slug: "imunisasi-dasar") { resources { id } } }')
    return str(body["data"]["dataset"]["resources"][0]["id"])


async def test_scans_of_a_large_table_cost_their_rows(
    api: httpx.AsyncClient, services: Services
) -> None:
    query = '{ node(id: "%s") { ... on Resource { %s } } }'
    rid = await resource_id(api)
    scans = query % (rid, aliased_scans(30))
    small = await gql(api, scans)
    assert "errors" not in small, small
    await set_row_counts(services, 400_000)
    refused = await gql(api, scans)
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert refused["extensions"]["cost"]["requested"] > 50_000
    # a page read in key order stays cheap however large the table
    page = await gql(api, query % (rid, "rows(first: 10) { edges { node } }"))
    assert "errors" not in page, page
    assert page["extensions"]["cost"]["requested"] < 100
    # one filtered count of that table is allowed (and costs its rows)
    one = await gql(api, query % (rid, aliased_scans(1)))
    assert "errors" not in one, one
    assert one["extensions"]["cost"]["requested"] >= 4000


async def test_a_read_past_the_statement_timeout_is_stopped(services: Services) -> None:
    database = Database(services.database.url, statement_timeout_ms=200)
    slow = (
        "SELECT pg_sleep(5)"
        if database.is_postgres
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000)"
        " SELECT count(*) FROM n"
    )
    try:
        async with database.session() as session:
            with pytest.raises(StatementTimedOut) as refused:
                await session.execute(sa.text(slow))
        assert refused.value.http_status == 503
        assert refused.value.message_id and refused.value.message_en
        # the bound is per read statement: the next read on a pooled connection runs normally
        async with database.session() as session:
            assert (await session.execute(sa.text("SELECT 1"))).scalar() == 1
        # writes are not bounded
        async with database.write() as session:
            assert (await session.execute(sa.text("SELECT 2"))).scalar() == 2
    finally:
        await database.dispose()
