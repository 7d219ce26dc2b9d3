"""GET /sitemap.xml: every public page (pages.md), so search engines find each dataset.

Plain XML from the standard library: the sitemap protocol is five elements, and no library
would say more. At most 50 000 URLs (the protocol's limit); past that, the newest requests
are listed first and the rest left to the register's own paging.
"""

from __future__ import annotations

from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import Response

from opendata.catalogue import queries
from opendata.catalogue.dates import modified_on
from opendata.catalogue.queries import DatasetFilter
from opendata.information_requests import queries as request_queries
from opendata.information_requests.queries import RequestFilter
from opendata.regency_time import regency_today
from opendata.request_scope import Parts
from opendata.urls import PublicUrls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
# Public pages without a parameter (the sign-in pages and /saya are not content).
FIXED_PAGES = (
    "home",
    "search",
    "register",
    "new_request",
    "deadline",
    "dashboard",
    "statistics",
)


def sitemap_xml(entries: list[tuple[str, str | None]]) -> bytes:
    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for location, last_modified in entries[:MAX_URLS]:
        url = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(url, "loc").text = location
        if last_modified:
            ElementTree.SubElement(url, "lastmod").text = last_modified
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


class SitemapEndpoint:
    def __init__(self, services: Parts) -> None:
        self.services = services

    async def handle(self, request: Request) -> Response:
        urls = PublicUrls.for_request(request)
        entries: list[tuple[str, str | None]] = [(urls.route(name), None) for name in FIXED_PAGES]
        async with self.services.database.session() as session:
            agencies, _ = await queries.agencies_page(session, 0, MAX_URLS)
            entries += [(urls.agency(a.slug), None) for a in agencies]
            page = await queries.browse_datasets(
                session, DatasetFilter(), "TITLE", 0, MAX_URLS, with_facets=False
            )
            entries += [(urls.dataset(d.slug), modified_on(d).isoformat()) for d in page.datasets]
            room = max(0, MAX_URLS - len(entries))
            requests, _ = await request_queries.list_requests(
                session, RequestFilter(), regency_today(), 0, room
            )
            entries += [(urls.request(r.registration_number), None) for r in requests]
        return Response(sitemap_xml(entries), media_type="application/xml")
