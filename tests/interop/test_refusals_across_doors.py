"""One refusal, one status, at every door (issue 19: one table per fact).

Every door is asked for the same four refusals: rate limited, withheld whole (a dataset under
a whole-dataset exemption), small cell (the query-set rule, on filtered figures) and not found.
Rows of a dataset published as AGGREGATES: tests/interop/test_aggregates_only.py. Each answers with
the status its domain error class carries (`opendata/errors.py`, `http_status`), or with an
exception stated here and why. Where a door cannot produce a refusal at all, the test says so.

GraphQL keeps GraphQL-over-HTTP: an error inside a field is HTTP 200 with `extensions.code`
(the other fields still answer); only a refusal of the whole request (rate limited) is an
HTTP status. For field errors the code must name a class with the expected status.
Both databases (the `services` fixture).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.config import RateLimits
from opendata.errors import ContentWithheld, DomainError, NotFound, RateLimited, SmallCell
from opendata.public_ids import to_global_id
from opendata.web.attachments import refusal_status
from tests.conftest import DatabaseFactory, asgi_client, make_services
from tests.interop.conftest import PARTLY_WITHHELD, PUBLIC, WITHHELD_WHOLE, World, harvest_catalog
from tests.web.helpers import error_codes

ROWS = """query($slug: String!, $where: JSON) {
  dataset(slug: $slug) { resources { id rows(first: 5, where: $where) { totalCount } } } }"""
COUNT = """query($slug: String!, $where: JSON) { dataset(slug: $slug) { resources {
  aggregate(groupBy: [], measures: [{op: COUNT}], where: $where) { suppressedGroups } } } }"""
# the 17h exemption on kasus-dbd: a filter down to two rows is a small cell
SMALL_FILTER = {"tahun": 2023}
MISSING_ATTACHMENT = "/lampiran/987654"


def _status_of_code(code: str) -> set[int]:
    """The statuses the domain's classes give a GraphQL `extensions.code`."""
    classes: list[type[DomainError]] = [DomainError]
    found: set[int] = set()
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.code == code:
            found.add(cls.http_status)
    return found


async def _graphql_field_status(
    client: httpx.AsyncClient, slug: str, where: Any = None, query: str = ROWS
) -> int:
    response = await client.post(
        "/graphql", json={"query": query, "variables": {"slug": slug, "where": where}}
    )
    assert response.status_code == 200, response.text  # GraphQL-over-HTTP: a field error
    (code,) = set(error_codes(response.json()))
    (status,) = _status_of_code(code)
    return status


async def _resource_id(client: httpx.AsyncClient, slug: str) -> str:
    query = "query($slug: String!) { dataset(slug: $slug) { resources { id } } }"
    body = (
        await client.post("/graphql", json={"query": query, "variables": {"slug": slug}})
    ).json()
    resource_id: str = body["data"]["dataset"]["resources"][0]["id"]
    return resource_id


async def _ckan_status(client: httpx.AsyncClient, action: str, **params: Any) -> int:
    response = await client.post(f"/api/3/action/{action}", json=params)
    assert response.json()["success"] is (response.status_code == 200)
    return response.status_code


async def test_not_found_is_404_at_every_door(world: World) -> None:
    client = world.client
    expected = NotFound.http_status
    answers = {
        "graphql": await _graphql_field_status(client, "tidak-ada"),
        "pages": (await client.get("/dataset/tidak-ada")).status_code,
        "downloads": (
            await client.get(f"/download/{to_global_id('Resource', 999999)}.csv")
        ).status_code,
        "ckan": await _ckan_status(client, "package_show", id="tidak-ada"),
        "dcat": (await client.get("/dataset/tidak-ada.ttl")).status_code,
        "feeds": (await client.get("/feeds/instansi/tidak-ada.atom")).status_code,
        "attachments": (await client.get(MISSING_ATTACHMENT)).status_code,
        "reports": (await client.get("/reports/2024.csv?agency=tidak-ada")).status_code,
    }
    assert answers == dict.fromkeys(answers, expected)


async def test_withheld_whole_is_403_wherever_the_content_is_asked_for(world: World) -> None:
    client = world.client
    expected = ContentWithheld.http_status
    resource_id = await _resource_id(client, WITHHELD_WHOLE)
    answers = {
        "graphql": await _graphql_field_status(client, WITHHELD_WHOLE),
        "downloads": (await client.get(f"/download/{resource_id}.csv")).status_code,
        "ckan": await _ckan_status(client, "datastore_search", resource_id=resource_id),
    }
    assert answers == dict.fromkeys(answers, expected)
    # The notice of a dataset withheld whole stays public (Pasal 17 withholds the content, not
    # that it exists): the pages, DCAT and the feeds describe it and are not refusals.
    assert (await client.get(f"/dataset/{WITHHELD_WHOLE}")).status_code == 200
    assert (await client.get(f"/dataset/{WITHHELD_WHOLE}.ttl")).status_code == 200
    assert WITHHELD_WHOLE in (await client.get("/feeds/instansi/dinkes.atom")).text
    # Attachments belong to requests, not datasets; a private one is the stated exception:
    # FORBIDDEN answers 404 there, like a missing id, so its existence does not leak.
    assert refusal_status(ContentWithheld("x", "x")) == NotFound.http_status


