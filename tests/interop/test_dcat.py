"""DCAT-AP 3: every serialization parses with rdflib, passes SHACL, and leaks nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns

from opendata.accounts.service import create_user
from opendata.exemptions.service import ExemptionRequest, add_exemption
from tests.interop.conftest import (
    PARTLY_WITHHELD,
    PUBLIC,
    SECRET_VALUE,
    UNIQUE_NIKS,
    WITHHELD_WHOLE,
    World,
)

SHAPES = Graph().parse(Path(__file__).parent / "dcat_ap_shapes.ttl")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCAT, DCTERMS, RDF, RDFS = ns.DCAT, ns.DCTERMS, ns.RDF, ns.RDFS
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


async def _graph(world: World, path: str, suffix: str) -> Graph:
    response = await world.client.get(path)
    assert response.status_code == 200, response.text
    assert SECRET_VALUE not in response.text
    assert not any(nik in response.text for nik in UNIQUE_NIKS)
    return Graph().parse(data=response.text, format=RDFLIB_FORMATS[suffix])


def _conforms(graph: Graph) -> None:
    conforms, _, report = pyshacl.validate(graph, shacl_graph=SHAPES, inference="none")
    assert conforms, report


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "rdf"])
async def test_catalog_parses_and_conforms_to_dcat_ap(world: World, suffix: str) -> None:
    graph = await _graph(world, f"/catalog.{suffix}", suffix)
    _conforms(graph)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 4
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert set(graph.objects(catalog, DCAT.dataset)) == datasets
    assert {
        lit.language
        for lit in graph.objects(URIRef(f"http://testserver/dataset/{PUBLIC}"), DCTERMS.title)
    } == {"id", "en"}


@pytest.mark.parametrize("suffix", ["ttl", "jsonld", "rdf"])
async def test_dataset_documents_conform(world: World, suffix: str) -> None:
    for slug in (PUBLIC, PARTLY_WITHHELD, WITHHELD_WHOLE):
        _conforms(await _graph(world, f"/dataset/{slug}.{suffix}", suffix))


async def test_withheld_whole_has_no_download_and_states_its_basis(world: World) -> None:
    graph = await _graph(world, f"/dataset/{WITHHELD_WHOLE}.ttl", "ttl")
    subject = URIRef(f"http://testserver/dataset/{WITHHELD_WHOLE}")
    assert list(graph.objects(None, DCAT.downloadURL)) == []
    (rights,) = graph.objects(subject, DCTERMS.rights)
    labels = {lit.language: str(lit) for lit in graph.objects(rights, RDFS.label)}
    assert "Pasal 17 huruf a" in labels["id"] and "Article 17(a)" in labels["en"]
    assert (
        subject,
        DCTERMS.accessRights,
        URIRef("http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"),
    ) in graph


async def test_public_dataset_downloads_resolve(world: World) -> None:
    graph = await _graph(world, f"/dataset/{PUBLIC}.ttl", "ttl")
    (download,) = graph.objects(None, DCAT.downloadURL)
    response = await world.client.get(str(download).removeprefix("http://testserver"))
    assert response.status_code == 200 and response.text.startswith("kecamatan,tahun")
    (media_type,) = graph.objects(None, DCAT.mediaType)
    assert str(media_type) == "http://www.iana.org/assignments/media-types/text/csv"


async def test_catalog_pages_with_hydra(world: World) -> None:
    settings = world.services.settings
    world.services.settings = replace(settings, limits=replace(settings.limits, page_max=3))
    first = await _graph(world, "/catalog.ttl", "ttl")
    (paging,) = first.subjects(RDF.type, HYDRA.PagedCollection)
    assert first.value(paging, HYDRA.totalItems) == Literal(4)
    assert first.value(paging, HYDRA.itemsPerPage) == Literal(3)
    assert str(first.value(paging, HYDRA.nextPage)) == "http://testserver/catalog.ttl?page=2"
    second = await _graph(world, "/catalog.ttl?page=2", "ttl")
    (paging,) = second.subjects(RDF.type, HYDRA.PagedCollection)
    assert second.value(paging, HYDRA.nextPage) is None
    assert str(second.value(paging, HYDRA.previousPage)).endswith("?page=1")
    slugs = {
        str(s).rsplit("/", 1)[-1]
        for g in (first, second)
        for s in g.subjects(RDF.type, DCAT.Dataset)
    }
    assert slugs == {PUBLIC, PARTLY_WITHHELD, WITHHELD_WHOLE, "kejadian-banjir"}
    assert (await world.client.get("/catalog.ttl?page=0")).status_code == 400
    assert (await world.client.get("/dataset/tidak-ada.ttl")).status_code == 404


async def test_the_shapes_refuse_a_dataset_without_distribution(world: World) -> None:
    graph = await _graph(world, f"/dataset/{PUBLIC}.ttl", "ttl")
    graph.remove((None, DCAT.distribution, None))
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=SHAPES, inference="none")
    assert not conforms


async def test_public_url_setting_makes_every_uri(world: World) -> None:
    services = world.services
    services.settings = replace(services.settings, public_url="https://data.kuburayakab.go.id")
    graph = await _graph(world, f"/dataset/{PUBLIC}.ttl", "ttl")
    uris = {str(node) for triple in graph for node in triple if isinstance(node, URIRef)}
    assert not any(uri.startswith("http://testserver") for uri in uris)
    assert f"https://data.kuburayakab.go.id/dataset/{PUBLIC}" in uris


async def test_cached_documents_follow_every_exemption_change(world: World) -> None:
    path = f"/dataset/{PUBLIC}.ttl"
    first = await world.client.get(path)
    assert "NON_PUBLIC" not in first.text and "17(a)" not in first.text
    unchanged = await world.client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    admin = await create_user(
        world.services.database, email="admin@kab.test", name="admin", role="ADMIN"
    )
    await add_exemption(
        world.services,
        admin.viewer,
        ExemptionRequest(
            dataset_slug=PUBLIC,
            scope="FIELD",
            field="nik",
            basis="PASAL_17H",
            consequence_test="NIK pelapor adalah data pribadi.",
        ),
    )
    changed = await world.client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and "Article 17(h)" in changed.text
