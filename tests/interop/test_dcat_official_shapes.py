"""DCAT-AP 3.0.1 conformance with the official SEMIC shapes (tests/interop/shapes/README.md).

0 violations on `/catalog.ttl` and on each dataset document, with the recommended shapes
too: every recommended property is present, except the few whose absence is justified below
(`JUSTIFIED`), and those only on the nodes they are justified for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns
from rdflib.term import Node

from tests.interop.conftest import PARTLY_WITHHELD, PUBLIC, WITHHELD_WHOLE, World

SHAPES = Path(__file__).parent / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT, DCTERMS, RDF, RDFS, SKOS = ns.DCAT, ns.DCTERMS, ns.RDF, ns.RDFS, ns.SKOS
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
AXIOMS = Graph().parse(SHAPES / "axioms.ttl")


def _shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name)
    return graph


# the specification's files, and the same constraints as the release combines them
SPEC = _shapes("shapes.ttl", "range.ttl", "shapes_recommended.ttl")
COMBINED = _shapes("dcat-ap-SHACL.ttl", "shapes_recommended.ttl")

# Recommended properties we leave out, with the reason (the module docstring of
# opendata/interop/dcat.py says the same):
JUSTIFIED = {
    # we hold no authoritative geometry of the regency, only its Kemendagri code
    (DCTERMS.Location, DCAT.bbox),
    (DCTERMS.Location, DCAT.centroid),
    # a dataset that declares no years covered: no true period to state
    (DCAT.Dataset, DCTERMS.temporal),
    # a dataset whose descriptor has no keywords
    (DCAT.Dataset, DCAT.keyword),
}


@dataclass(frozen=True)
class Finding:
    severity: Node
    focus: Node
    path: Node | None
    message: str


def _findings(data: Graph, shapes: Graph) -> list[Finding]:
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=AXIOMS, inference="none", allow_warnings=False
    )
    assert isinstance(report, Graph)
    return [
        Finding(
            report.value(result, SH.resultSeverity),
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            str(report.value(result, SH.resultMessage)),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


def _justified(data: Graph, finding: Finding) -> bool:
    """A warning about a recommended property we leave out where it is justified."""
    if finding.severity != SH.Warning:
        return False
    classes = set(data.objects(finding.focus, RDF.type))
    if not any((cls, finding.path) in JUSTIFIED for cls in classes):
        return False
    if finding.path == DCTERMS.temporal or finding.path == DCAT.keyword:
        return (finding.focus, finding.path, None) not in data  # truly absent
    return True


def _conforms(data: Graph) -> None:
    for shapes in (SPEC, COMBINED):
        findings = _findings(data, shapes)
        unjustified = [f for f in findings if not _justified(data, f)]
        assert unjustified == [], "\n".join(
            f"{f.severity} {f.focus} {f.path}: {f.message}" for f in unjustified
        )


async def _graph(world: World, path: str) -> Graph:
    response = await world.client.get(path)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle")


async def test_catalog_conforms_to_the_official_shapes(world: World) -> None:
    graph = await _graph(world, "/catalog.ttl")
    _conforms(graph)
    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    for recommended in (DCTERMS.license, DCTERMS.issued, DCTERMS.modified, DCAT.themeTaxonomy):
        assert graph.value(catalog, recommended) is not None, recommended
    assert graph.value(catalog, DCTERMS.issued) <= graph.value(catalog, DCTERMS.modified)


@pytest.mark.parametrize("slug", [PUBLIC, PARTLY_WITHHELD, WITHHELD_WHOLE])
async def test_dataset_documents_conform_to_the_official_shapes(world: World, slug: str) -> None:
    _conforms(await _graph(world, f"/dataset/{slug}.ttl"))


async def test_the_official_shapes_find_what_the_issue_found(world: World) -> None:
    """The shapes would fail the old description: a theme without a label, a landing page
    not a foaf:Document, a distribution without its availability."""
    graph = await _graph(world, f"/dataset/{PUBLIC}.ttl")
    theme = URIRef(EU + "data-theme/HEAL")
    graph.remove((theme, SKOS.prefLabel, None))
    graph.remove((URIRef(f"http://testserver/dataset/{PUBLIC}"), RDF.type, ns.FOAF.Document))
    graph.remove((None, DCATAP.availability, None))
    findings = _findings(graph, SPEC)
    assert {(f.severity, f.path) for f in findings} >= {
        (SH.Violation, SKOS.prefLabel),
        (SH.Violation, DCAT.landingPage),
        (SH.Warning, DCATAP.availability),
    }


async def test_vocabularies_the_harvesters_map(world: World) -> None:
    """EU access rights by the policy, the regency by its Kemendagri code, CKAN's licences."""
    levels = {
        PUBLIC: "PUBLIC",
        PARTLY_WITHHELD: "RESTRICTED",
        WITHHELD_WHOLE: "NON_PUBLIC",
    }
    for slug, level in levels.items():
        graph = await _graph(world, f"/dataset/{slug}.ttl")
        subject = URIRef(f"http://testserver/dataset/{slug}")
        assert graph.value(subject, DCTERMS.accessRights) == URIRef(EU + f"access-right/{level}")
        (place,) = graph.objects(subject, DCTERMS.spatial)
        assert isinstance(place, URIRef)
        assert graph.value(place, SKOS.notation) == Literal("61.12")
        licence = graph.value(subject, DCTERMS.license)
        assert licence == URIRef("http://www.opendefinition.org/licenses/cc-by")
        for distribution in graph.objects(subject, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == licence
            rights = graph.value(distribution, DCTERMS.rights)
            labels = {lit.language: str(lit) for lit in graph.objects(rights, RDFS.label)}
            assert set(labels) == {"id", "en"}
            if level == "NON_PUBLIC":
                assert "UU KIP Pasal 17 huruf a" in labels["id"]
                assert "Article 17(a)" in labels["en"]
