"""schema.org Dataset JSON-LD for the dataset page, and the sitemap of every public page."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from xml.etree import ElementTree

from rdflib import Graph, Namespace, URIRef
from rdflib import namespace as ns

from opendata.app import create_app
from opendata.interop.records import DatasetRecord, record_by_slug
from opendata.interop.schemaorg import dataset_json_ld
from opendata.services import Services
from opendata.urls import PublicUrls
from tests.conftest import asgi_client
from tests.information_requests.helpers import make_desk, walk_in, wib
from tests.interop.conftest import PARTLY_WITHHELD, PUBLIC, WITHHELD_WHOLE, World

SDO = Namespace("https://schema.org/")
BASE = "http://testserver"


class _JsonLdScripts(HTMLParser):
    """Reads `<script type="application/ld+json">` as a crawler does."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "script" and ("type", "application/ld+json") in attrs
        if self.inside:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.scripts[-1] += data


async def _record(world: World, slug: str) -> DatasetRecord:
    async with world.services.database.session() as session:
        record = await record_by_slug(session, slug)
    assert record is not None
    return record


def _urls(world: World) -> PublicUrls:
    return PublicUrls(BASE)


def _from_page(json_ld: str) -> dict:  # type: ignore[type-arg]
    return _from_html(
        f'<html><head><script type="application/ld+json">{json_ld}</script></head></html>'
    )


def _from_html(html: str) -> dict:  # type: ignore[type-arg]
    parser = _JsonLdScripts()
    parser.feed(html)
    (script,) = parser.scripts
    parsed: dict = json.loads(script)  # type: ignore[type-arg]
    return parsed


def _as_schema_org_graph(document: dict) -> Graph:  # type: ignore[type-arg]
    """rdflib reads it with schema.org as the vocabulary (no network for the remote context)."""
    assert document["@context"] == "https://schema.org/"
    local = {**document, "@context": {"@vocab": "https://schema.org/"}}
    return Graph().parse(data=json.dumps(local), format="json-ld")


async def test_json_ld_parses_as_a_schema_org_dataset(world: World) -> None:
    page_html = await world.client.get(f"/dataset/{PUBLIC}")
    assert page_html.status_code == 200
    document = _from_html(page_html.text)
    graph = _as_schema_org_graph(document)
    page = URIRef(f"{BASE}/dataset/{PUBLIC}")
    assert (page, ns.RDF.type, SDO.Dataset) in graph
    for prop in (
        "name",
        "description",
        "keywords",
        "license",
        "creator",
        "publisher",
        "temporalCoverage",
        "spatialCoverage",
    ):
        assert graph.value(page, SDO[prop]) is not None, prop
    assert str(graph.value(graph.value(page, SDO.spatialCoverage), SDO.name)).startswith(
        "Kabupaten Kubu Raya"
    )
    (download,) = graph.objects(page, SDO.distribution)
    assert (download, ns.RDF.type, SDO.DataDownload) in graph
    assert str(graph.value(download, SDO.encodingFormat)) == "text/csv"
    content_url = str(graph.value(download, SDO.contentUrl))
    response = await world.client.get(content_url.removeprefix(BASE))
    assert response.status_code == 200


async def test_withheld_whole_offers_no_download_and_says_why(world: World) -> None:
    document = _from_page(dataset_json_ld(await _record(world, WITHHELD_WHOLE), _urls(world)))
    assert "distribution" not in document
    assert "Pasal 17 huruf a" in document["conditionsOfAccess"]


async def test_a_title_cannot_close_the_script_element(world: World) -> None:
    record = await _record(world, PARTLY_WITHHELD)
    hostile = '</script><script>alert("x")</script><!--'
    record.dataset.title = hostile
    json_ld = dataset_json_ld(record, _urls(world))
    assert "</" not in json_ld and "<" not in json_ld
    assert _from_page(json_ld)["name"] == hostile


async def test_sitemap_lists_every_public_page(world: World) -> None:
    response = await world.client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    space = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {loc.text for loc in root.iter(f"{space}loc")}
    expected = {
        f"{BASE}/",
        f"{BASE}/cari",
        f"{BASE}/permohonan",
        f"{BASE}/instansi/dinkes",
        f"{BASE}/instansi/bpbd",
    }
    expected |= {
        f"{BASE}/dataset/{slug}"
        for slug in (PUBLIC, PARTLY_WITHHELD, WITHHELD_WHOLE, "kejadian-banjir")
    }
    assert expected <= locations
    assert not any("/saya" in loc or "/masuk" in loc for loc in locations if loc)


async def test_sitemap_lists_request_pages(services: Services) -> None:
    desk = await make_desk(services)
    number = (await walk_in(desk, wib(2026, 3, 2))).request.registration_number
    async with asgi_client(create_app(services)) as client:
        text = (await client.get("/sitemap.xml")).text
    assert f"<loc>{BASE}/permohonan/{number}</loc>" in text
