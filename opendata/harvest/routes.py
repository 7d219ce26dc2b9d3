"""The harvesting doors' routes, named so every absolute URL is built from them."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from opendata.harvest.ckan.endpoint import CkanEndpoint
from opendata.harvest.dcat import FORMATS
from opendata.harvest.dcat_views import DcatEndpoint
from opendata.harvest.feed_views import FeedEndpoint
from opendata.harvest.sitemap import SitemapEndpoint
from opendata.services import Services


def harvest_routes(services: Services) -> list[BaseRoute]:
    ckan = CkanEndpoint(services)
    dcat = DcatEndpoint(services)
    feeds = FeedEndpoint(services)
    return [
        Route("/sitemap.xml", SitemapEndpoint(services).handle, name="sitemap"),
        Route("/feeds/datasets.atom", feeds.all_datasets, name="feed_datasets"),
        Route("/feeds/instansi/{slug:str}.atom", feeds.agency_datasets, name="feed_agency"),
        Route("/feeds/topik/{topic:str}.atom", feeds.topic_datasets, name="feed_topic"),
        Route("/feeds/pengecualian.atom", feeds.ending_exemptions, name="feed_exemptions"),
        Route(
            "/feeds/permohonan/{agency:str}/{year:str}/{number:str}.atom",
            feeds.request_timeline,
            name="feed_request",
        ),
        *(
            Route(f"/catalog.{suffix}", dcat.catalog, name=f"dcat_catalog_{suffix}")
            for suffix in FORMATS
        ),
        *(
            Route(f"/dataset/{{slug:str}}.{suffix}", dcat.dataset, name=f"dcat_dataset_{suffix}")
            for suffix in FORMATS
        ),
        Route(
            "/api/3/action/{action:str}", ckan.handle, methods=["GET", "POST"], name="ckan_action"
        ),
        Route(
            "/api/action/{action:str}",
            ckan.handle,
            methods=["GET", "POST"],
            name="ckan_action_unversioned",
        ),
    ]
