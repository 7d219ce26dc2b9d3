"""GET /catalog.{ttl,jsonld,rdf} (paged) and /dataset/<slug>.{ttl,jsonld,rdf}.

rdflib builds and serializes in pure Python (about a second for a page of a hundred
datasets), so that work runs in a worker thread, never on the event loop, and its result
is cached with an ETag, keyed like the GraphQL response cache: the catalogue generation
(every dataset or exemption change bumps it) and the regency date (exemptions expire at
midnight without a write). Harvesters that come back daily get a 304 or a cached body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendata.catalogue.changes import read_generation
from opendata.catalogue.dates import CatalogueDates, catalogue_dates
from opendata.catalogue.queries import DatasetFilter
from opendata.errors import DomainError, not_found
from opendata.interop.conditional import not_modified
from opendata.interop.dcat import FORMATS, DcatBuilder, serialize
from opendata.interop.errors import page_number
from opendata.interop.records import DatasetRecord, load_records, record_by_slug
from opendata.regency_time import regency_today
from opendata.request_scope import Parts, RequestScope
from opendata.resolvers.catalogue import find_datasets
from opendata.urls import PublicUrls
from opendata.web.response_cache import CachedResponse, ResponseCache, cache_key
from opendata.web.responses import error_response

# Documents are large (a catalogue page is hundreds of kilobytes): keep few.
CACHED_DOCUMENTS = 64


@dataclass(frozen=True)
class CatalogPage:
    records: Sequence[DatasetRecord]
    dates: CatalogueDates
    page: int
    per_page: int
    total: int


def catalog_document(urls: PublicUrls, found: CatalogPage, suffix: str) -> bytes:
    builder = DcatBuilder(urls)
    builder.add_catalog(found.dates)
    builder.add_paging(found.page, found.per_page, found.total, suffix)
    for record in found.records:
        builder.add_dataset(record)
    return serialize(builder.graph, suffix)


def dataset_document(urls: PublicUrls, record: DatasetRecord, suffix: str) -> bytes:
    builder = DcatBuilder(urls)
    builder.add_dataset(record, in_catalog=False)
    return serialize(builder.graph, suffix)


class DcatEndpoint:
    def __init__(self, services: Parts) -> None:
        self.services = services
        self.cache = ResponseCache(CACHED_DOCUMENTS)

    async def _key(self, request: Request, urls: PublicUrls) -> str:
        async with self.services.database.session() as session:
            generation = await read_generation(session)
        return cache_key(
            request.url.path,
            dict(request.query_params),
            urls.base,
            f"{generation}:{regency_today()}",
        )

    @staticmethod
    def _respond(request: Request, cached: CachedResponse, suffix: str) -> Response:
        headers = {"ETag": cached.etag, "Cache-Control": "public, max-age=300"}
        if not_modified(request.headers, cached.etag):
            return Response(status_code=304, headers=headers)
        return Response(cached.body, media_type=FORMATS[suffix].media_type, headers=headers)

    async def catalog(self, request: Request) -> Response:
        suffix = request.url.path.rsplit(".", 1)[-1]
        try:
            page = page_number(request.query_params.get("page"))
        except DomainError as error:
            return error_response(error)
        urls = PublicUrls.for_request(request)
        key = await self._key(request, urls)
        cached = self.cache.get(key)
        if cached is None:
            per_page = self.services.settings.limits.page_max
            found = await find_datasets(
                RequestScope.of(self.services),
                "",
                DatasetFilter(),
                "TITLE",
                (page - 1) * per_page,
                per_page,
                with_facets=False,
            )
            async with self.services.database.session() as session:
                records = await load_records(session, [hit.dataset for hit in found.hits])
                dates = await catalogue_dates(session)
            document = CatalogPage(records, dates, page, per_page, found.total)
            body = await run_in_threadpool(catalog_document, urls, document, suffix)
            cached = self.cache.put(key, body)
        return self._respond(request, cached, suffix)

    async def dataset(self, request: Request) -> Response:
        slug, suffix = request.path_params["slug"], request.url.path.rsplit(".", 1)[-1]
        urls = PublicUrls.for_request(request)
        key = await self._key(request, urls)
        cached = self.cache.get(key)
        if cached is None:
            async with self.services.database.session() as session:
                record = await record_by_slug(session, slug)
            if record is None:
                return error_response(not_found("Dataset", "Dataset", slug))
            body = await run_in_threadpool(dataset_document, urls, record, suffix)
            cached = self.cache.put(key, body)
        return self._respond(request, cached, suffix)
