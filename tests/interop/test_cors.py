"""CORS on the open doors: any origin by default, a configured list when set, never credentials."""

from __future__ import annotations

from dataclasses import replace

import pytest

from opendata.app import create_app
from opendata.interop.cors import PREFLIGHT_CACHE_SECONDS
from tests.conftest import asgi_client
from tests.interop.conftest import PUBLIC, World

PREFLIGHT = {
    "Origin": "https://app.example",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


@pytest.mark.parametrize(
    "path",
    [
        "/graphql",
        "/api/3/action/package_search",
        "/catalog.ttl",
        f"/dataset/{PUBLIC}.jsonld",
        "/feeds/datasets.atom",
    ],
)
async def test_preflight_is_answered_and_cached_without_credentials(
    world: World, path: str
) -> None:
    response = await world.client.options(path, headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-max-age"] == str(PREFLIGHT_CACHE_SECONDS)
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


async def test_simple_requests_carry_the_header_on_open_doors_only(world: World) -> None:
    origin = {"Origin": "https://app.example"}
    answered = await world.client.get("/api/3/action/status_show", headers=origin)
    assert answered.headers["access-control-allow-origin"] == "*"
    resource = (await world.client.get(f"/api/3/action/package_show?id={PUBLIC}")).json()
    download = await world.client.get(resource["result"]["resources"][0]["url"], headers=origin)
    assert download.headers["access-control-allow-origin"] == "*"
    assert (
        "access-control-allow-origin"
        not in (await world.client.get("/healthz", headers=origin)).headers
    )


async def test_configured_origins_only(world: World) -> None:
    services = world.services
    services.settings = replace(services.settings, cors_origins=("https://allowed.example",))
    async with asgi_client(create_app(services)) as client:
        allowed = await client.options(
            "/graphql", headers={**PREFLIGHT, "Origin": "https://allowed.example"}
        )
        assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
        refused = await client.options(
            "/graphql", headers={**PREFLIGHT, "Origin": "https://evil.example"}
        )
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
        plain = await client.get(
            "/api/3/action/status_show", headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in plain.headers
