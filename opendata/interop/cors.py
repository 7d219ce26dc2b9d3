"""CORS for the open doors only: browser apps on other origins may call them.

Starlette's `CORSMiddleware` does the protocol; this module decides where it applies:
`/graphql`, the CKAN API, downloads, DCAT documents and feeds. Never with credentials:
programs authenticate with bearer tokens, so a page on another origin cannot ride a
browser's session. Preflights are cached for a day.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from opendata.urls import PATHS, matches

PREFLIGHT_CACHE_SECONDS = 86_400
# the routes (opendata/urls.py) of the open doors
OPEN_ROUTES = tuple(
    name
    for name in PATHS
    if name == "graphql" or name.startswith(("ckan_", "download_", "feed_", "dcat_"))
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
            expose_headers=["Retry-After"],
            max_age=PREFLIGHT_CACHE_SECONDS,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_open_door(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
