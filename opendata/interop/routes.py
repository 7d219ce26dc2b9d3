"""The harvesting doors' routes, named so every absolute URL is built from them.

Every door shares one token bucket per client (the API's rate limits): a harvester that
pages the whole catalogue in a loop cannot starve the people using the site.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from opendata.errors import RateLimited
from opendata.interop.ckan.endpoint import CkanEndpoint
from opendata.interop.dcat import FORMATS
from opendata.interop.dcat_views import DcatEndpoint
from opendata.interop.errors import error_response
from opendata.interop.feed_views import FeedEndpoint
from opendata.interop.sitemap import SitemapEndpoint
from opendata.request_scope import Parts
from opendata.web.rate_limit import RateLimiter, retry_after_header

Handler = Callable[[Request], Awaitable[Response]]


def rate_limited(limiter: RateLimiter, handler: Handler) -> Handler:
    async def limited(request: Request) -> Response:
        address = request.client.host if request.client else ""
        wait = limiter.retry_after(limiter.client_key(None, address))
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


def interop_routes(services: Parts) -> list[BaseRoute]:
    limiter = RateLimiter(services.settings.rate_limits)
    ckan = CkanEndpoint(services)
    dcat = DcatEndpoint(services)
    feeds = FeedEndpoint(services)

    def route(path: str, handler: Handler, name: str, methods: list[str] | None = None) -> Route:
        return Route(path, rate_limited(limiter, handler), name=name, methods=methods)

    return [
        route("/sitemap.xml", SitemapEndpoint(services).handle, "sitemap"),
        route("/feeds/datasets.atom", feeds.all_datasets, "feed_datasets"),
        route("/feeds/instansi/{slug:str}.atom", feeds.agency_datasets, "feed_agency"),
        route("/feeds/topik/{topic:str}.atom", feeds.topic_datasets, "feed_topic"),
        route("/feeds/pengecualian.atom", feeds.ending_exemptions, "feed_exemptions"),
        route(
            "/feeds/permohonan/{agency:str}/{year:str}/{number:str}.atom",
            feeds.request_timeline,
            "feed_request",
        ),
        *(route(f"/catalog.{sfx}", dcat.catalog, f"dcat_catalog_{sfx}") for sfx in FORMATS),
        *(
            route(f"/dataset/{{slug:str}}.{sfx}", dcat.dataset, f"dcat_dataset_{sfx}")
            for sfx in FORMATS
        ),
        route("/api/3/action/{action:str}", ckan.handle, "ckan_action", ["GET", "POST"]),
        route("/api/action/{action:str}", ckan.handle, "ckan_action_unversioned", ["GET", "POST"]),
    ]
