"""The harvesting doors' routes, at their paths in `opendata.urls.PATHS` (by name).

Every door shares one token bucket per client (the API's rate limits): a harvester that
pages the whole catalogue in a loop cannot starve the people using the site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from opendata.errors import DomainError, RateLimited
from opendata.inputs import check_address
from opendata.interop.ckan.endpoint import CkanEndpoint
from opendata.interop.dcat import FORMATS
from opendata.interop.dcat_views import DcatEndpoint
from opendata.interop.feed_views import FeedEndpoint
from opendata.interop.sitemap import SitemapEndpoint
from opendata.request_scope import Parts
from opendata.urls import PATHS
from opendata.web.rate_limit import RateLimiter, limiter_for, retry_after_header
from opendata.web.responses import error_response

Handler = Callable[[Request], Awaitable[Response]]


def rate_limited(limiter: RateLimiter, handler: Handler) -> Handler:
    async def limited(request: Request) -> Response:
        address = request.client.host if request.client else ""
        wait = await limiter.retry_after(limiter.client_key(None, address))
        if wait is None:
            return await handler(request)
        refusal = error_response(
            RateLimited(
                "Terlalu banyak permintaan; coba lagi sebentar lagi.",
                "Too many requests; try again shortly.",
            )
        )
        refusal.headers["Retry-After"] = retry_after_header(wait)
        return refusal

    return limited


def checked(handler: Handler) -> Handler:
    """The document doors refuse a path or query string breaking the one input rule
    (opendata/inputs.py) with a bilingual 400; CKAN checks its own parameters."""

    async def checking(request: Request) -> Response:
        try:
            check_address(request.path_params, request.query_params.multi_items())
        except DomainError as error:
            return error_response(error)
        return await handler(request)

    return checking


def interop_routes(services: Parts) -> list[BaseRoute]:
    limiter = limiter_for(services, "open")
    ckan = CkanEndpoint(services)
    dcat = DcatEndpoint(services)
    feeds = FeedEndpoint(services)

    def route(name: str, handler: Handler, methods: list[str] | None = None) -> Route:
        door = handler if name.startswith("ckan") else checked(handler)
        return Route(PATHS[name], rate_limited(limiter, door), name=name, methods=methods)

    return [
        route("sitemap", SitemapEndpoint(services).handle),
        route("feed_datasets", feeds.all_datasets),
        route("feed_agency", feeds.agency_datasets),
        route("feed_topic", feeds.topic_datasets),
        route("feed_exemptions", feeds.ending_exemptions),
        route("feed_request", feeds.request_timeline),
        *(route(f"dcat_catalog_{suffix}", dcat.catalog) for suffix in FORMATS),
        *(route(f"dcat_dataset_{suffix}", dcat.dataset) for suffix in FORMATS),
        route("ckan_action", ckan.handle, ["GET", "POST"]),
        route("ckan_action_unversioned", ckan.handle, ["GET", "POST"]),
        route("ckan_api_version", ckan.api_version, ["GET"]),
    ]