async def test_small_cell_is_403_where_figures_are_filtered(world: World) -> None:
    client = world.client
    resource_id = await _resource_id(client, PARTLY_WITHHELD)
    answers = {
        "graphql aggregate": await _graphql_field_status(
            client, PARTLY_WITHHELD, SMALL_FILTER, COUNT
        ),
    }
    assert answers == dict.fromkeys(answers, SmallCell.http_status)
    # The row doors of this ROWS dataset list the same filter (the publication mode, not a
    # filter's size, decides whether rows are listed): tests/aggregate/test_small_counts.py.
    listed = {
        "downloads": (
            await client.get(f"/download/{resource_id}.csv", params={"where": '{"tahun": 2023}'})
        ).status_code,
        "ckan": await _ckan_status(
            client, "datastore_search", resource_id=resource_id, filters=SMALL_FILTER
        ),
    }
    assert listed == dict.fromkeys(listed, 200)
    # The dashboard's panels are configured, not filtered by a visitor beyond its kecamatan
    # and year choices (tests/dashboard); DCAT, the feeds and attachments filter no rows.


async def test_rate_limited_is_429_at_every_door_that_limits(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    limits = RateLimits(enabled=True, anonymous_rate=0.01, anonymous_burst=1)
    services = await make_services(database_factory, dialect, tmp_path / "d", rate_limits=limits)
    try:
        assert (await load_catalog(services, harvest_catalog(tmp_path / "catalog"))).ok
        async with asgi_client(create_app(services)) as client:
            answers = await _rate_limited_answers(client)
        # the sign-in throttle counts in the database, below the pages' own bucket
        services.settings = replace(services.settings, rate_limits=RateLimits(enabled=False))
        async with asgi_client(create_app(services)) as client:
            answers["sign_in"] = await _throttled_sign_in(client)
    finally:
        await services.close()
    assert answers == dict.fromkeys(answers, RateLimited.http_status)


async def _rate_limited_answers(client: httpx.AsyncClient) -> dict[str, int]:
    query = {"query": "{ agencies(first: 1) { totalCount } }"}
    assert (await client.post("/graphql", json=query)).status_code == 200  # the one burst
    graphql = await client.post("/graphql", json=query)
    assert error_codes(graphql.json()) == ["RATE_LIMITED"]
    # CKAN, DCAT and the feeds share one bucket per client
    assert await _ckan_status(client, "package_show", id=PUBLIC) == 200
    answers = {
        "graphql": graphql.status_code,
        # refused by the shared limiter before any action runs: the API's JSON error shape
        "ckan": (await client.get(f"/api/3/action/package_show?id={PUBLIC}")).status_code,
        "dcat": (await client.get(f"/dataset/{PUBLIC}.ttl")).status_code,
        "feeds": (await client.get("/feeds/datasets.atom")).status_code,
        **await _limited_pages_and_downloads(client),
    }
    return answers


async def _limited_pages_and_downloads(client: httpx.AsyncClient) -> dict[str, int]:
    """Issue 21 #13: pages, search, downloads and attachments share one bucket per client;
    the refusal is bilingual and says when to come back."""
    assert (await client.get("/")).status_code == 200  # the one burst
    answers = {
        "page": (await client.get("/")).status_code,
        "search": (await client.get("/cari?q=data")).status_code,
        "download": (await client.get("/download/UmVzb3VyY2U6MQ==.csv")).status_code,
        "attachment": (await client.get("/lampiran/1")).status_code,
    }
    refused = await client.get("/")
    assert refused.headers["Retry-After"].isdigit()
    assert "Terlalu banyak permintaan" in refused.text and "Too many requests" in refused.text
    download = await client.get("/download/UmVzb3VyY2U6MQ==.csv")
    assert error_codes(download.json()) == ["RATE_LIMITED"]
    assert download.headers["Retry-After"].isdigit()
    return answers


async def _throttled_sign_in(client: httpx.AsyncClient) -> int:
    """Pages limit failed sign-ins (accounts.sign_in): the attempt after too many is refused."""
    page = (await client.get("/masuk")).text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"csrf_token": token, "email": "nobody@contoh.id", "password": "x" * 9}
    statuses = [(await client.post("/masuk", data=form)).status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5  # a wrong password shows the form again
    return statuses[5]
