"""GET the Atom feeds: /feeds/datasets.atom, per agency and topic, the DIK's ends, a request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from opendata.catalogue import queries
from opendata.catalogue.queries import DatasetFilter
from opendata.catalogue.topics import TOPIC_LABELS, topic_label
from opendata.db.models import Exemption
from opendata.errors import DomainError, not_found
from opendata.exemptions.register import ending_exemptions
from opendata.information_requests import queries as request_queries
from opendata.interop import feeds
from opendata.interop.conditional import not_modified, validators
from opendata.interop.records import load_records
from opendata.regency_time import regency_today
from opendata.request_scope import Parts, RequestScope
from opendata.resolvers.catalogue import find_datasets
from opendata.urls import PublicUrls
from opendata.visibility.policy import load_policies
from opendata.web.response_cache import PUBLIC_CACHE_CONTROL, etag_for
from opendata.web.responses import error_response

EXEMPTION_ENTRIES = 200


def _atom(request: Request, feed: feeds.FeedGenerator) -> Response:
    """The feed with its validators; a 304 when the client's copy is current."""
    body = feeds.render(feed)
    etag, updated = etag_for(body), feeds.feed_updated(feed)
    headers = {**validators(etag, updated), "Cache-Control": PUBLIC_CACHE_CONTROL}
    if not_modified(request.headers, etag, updated):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=feeds.ATOM_MEDIA_TYPE, headers=headers)


async def exemptions_changed(session: AsyncSession, dataset_ids: Sequence[int]) -> datetime | None:
    """The last time an exemption of these datasets was added, revoked, lapsed or expired."""
    if not dataset_ids:
        return None
    today = regency_today()
    ids = Exemption.dataset_id.in_(sorted(set(dataset_ids)))
    added, revoked, lapsed, expired = (
        await session.execute(
            select(
                func.max(Exemption.created_at),
                func.max(Exemption.revoked_at),
                func.max(Exemption.lapsed_at),
                select(func.max(Exemption.expires_on))
                .where(ids, Exemption.expires_on < today)
                .scalar_subquery(),
            ).where(ids)
        )
    ).one()
    moments = [feeds.aware(moment) for moment in (added, revoked, lapsed) if moment is not None]
    if expired is not None:  # it stopped applying at the start of the next day
        moments.append(feeds.day_start(expired + timedelta(days=1)))
    return max(moments, default=None)


class FeedEndpoint:
    def __init__(self, services: Parts) -> None:
        self.services = services

    async def _datasets(
        self, request: Request, dataset_filter: DatasetFilter, head: feeds.FeedHead
    ) -> Response:
        limit = min(feeds.FEED_ENTRIES, self.services.settings.limits.page_max)
        page = await find_datasets(
            RequestScope.of(self.services),
            "",
            dataset_filter,
            "RECENTLY_UPDATED",
            0,
            limit,
            with_facets=False,
        )
        async with self.services.database.session() as session:
            records = await load_records(session, [hit.dataset for hit in page.hits])
            changed = await exemptions_changed(session, [r.dataset.id for r in records])
        urls = PublicUrls.for_request(request)
        return _atom(request, feeds.datasets_feed(head, records, urls, changed))

    async def all_datasets(self, request: Request) -> Response:
        urls = PublicUrls.for_request(request)
        head = feeds.catalogue_head(urls, urls.route("feed_datasets"), "", urls.route("home"))
        return await self._datasets(request, DatasetFilter(), head)

    async def agency_datasets(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        async with self.services.database.session() as session:
            agency = await queries.agency_by_slug(session, slug)
        if agency is None:
            return error_response(not_found("Instansi", "Agency", slug))
        urls = PublicUrls.for_request(request)
        self_url = urls.route("feed_agency", slug=slug)
        head = feeds.catalogue_head(urls, self_url, f": {agency.name}", urls.agency(slug))
        return await self._datasets(request, DatasetFilter(agencies=(slug,)), head)

    async def topic_datasets(self, request: Request) -> Response:
        topic = request.path_params["topic"]
        if topic not in TOPIC_LABELS:
            return error_response(not_found("Topik", "Topic", topic))
        urls = PublicUrls.for_request(request)
        self_url = urls.route("feed_topic", topic=topic)
        label_id, _ = topic_label(topic)
        alternate = urls.route("search", topic=topic)
        head = feeds.catalogue_head(urls, self_url, f": {label_id}", alternate)
        return await self._datasets(request, DatasetFilter(topics=(topic,)), head)

    async def ending_exemptions(self, request: Request) -> Response:
        urls = PublicUrls.for_request(request)
        self_url = urls.route("feed_exemptions")
        head = feeds.FeedHead(
            feed_id=self_url,
            title="Pengecualian yang berakhir (DIK) / Exemptions that end",
            alternate=urls.route("home"),
            self_url=self_url,
        )
        async with self.services.database.session() as session:
            exemptions = await ending_exemptions(session, EXEMPTION_ENTRIES)
            dataset_ids = sorted({e.dataset_id for e in exemptions})
            datasets = {d.id: d for d in await queries.datasets_by_ids(session, dataset_ids) if d}
            policies = await load_policies(session, dataset_ids)
        rows = [(e, datasets[e.dataset_id], policies[e.dataset_id]) for e in exemptions]
        return _atom(request, feeds.exemptions_feed(head, rows, urls, regency_today()))

    async def request_timeline(self, request: Request) -> Response:
        params = request.path_params
        number = f"{params['agency']}/{params['year']}/{params['number']}"
        try:
            async with self.services.database.session() as session:
                found = await request_queries.request_by_number(session, number)
                if found is None:
                    raise not_found("Permohonan", "Request", number)
                (events,) = await request_queries.events_by_request_ids(session, [found.id])
        except DomainError as error:
            return error_response(error)
        urls = PublicUrls.for_request(request)
        self_url = urls.route("feed_request", **params)
        head = feeds.FeedHead(
            feed_id=self_url,
            title=f"Permohonan / Request {number}",
            alternate=urls.request(number),
            self_url=self_url,
        )
        return _atom(request, feeds.request_feed(head, found, events))
