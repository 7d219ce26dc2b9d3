"""Rate limits (429 + Retry-After), query cost in extensions, and the anonymous response cache."""

from __future__ import annotations

from pathlib import Path

import httpx

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.config import RateLimits
from opendata.services import Services
from tests.catalogue.builders import small_catalog, write_dataset
from tests.conftest import DatabaseFactory, asgi_client, make_services
from tests.web.helpers import data, error_codes, gql

QUERY = "{ datasets(first: 5) { totalCount edges { node { slug } } } }"


async def test_anonymous_client_over_its_burst_gets_429_with_retry_after(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    limits = RateLimits(enabled=True, anonymous_rate=0.5, anonymous_burst=3)
    services = await make_services(database_factory, dialect, tmp_path / "d", rate_limits=limits)
    try:
        async with asgi_client(create_app(services)) as client:
            statuses = [
                (await client.post("/graphql", json={"query": QUERY})).status_code for _ in range(3)
            ]
            assert statuses == [200, 200, 200]
            refused = await client.post("/graphql", json={"query": QUERY})
            assert refused.status_code == 429
            assert int(refused.headers["Retry-After"]) >= 1
            assert error_codes(refused.json()) == ["RATE_LIMITED"]
    finally:
        await services.close()


async def test_cost_is_reported_and_an_expensive_query_refused(api: httpx.AsyncClient) -> None:
    body = await gql(api, QUERY)
    assert body["extensions"]["cost"]["requested"] > 0
    expensive = """{ datasets(first: 100) { edges { node { resources {
        rows(first: 1000) { edges { node } } } } } } }"""
    refused = await gql(api, expensive)
    assert error_codes(refused) == ["QUERY_TOO_COMPLEX"]
    assert refused["extensions"]["cost"]["requested"] > refused["extensions"]["cost"]["limit"]


async def test_anonymous_reads_carry_an_etag_and_revalidate(api: httpx.AsyncClient) -> None:
    first = await api.post("/graphql", json={"query": QUERY})
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"]
    again = await api.post("/graphql", json={"query": QUERY}, headers={"If-None-Match": etag})
    assert again.status_code == 304


async def test_a_catalogue_write_invalidates_cached_responses(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    services = await make_services(database_factory, dialect, tmp_path / "d")
    try:
        root = small_catalog(tmp_path / "cat")
        await load_catalog(services, root)
        async with asgi_client(create_app(services)) as client:
            before = data(await gql(client, QUERY))["datasets"]["totalCount"]
            write_dataset(root, "bpbd", "kebakaran-lahan", title="Kebakaran Hutan dan Lahan")
            await load_catalog(services, root)
            after = data(await gql(client, QUERY))["datasets"]["totalCount"]
        assert (before, after) == (3, 4)
    finally:
        await services.close()


async def test_responses_to_a_token_are_never_cached(
    services: Services, api: httpx.AsyncClient
) -> None:
    from opendata.accounts.service import create_user

    created = await create_user(
        services.database, email="warga@example.org", name="Warga", role="REQUESTER"
    )
    headers = {"Authorization": f"Bearer {created.token}"}
    for _ in range(2):
        response = await api.post("/graphql", json={"query": QUERY}, headers=headers)
        assert response.status_code == 200
        assert "ETag" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
    register = await api.post("/graphql", json={"query": "{ informationRequests { totalCount } }"})
    assert "ETag" not in register.headers
