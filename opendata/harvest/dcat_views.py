"""GET /catalog.{ttl,jsonld,rdf} (paged) and /dataset/<slug>.{ttl,jsonld,rdf}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from opendata.catalogue.queries import DatasetFilter
from opendata.errors import DomainError, not_found
from opendata.harvest.dcat import FORMATS, DcatBuilder, serialize
from opendata.harvest.errors import error_response, page_number
from opendata.harvest.finding import find_datasets, plain_info
from opendata.harvest.records import load_records, record_by_slug
from opendata.harvest.urls import PublicUrls
from opendata.services import Services


class DcatEndpoint:
    def __init__(self, services: Services) -> None:
        self.services = services

    def _answer(self, builder: DcatBuilder, suffix: str) -> Response:
        return Response(serialize(builder.graph, suffix), media_type=FORMATS[suffix].media_type)

    async def catalog(self, request: Request) -> Response:
        suffix = request.url.path.rsplit(".", 1)[-1]
        try:
            page = page_number(request.query_params.get("page"))
        except DomainError as error:
            return error_response(error)
        per_page = self.services.settings.limits.page_max
        found = await find_datasets(
            plain_info(self.services),
            "",
            DatasetFilter(),
            "TITLE",
            (page - 1) * per_page,
            per_page,
            with_facets=False,
        )
        async with self.services.database.session() as session:
            records = await load_records(session, [hit.dataset for hit in found.hits])
        builder = DcatBuilder(PublicUrls.for_request(request))
        builder.add_catalog()
        builder.add_paging(page, per_page, found.total, suffix)
        for record in records:
            builder.add_dataset(record)
        return self._answer(builder, suffix)

    async def dataset(self, request: Request) -> Response:
        slug, suffix = request.path_params["slug"], request.url.path.rsplit(".", 1)[-1]
        async with self.services.database.session() as session:
            record = await record_by_slug(session, slug)
        if record is None:
            return error_response(not_found("Dataset", "Dataset", slug))
        builder = DcatBuilder(PublicUrls.for_request(request))
        builder.add_dataset(record, in_catalog=False)
        return self._answer(builder, suffix)
