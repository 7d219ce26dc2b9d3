"""CKAN's envelope, error types and status codes, parameter validation, both URL forms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.interop.conftest import PUBLIC, WITHHELD_WHOLE, World


async def _call(world: World, action: str, status: int, **params: Any) -> dict[str, Any]:
    response = await world.client.post(f"/api/3/action/{action}", json=params)
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["help"] == f"http://testserver/api/3/action/help_show?name={action}"
    assert body["success"] is (status == 200)
    return body


async def test_success_envelope_on_both_paths_and_methods(world: World) -> None:
    posted = await _call(world, "package_show", 200, id=PUBLIC)
    got = (await world.client.get(f"/api/action/package_show?id={PUBLIC}")).json()
    assert got["success"] and got["result"] == posted["result"]


@pytest.mark.parametrize(
    ("action", "params", "status", "error_type"),
    [
        ("package_show", {"id": "tidak-ada"}, 404, "Not Found Error"),
        ("organization_show", {"id": "tidak-ada"}, 404, "Not Found Error"),
        ("resource_show", {"id": "bukan-id"}, 404, "Not Found Error"),
        ("package_show", {}, 409, "Validation Error"),
        ("package_search", {"rows": "banyak"}, 409, "Validation Error"),
        ("package_search", {"sort": "random()"}, 409, "Validation Error"),
        ("package_search", {"fq": "organization:(dinkes"}, 409, "Validation Error"),
        ("package_search", {"fq": "author:x"}, 409, "Validation Error"),
        ("package_search", {"q": "metadata_modified:[kemarin TO *]"}, 409, "Validation Error"),
        ("package_search", {"sort": "author asc"}, 409, "Validation Error"),
        ("package_search", {"q": "kata " * 50}, 409, "Validation Error"),
        ("package_search", {"facet.field": ["author"]}, 409, "Validation Error"),
        ("datastore_search", {"resource_id": "x", "callback": "x"}, 409, "Validation Error"),
        ("datastore_search", {"resource_id": "x", "limit": -1}, 409, "Validation Error"),
        ("package_create", {"name": "x"}, 400, "Bad Request"),
    ],
)
async def test_errors_have_ckan_types_and_statuses_and_both_languages(
    world: World, action: str, params: dict[str, Any], status: int, error_type: str
) -> None:
    error = (await _call(world, action, status, **params))["error"]
    assert error["__type"] == error_type
    assert error["message"] and error["messageEn"] and error["message"] != error["messageEn"]


async def test_validation_error_names_the_parameter(world: World) -> None:
    error = (await _call(world, "package_search", 409, nonsense=1))["error"]
    assert "nonsense" in error and len(error["nonsense"]) == 2


async def test_withheld_whole_datastore_is_an_authorization_error(world: World) -> None:
    package = (await _call(world, "package_show", 200, id=WITHHELD_WHOLE))["result"]
    resource_id = package["resources"][0]["id"]
    error = (await _call(world, "datastore_search", 403, resource_id=resource_id))["error"]
    assert error["__type"] == "Authorization Error"
    assert "Pasal 17 huruf" in error["message"] and "Pasal 17 huruf" in error["messageEn"]
    shown = (await _call(world, "resource_show", 200, id=resource_id))["result"]
    assert shown["url"] == "" and shown["datastore_active"] is False


async def test_datastore_lists_format_and_paging_links(world: World) -> None:
    package = (await _call(world, "package_show", 200, id=PUBLIC))["result"]
    resource_id = package["resources"][0]["id"]
    result = (
        await _call(
            world,
            "datastore_search",
            200,
            resource_id=resource_id,
            limit=2,
            offset=1,
            records_format="lists",
            fields=["kecamatan", "tahun"],
        )
    )["result"]
    assert result["records"] == [[2, "Sungai Raya", 2024], [3, "Kubu", 2024]]
    assert result["total"] == 4
    assert result["_links"]["next"].endswith("offset=3")
    capped = await _call(world, "datastore_search", 200, resource_id=resource_id, limit=10**6)
    assert capped["result"]["limit"] == 1000 and capped["result"]["warnings"]


async def test_a_non_object_body_is_a_bad_request(world: World) -> None:
    response = await world.client.post("/api/3/action/package_list", content=b"[1, 2]")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad Request"


async def test_the_doors_share_the_rate_limit(world: World) -> None:
    from dataclasses import replace

    from opendata.app import create_app
    from opendata.config import RateLimits
    from tests.conftest import asgi_client

    services = world.services
    services.settings = replace(
        services.settings, rate_limits=RateLimits(anonymous_rate=0.01, anonymous_burst=2)
    )
    async with asgi_client(create_app(services)) as client:
        assert (await client.get("/api/3/action/status_show")).status_code == 200
        assert (await client.get("/catalog.ttl")).status_code == 200
        refused = await client.get("/api/3/action/status_show")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
