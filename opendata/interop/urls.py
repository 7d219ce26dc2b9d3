"""Absolute URLs for everything the harvesting doors link to, from one place.

The base is `OPENDATA_PUBLIC_URL` when set (behind a proxy the request's own host may be an
internal name), else the address the request came in on. Our own doors are Starlette named
routes; the web pages (served by the portal) have their paths in `PAGE_PATHS`, written once
from `pages.md`, so a DCAT `landingPage`, a CKAN `url`, a sitemap `<loc>` and a feed link
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.routing import Router

# The public web pages (pages.md); `{...}` are filled with quoted values.
PAGE_PATHS: dict[str, str] = {
    "home": "/",
    "search": "/cari",
    "dataset": "/dataset/{slug}",
    "agency": "/instansi/{slug}",
    "register": "/permohonan",
    "request": "/permohonan/{number}",
    "new_request": "/permohonan/baru",
    "deadline_calculator": "/tenggat",
    "dashboard": "/dasbor",
    "statistics": "/statistik",
}


@dataclass(frozen=True)
class PublicUrls:
    base: str
    router: Router

    @classmethod
    def for_request(cls, request: Request) -> PublicUrls:
        configured: str = request.app.state.services.settings.public_url
        base = configured or str(request.base_url)
        return cls(base.rstrip("/"), request.app.router)

    def route(self, name: str, **params: Any) -> str:
        """An absolute URL of one of our named routes."""
        return self.base + str(self.router.url_path_for(name, **params))

    def page(self, name: str, **params: str) -> str:
        """An absolute URL of a web page; a request number keeps its slashes as path parts."""
        quoted = {
            key: quote(value, safe="/" if key == "number" else "") for key, value in params.items()
        }
        return self.base + PAGE_PATHS[name].format(**quoted)

    def dataset(self, slug: str) -> str:
        return self.page("dataset", slug=slug)

    def agency(self, slug: str) -> str:
        return self.page("agency", slug=slug)

    def download(self, resource_global_id: str) -> str:
        return self.route("download_csv", resource_id=resource_global_id)
