"""The one URL builder and what a browser app or a crawler reads (issue 23, smaller items):
absolute `downloadUrl` under a public URL, attachment URLs from the request's own address,
CORS exposing the download headers, `/robots.txt` naming the sitemap, and the dataset
page's alternate links to its DCAT documents."""

from __future__ import annotations

import re
from dataclasses import replace

import httpx

from opendata.app import create_app
from opendata.interop.cors import EXPOSED_HEADERS
from tests.attachments.test_access import CSV, Scene, upload
from tests.attachments.test_access import scene as scene  # the fixture
from tests.conftest import asgi_client
from tests.interop.conftest import PUBLIC, World
from tests.web.helpers import data, gql

DOWNLOAD_URLS = f'{{ dataset(slug: "{PUBLIC}") {{ resources {{ downloadUrl }} }} }}'
SITE = "https://data.kuburayakab.go.id"


async def test_download_url_is_absolute_under_the_public_url(world: World) -> None:
    relative = data(await gql(world.client, DOWNLOAD_URLS))["dataset"]["resources"][0]
    assert relative["downloadUrl"].startswith("/download/")
    world.services.settings = replace(world.services.settings, public_url=SITE)
    async with asgi_client(create_app(world.services)) as client:
        found = data(await gql(client, DOWNLOAD_URLS))["dataset"]["resources"][0]
        assert found["downloadUrl"] == SITE + relative["downloadUrl"]
        # the link works as given (on this host)
        answer = await client.get(found["downloadUrl"].removeprefix(SITE))
    assert answer.status_code == 200 and answer.text.startswith("kecamatan")


async def test_attachment_urls_use_the_address_the_request_came_in_on(scene: Scene) -> None:
    answer = await upload(scene, "officer", [("rekap.csv", CSV)], stage="FULFILMENT", public=True)
    (added,) = answer.json()["data"]["addRequestAttachments"]
    assert added["url"].startswith("http://testserver/lampiran/")
    transport = httpx.ASGITransport(app=create_app(scene.desk.services))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://opd.example:8443") as other:
        scene.client = other
        (again,) = (
            await upload(scene, "officer", [("rekap2.csv", CSV)], stage="FULFILMENT", public=True)
        ).json()["data"]["addRequestAttachments"]
    assert again["url"].startswith("https://opd.example:8443/lampiran/")
    assert "127.0.0.1:8000" not in added["url"] + again["url"]


async def test_a_browser_app_may_read_the_download_headers(world: World) -> None:
    origin = {"Origin": "https://app.example"}
    link = data(await gql(world.client, DOWNLOAD_URLS))["dataset"]["resources"][0]["downloadUrl"]
    for path in (link, link.replace(".csv", ".datapackage.json"), f"/dataset/{PUBLIC}.ttl"):
        answer = await world.client.get(path, headers=origin)
        assert answer.status_code == 200
        exposed = {
            h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")
        }
        assert {h.lower() for h in EXPOSED_HEADERS} <= exposed
    package = await world.client.get(f"/dataset/{PUBLIC}/datapackage.json", headers=origin)
    assert package.headers["access-control-allow-origin"] == "*"


async def test_robots_txt_names_the_sitemap(world: World) -> None:
    robots = await world.client.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text.splitlines()
    assert "Disallow: /petugas" in robots.text.splitlines()
    world.services.settings = replace(world.services.settings, public_url=SITE)
    async with asgi_client(create_app(world.services)) as client:
        configured = await client.get("/robots.txt")
        sitemap = await client.get("/sitemap.xml")
    assert f"Sitemap: {SITE}/sitemap.xml" in configured.text.splitlines()
    assert sitemap.status_code == 200


async def test_dataset_page_links_its_turtle_and_json_ld(world: World) -> None:
    page = (await world.client.get(f"/dataset/{PUBLIC}")).text
    alternates = dict(re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', page))
    assert alternates["text/turtle"] == f"/dataset/{PUBLIC}.ttl"
    assert alternates["application/ld+json"] == f"/dataset/{PUBLIC}.jsonld"
    for media_type, href in alternates.items():
        answer = await world.client.get(href)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith(media_type)
