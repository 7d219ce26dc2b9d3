"""CORS for the open doors only: browser apps on other origins may call them.

Starlette's `CORSMiddleware` does the protocol; this module decides where it applies:
`/graphql`, the CKAN API, downloads and their data packages, DCAT documents and feeds. Never
with credentials: programs authenticate with bearer tokens, so a page on another origin
cannot ride a browser's session. Preflights are cached for a day. A browser app may read
the headers a download or a harvest needs: the file name, the validators for a conditional
request, how long to wait when limited, and the links to the next page or the alternates.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from opendata.urls import PATHS, matches

PREFLIGHT_CACHE_SECONDS = 86_400
EXPOSED_HEADERS = ("Content-Disposition", "ETag", "Last-Modified", "Retry-After", "Link")
# the routes (opendata/urls.py) of the open doors
OPEN_ROUTES = tuple(
    name
    for name in PATHS
    if name in ("graphql", "dataset_datapackage")
    or name.startswith(("ckan_", "download_", "feed_", "dcat_"))
)


def is_open_door(path: str) -> bool:
    return any(matches(name, path) for name in OPEN_ROUTES)


class OpenDoorsCORS:
    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            expose_headers=list(EXPOSED_HEADERS),
            max_age=PREFLIGHT_CACHE_SECONDS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_open_door(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
