"""DCAT-AP 3 descriptions of the catalogue and its datasets, built with rdflib.

One graph builder serves Turtle, JSON-LD and RDF/XML, the whole catalogue (paged with
Hydra, as ckanext-dcat does) and each dataset alone. What it states about access comes
from the visibility policy: a dataset withheld whole has no download URL, and every
exemption in force is stated with its Pasal 17 basis in `dct:accessRights`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from opendata.catalogue.topics import topic_label
from opendata.db.models import Resource
from opendata.interop.records import DatasetRecord, resource_global_id
from opendata.interop.vocabulary import (
    ACCESS_RIGHTS,
    CATALOG_DESCRIPTION_EN,
    CATALOG_DESCRIPTION_ID,
    CATALOG_TITLE_EN,
    CATALOG_TITLE_ID,
    EU_ACCESS_RIGHT,
    EU_FILE_TYPE,
    EU_THEME,
    IANA_MEDIA_TYPE,
    PUBLISHER_EN,
    PUBLISHER_ID,
    REGENCY_ID,
    TOPIC_THEMES,
    license_of,
    media_type_of,
)
from opendata.urls import PublicUrls

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
LANGUAGES = (EU_LANGUAGE.IND, EU_LANGUAGE.ENG)
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
# `updateFrequency` -> the EU frequency authority (its codes, where ours differ)
FREQUENCY_CODES = {"SEMIANNUAL": "ANNUAL_2", "IRREGULAR": "IRREG"}


@dataclass(frozen=True)
class RdfFormat:
    rdflib_name: str
    media_type: str


# URL suffix -> serialization; the same three for the catalogue and each dataset.
FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat("turtle", "text/turtle"),
    "jsonld": RdfFormat("json-ld", "application/ld+json"),
    "rdf": RdfFormat("pretty-xml", "application/rdf+xml"),
}

JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "skos": str(SKOS),
    "hydra": str(HYDRA),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in JSONLD_CONTEXT.items():
        graph.bind(prefix, Namespace(namespace))
    return graph


def serialize(graph: Graph, suffix: str) -> bytes:
    rdf_format = FORMATS[suffix]
    if rdf_format.rdflib_name == "json-ld":
        text = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    else:
        text = graph.serialize(format=rdf_format.rdflib_name)
    return text.encode()


def _texts(
    graph: Graph, subject: URIRef, predicate: URIRef, id_text: str, en_text: str | None
) -> None:
    graph.add((subject, predicate, Literal(id_text, lang="id")))
    if en_text:
        graph.add((subject, predicate, Literal(en_text, lang="en")))


def _year_date(year: int, last: bool) -> Literal:
    return Literal(date(year, 12, 31) if last else date(year, 1, 1), datatype=XSD.date)


class DcatBuilder:
    """Adds the catalogue, its datasets and their parts to one graph, with absolute URIs."""

    def __init__(self, urls: PublicUrls) -> None:
        self.urls = urls
        self.graph = new_graph()
        self.catalog = URIRef(urls.route("dcat_catalog_ttl").removesuffix(".ttl"))

    def add_catalog(self) -> URIRef:
        graph, catalog = self.graph, self.catalog
        graph.add((catalog, RDF.type, DCAT.Catalog))
        _texts(graph, catalog, DCTERMS.title, CATALOG_TITLE_ID, CATALOG_TITLE_EN)
        _texts(graph, catalog, DCTERMS.description, CATALOG_DESCRIPTION_ID, CATALOG_DESCRIPTION_EN)
        publisher = URIRef(self.urls.route("home") + "#publisher")
        graph.add((publisher, RDF.type, FOAF.Organization))
        _texts(graph, publisher, FOAF.name, PUBLISHER_ID, PUBLISHER_EN)
        graph.add((publisher, DCTERMS.type, ADMS_PUBLISHER_TYPE.LocalAuthority))
        graph.add((catalog, DCTERMS.publisher, publisher))
        graph.add((catalog, FOAF.homepage, URIRef(self.urls.route("home"))))
        graph.add((catalog, DCTERMS.spatial, self._regency()))
        for language in LANGUAGES:
            graph.add((catalog, DCTERMS.language, language))
        return catalog

    def _regency(self) -> BNode:
        place = BNode("regency")
        self.graph.add((place, RDF.type, DCTERMS.Location))
        self.graph.add((place, SKOS.prefLabel, Literal(REGENCY_ID, lang="id")))
        return place

    def add_paging(self, page: int, per_page: int, total: int, suffix: str) -> None:
        """Hydra paging as ckanext-dcat writes it (its RDF harvester follows `nextPage`)."""
        graph = self.graph
        last = max(1, -(-total // per_page))
        base = self.urls.route(f"dcat_catalog_{suffix}")

        def page_url(number: int) -> Literal:
            return Literal(f"{base}?page={number}")

        current = URIRef(f"{base}?page={page}")
        graph.add((current, RDF.type, HYDRA.PagedCollection))
        graph.add((current, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
        graph.add((current, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
        graph.add((current, HYDRA.firstPage, page_url(1)))
        graph.add((current, HYDRA.lastPage, page_url(last)))
        if page < last:
            graph.add((current, HYDRA.nextPage, page_url(page + 1)))
        if page > 1:
            graph.add((current, HYDRA.previousPage, page_url(min(page - 1, last))))

    def add_dataset(self, record: DatasetRecord, *, in_catalog: bool = True) -> URIRef:
        graph, dataset = self.graph, record.dataset
        subject = URIRef(self.urls.dataset(dataset.slug))
        if in_catalog:
            graph.add((self.catalog, DCAT.dataset, subject))
        graph.add((subject, RDF.type, DCAT.Dataset))
        graph.add((subject, DCTERMS.identifier, Literal(dataset.slug)))
        _texts(graph, subject, DCTERMS.title, dataset.title, dataset.title_en)
        _texts(graph, subject, DCTERMS.description, dataset.description, dataset.description_en)
        graph.add((subject, DCAT.landingPage, subject))
        graph.add((subject, DCTERMS.publisher, self._publisher(record)))
        graph.add((subject, DCAT.contactPoint, self._contact(record)))
        for keyword in dataset.keywords:
            graph.add((subject, DCAT.keyword, Literal(keyword, lang="id")))
        for topic in dataset.topics:
            for theme in self._themes(topic):
                graph.add((subject, DCAT.theme, theme))
        licence = self._licence(dataset.license)
        graph.add((subject, DCTERMS.license, licence))
        if dataset.modified is not None:
            graph.add((subject, DCTERMS.modified, Literal(dataset.modified, datatype=XSD.date)))
        if dataset.update_frequency is not None:
            code = FREQUENCY_CODES.get(dataset.update_frequency, dataset.update_frequency)
            graph.add((subject, DCTERMS.accrualPeriodicity, EU_FREQUENCY[code]))
        issued = dataset.created_at.astimezone(UTC).date()
        graph.add((subject, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
        if dataset.temporal_start is not None:
            period = URIRef(f"{subject}#temporal")
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add((period, DCAT.startDate, _year_date(dataset.temporal_start, last=False)))
            end = (
                dataset.temporal_end if dataset.temporal_end is not None else dataset.temporal_start
            )
            graph.add((period, DCAT.endDate, _year_date(end, last=True)))
            graph.add((subject, DCTERMS.temporal, period))
        graph.add((subject, DCTERMS.spatial, self._regency()))
        graph.add((subject, DCTERMS.accessRights, self._access_rights(record, subject)))
        for language in LANGUAGES:
            graph.add((subject, DCTERMS.language, language))
        for resource in record.resources:
            graph.add(
                (subject, DCAT.distribution, self._distribution(record, resource, subject, licence))
            )
        return subject

    def _publisher(self, record: DatasetRecord) -> URIRef:
        agency = record.agency
        publisher = URIRef(self.urls.agency(agency.slug))
        self.graph.add((publisher, RDF.type, FOAF.Organization))
        self.graph.add((publisher, FOAF.name, Literal(agency.name, lang="id")))
        self.graph.add((publisher, DCTERMS.type, ADMS_PUBLISHER_TYPE.LocalAuthority))
        if agency.website:
            self.graph.add((publisher, FOAF.homepage, URIRef(agency.website)))
        return publisher

    def _contact(self, record: DatasetRecord) -> URIRef:
        """The agency's PPID (the officer who answers information requests) as a vCard."""
        page = self.urls.agency(record.agency.slug)
        contact = URIRef(f"{page}#ppid")
        self.graph.add((contact, RDF.type, VCARD.Organization))
        self.graph.add((contact, VCARD.fn, Literal(f"PPID {record.agency.name}", lang="id")))
        self.graph.add((contact, VCARD.hasURL, URIRef(page)))
        return contact

    def _themes(self, topic: str) -> list[URIRef]:
        """Our topic as a concept (its search page), and its EU data theme where one fits."""
        concept = URIRef(self.urls.route("search", topic=topic))
        label_id, label_en = topic_label(topic)
        self.graph.add((concept, RDF.type, SKOS.Concept))
        self.graph.add((concept, SKOS.prefLabel, Literal(label_id, lang="id")))
        self.graph.add((concept, SKOS.prefLabel, Literal(label_en, lang="en")))
        themes = [concept]
        if topic in TOPIC_THEMES:
            eu_theme = URIRef(EU_THEME + TOPIC_THEMES[topic])
            self.graph.add((eu_theme, RDF.type, SKOS.Concept))
            themes.append(eu_theme)
        return themes

    def _licence(self, spdx_id: str) -> URIRef:
        licence = license_of(spdx_id)
        subject = URIRef(licence.url)
        self.graph.add((subject, RDF.type, DCTERMS.LicenseDocument))
        self.graph.add((subject, RDFS.label, Literal(licence.title)))
        return subject

    def _access_rights(self, record: DatasetRecord, subject: URIRef) -> URIRef:
        """Plain words on the category and each exemption's basis, and the EU access right."""
        statement = URIRef(f"{subject}#access-rights")
        text_id, text_en = record.access_statement()
        self.graph.add((statement, RDF.type, DCTERMS.RightsStatement))
        _texts(self.graph, statement, RDFS.label, text_id, text_en)
        eu_right = URIRef(EU_ACCESS_RIGHT + ACCESS_RIGHTS[record.policy.access])
        self.graph.add((statement, RDFS.seeAlso, eu_right))
        return statement

    def _distribution(
        self, record: DatasetRecord, resource: Resource, subject: URIRef, licence: URIRef
    ) -> URIRef:
        resource_id = resource_global_id(resource)
        distribution = URIRef(f"{subject}#resource-{resource_id}")
        graph = self.graph
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.identifier, Literal(resource_id)))
        graph.add((distribution, DCTERMS.title, Literal(resource.name)))
        graph.add((distribution, DCAT.accessURL, subject))
        if record.rows_public:
            graph.add((distribution, DCAT.downloadURL, URIRef(self.urls.download(resource_id))))
        media_type = URIRef(IANA_MEDIA_TYPE + media_type_of("csv"))
        graph.add((media_type, RDF.type, DCTERMS.MediaType))
        graph.add((distribution, DCAT.mediaType, media_type))
        graph.add((distribution, DCTERMS.format, URIRef(EU_FILE_TYPE + "CSV")))
        graph.add((distribution, DCTERMS.license, licence))
        return distribution
