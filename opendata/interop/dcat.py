"""DCAT-AP 3.0.1 descriptions of the catalogue and its datasets, built with rdflib.

One graph builder serves Turtle, JSON-LD and RDF/XML, the whole catalogue (paged with
Hydra, as ckanext-dcat does) and each dataset alone. It conforms to the official SEMIC
shapes (tests/interop/shapes/, mandatory and recommended): every node it names has the class
and labels the shapes ask for. What it states about access comes from the visibility
policy: a dataset withheld whole has no download URL; `dct:accessRights` is the EU
access-right concept and each distribution's `dct:rights` our statement of every exemption
in force with its Pasal 17 basis (a blank `dct:RightsStatement` with labels, which
ckanext-dcat reads into the resource's `rights`).

Licences are the URIs CKAN's licence register maps to a `license_id`
(`vocabulary.License.uri`), so a CKAN harvest with ckanext-dcat keeps them. The place is
Kubu Raya by its Kemendagri code (`REGENCY_CODE`), never a blank node. Dates are
`opendata.catalogue.dates`: `issued` kept from the first appearance, `modified` the last data
change.

Recommended properties left out, and why: `dcat:bbox` and `dcat:centroid` of the place (we
hold no authoritative geometry of the regency, only its code), `dct:temporal` of a dataset
that declares no years and `dcat:keyword` of one without keywords (nothing true to say).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from opendata.catalogue.dates import CatalogueDates, issued_on, modified_on
from opendata.catalogue.publication import FREQUENCY_LABELS, UpdateFrequency
from opendata.catalogue.topics import topic_label
from opendata.db.models import Resource
from opendata.interop.records import DatasetRecord, resource_global_id
from opendata.interop.vocabulary import (
    ACCESS_RIGHT_LABELS,
    ACCESS_RIGHTS,
    ADMS_LICENCE_TYPE,
    ADMS_PUBLISHER_TYPE,
    AVAILABILITY,
    CATALOG_DESCRIPTION_EN,
    CATALOG_DESCRIPTION_ID,
    CATALOG_LICENSE,
    CATALOG_TITLE_EN,
    CATALOG_TITLE_ID,
    EU_ACCESS_RIGHT,
    EU_AVAILABILITY,
    EU_FILE_TYPE,
    EU_THEME,
    EU_THEME_LABELS,
    EU_THEME_SCHEME,
    EU_THEME_SCHEME_TITLE,
    IANA_MEDIA_TYPE,
    LICENCE_TYPE_LABELS,
    PUBLISHER_EN,
    PUBLISHER_ID,
    PUBLISHER_TYPE,
    REGENCY_CODE,
    REGENCY_EN,
    REGENCY_ID,
    TOPIC_THEMES,
    license_of,
    media_type_of,
)
from opendata.urls import PublicUrls

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
# (authority code, its English name, its Indonesian name)
LANGUAGES = (
    (EU_LANGUAGE.IND, "Indonesian", "Bahasa Indonesia"),
    (EU_LANGUAGE.ENG, "English", "Bahasa Inggris"),
)
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
    "dcatap": str(DCATAP),
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
    graph: Graph, subject: URIRef | BNode, predicate: URIRef, id_text: str, en_text: str | None
) -> None:
    graph.add((subject, predicate, Literal(id_text, lang="id")))
    if en_text:
        graph.add((subject, predicate, Literal(en_text, lang="en")))


def _year_date(year: int, last: bool) -> Literal:
    return _date(date(year, 12, 31) if last else date(year, 1, 1))


def _date(day: date) -> Literal:
    return Literal(day, datatype=XSD.date)


class DcatBuilder:
    """Adds the catalogue, its datasets and their parts to one graph, with absolute URIs."""

    def __init__(self, urls: PublicUrls) -> None:
        self.urls = urls
        self.graph = new_graph()
        self.catalog = URIRef(urls.route("dcat_catalog_ttl").removesuffix(".ttl"))

    def add_catalog(self, dates: CatalogueDates) -> URIRef:
        graph, catalog = self.graph, self.catalog
        graph.add((catalog, RDF.type, DCAT.Catalog))
        _texts(graph, catalog, DCTERMS.title, CATALOG_TITLE_ID, CATALOG_TITLE_EN)
        _texts(graph, catalog, DCTERMS.description, CATALOG_DESCRIPTION_ID, CATALOG_DESCRIPTION_EN)
        publisher = URIRef(self.urls.route("home") + "#publisher")
        graph.add((publisher, RDF.type, FOAF.Organization))
        _texts(graph, publisher, FOAF.name, PUBLISHER_ID, PUBLISHER_EN)
        graph.add((publisher, DCTERMS.type, self._publisher_type()))
        graph.add((catalog, DCTERMS.publisher, publisher))
        graph.add((catalog, FOAF.homepage, self._document(self.urls.route("home"))))
        graph.add((catalog, DCTERMS.spatial, self._regency()))
        graph.add((catalog, DCTERMS.license, self._licence(CATALOG_LICENSE)))
        graph.add((catalog, DCTERMS.issued, _date(dates.issued)))
        graph.add((catalog, DCTERMS.modified, _date(dates.modified)))
        graph.add((catalog, DCAT.themeTaxonomy, self._theme_scheme()))
        self._languages(catalog)
        return catalog

    def _concept(self, uri: str, label_en: str, label_id: str | None = None) -> URIRef:
        """A concept of a shared vocabulary, with the label DCAT-AP asks every concept for."""
        concept = URIRef(uri)
        self.graph.add((concept, RDF.type, SKOS.Concept))
        self.graph.add((concept, SKOS.prefLabel, Literal(label_en, lang="en")))
        if label_id:
            self.graph.add((concept, SKOS.prefLabel, Literal(label_id, lang="id")))
        return concept

    def _document(self, url: str) -> URIRef:
        document = URIRef(url)
        self.graph.add((document, RDF.type, FOAF.Document))
        return document

    def _publisher_type(self) -> URIRef:
        code, label_id, label_en = PUBLISHER_TYPE
        return self._concept(ADMS_PUBLISHER_TYPE + code, label_en, label_id)

    def _languages(self, subject: URIRef) -> None:
        for language, name_en, name_id in LANGUAGES:
            self.graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
            _texts(self.graph, language, RDFS.label, name_id, name_en)
            self.graph.add((subject, DCTERMS.language, language))

    def _theme_scheme(self) -> URIRef:
        scheme = URIRef(EU_THEME_SCHEME)
        self.graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        self.graph.add((scheme, DCTERMS.title, Literal(EU_THEME_SCHEME_TITLE, lang="en")))
        return scheme

    def _regency(self) -> URIRef:
        """Kubu Raya as a place named by its Kemendagri code (kode wilayah 61.12)."""
        place = URIRef(f"{self.catalog}#wilayah-{REGENCY_CODE}")
        self.graph.add((place, RDF.type, DCTERMS.Location))
        self.graph.add((place, SKOS.prefLabel, Literal(REGENCY_ID, lang="id")))
        self.graph.add((place, SKOS.prefLabel, Literal(REGENCY_EN, lang="en")))
        self.graph.add((place, SKOS.notation, Literal(REGENCY_CODE)))
        self.graph.add((place, DCTERMS.identifier, Literal(REGENCY_CODE)))
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
        # the dataset's URI is its page's address (what harvesters keep), so its landing
        # page is that same resource
        subject = URIRef(self.urls.dataset(dataset.slug))
        if in_catalog:
            graph.add((self.catalog, DCAT.dataset, subject))
        graph.add((subject, RDF.type, DCAT.Dataset))
        graph.add((subject, DCTERMS.identifier, Literal(dataset.slug)))
        _texts(graph, subject, DCTERMS.title, dataset.title, dataset.title_en)
        _texts(graph, subject, DCTERMS.description, dataset.description, dataset.description_en)
        graph.add((subject, DCAT.landingPage, self._document(subject)))
        graph.add((subject, DCTERMS.publisher, self._publisher(record)))
        graph.add((subject, DCAT.contactPoint, self._contact(record)))
        for keyword in dataset.keywords:
            graph.add((subject, DCAT.keyword, Literal(keyword, lang="id")))
        for topic in dataset.topics:
            for theme in self._themes(topic):
                graph.add((subject, DCAT.theme, theme))
        licence = self._licence(dataset.license)
        graph.add((subject, DCTERMS.license, licence))
        graph.add((subject, DCTERMS.issued, _date(issued_on(dataset))))
        graph.add((subject, DCTERMS.modified, _date(modified_on(dataset))))
        if dataset.update_frequency is not None:
            frequency = self._frequency(dataset.update_frequency)
            graph.add((subject, DCTERMS.accrualPeriodicity, frequency))
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
        graph.add((subject, DCTERMS.accessRights, self._access_right(record)))
        statement = self._rights_statement(record)
        graph.add((subject, DCTERMS.rights, statement))
        self._languages(subject)
        for resource in record.resources:
            distribution = self._distribution(record, resource, subject, licence, statement)
            graph.add((subject, DCAT.distribution, distribution))
        return subject

    def _frequency(self, word: str) -> URIRef:
        """The EU frequency concept of `updateFrequency`, with our labels of the word."""
        frequency = URIRef(EU_FREQUENCY[FREQUENCY_CODES.get(word, word)])
        self.graph.add((frequency, RDF.type, DCTERMS.Frequency))
        label_id, label_en = FREQUENCY_LABELS[UpdateFrequency(word)]
        _texts(self.graph, frequency, RDFS.label, label_id, label_en)
        return frequency

    def _publisher(self, record: DatasetRecord) -> URIRef:
        agency = record.agency
        publisher = URIRef(self.urls.agency(agency.slug))
        self.graph.add((publisher, RDF.type, FOAF.Organization))
        self.graph.add((publisher, FOAF.name, Literal(agency.name, lang="id")))
        self.graph.add((publisher, DCTERMS.type, self._publisher_type()))
        if agency.website:
            self.graph.add((publisher, FOAF.homepage, self._document(agency.website)))
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
        label_id, label_en = topic_label(topic)
        themes = [self._concept(self.urls.route("search", topic=topic), label_en, label_id)]
        if topic in TOPIC_THEMES:
            code = TOPIC_THEMES[topic]
            eu_theme = self._concept(EU_THEME + code, EU_THEME_LABELS[code])
            self.graph.add((eu_theme, SKOS.inScheme, self._theme_scheme()))
            themes.append(eu_theme)
        return themes

    def _licence(self, spdx_id: str) -> URIRef:
        """The licence by the URI CKAN's register knows, titled as there, with its own page."""
        licence = license_of(spdx_id)
        subject = URIRef(licence.uri)
        self.graph.add((subject, RDF.type, DCTERMS.LicenseDocument))
        self.graph.add((subject, DCTERMS.title, Literal(licence.ckan_title)))
        self.graph.add((subject, RDFS.label, Literal(licence.title)))
        if licence.url != licence.uri:
            self.graph.add((subject, RDFS.seeAlso, URIRef(licence.url)))
        for kind in licence.kinds:
            concept = self._concept(ADMS_LICENCE_TYPE + kind, LICENCE_TYPE_LABELS[kind])
            self.graph.add((subject, DCTERMS.type, concept))
        return subject

    def _access_right(self, record: DatasetRecord) -> URIRef:
        """The EU access-right concept of the policy's access level."""
        code = ACCESS_RIGHTS[record.policy.access]
        label_id, label_en = ACCESS_RIGHT_LABELS[code]
        concept = self._concept(EU_ACCESS_RIGHT + code, label_en, label_id)
        self.graph.add((concept, RDF.type, DCTERMS.RightsStatement))
        return concept

    def _rights_statement(self, record: DatasetRecord) -> BNode:
        """Plain words on the category and each exemption in force with its Pasal 17 basis."""
        statement = BNode()
        text_id, text_en = record.access_statement()
        self.graph.add((statement, RDF.type, DCTERMS.RightsStatement))
        _texts(self.graph, statement, RDFS.label, text_id, text_en)
        return statement

    def _distribution(
        self,
        record: DatasetRecord,
        resource: Resource,
        subject: URIRef,
        licence: URIRef,
        statement: BNode,
    ) -> URIRef:
        resource_id = resource_global_id(resource)
        distribution = URIRef(f"{subject}#resource-{resource_id}")
        graph = self.graph
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.identifier, Literal(resource_id)))
        graph.add((distribution, DCTERMS.title, Literal(resource.name)))
        title = record.dataset.title
        _texts(
            graph,
            distribution,
            DCTERMS.description,
            f"Tabel '{resource.name}' dari dataset '{title}', berkas CSV (UTF-8).",
            f"Table '{resource.name}' of the dataset '{title}', as a CSV file (UTF-8).",
        )
        graph.add((distribution, DCAT.accessURL, subject))
        if record.rows_public:
            graph.add((distribution, DCAT.downloadURL, URIRef(self.urls.download(resource_id))))
        media_type = URIRef(IANA_MEDIA_TYPE + media_type_of("csv"))
        graph.add((media_type, RDF.type, DCTERMS.MediaType))
        graph.add((distribution, DCAT.mediaType, media_type))
        file_type = URIRef(EU_FILE_TYPE + "CSV")
        graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((distribution, DCTERMS.format, file_type))
        graph.add((distribution, DCTERMS.license, licence))
        graph.add((distribution, DCTERMS.rights, statement))
        code, label_id, label_en = AVAILABILITY
        availability = self._concept(EU_AVAILABILITY + code, label_en, label_id)
        graph.add((distribution, DCATAP.availability, availability))
        return distribution
