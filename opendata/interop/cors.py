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

from opendata.interop.dcat import FORMATS

PREFLIGHT_CACHE_SECONDS = 86_400
OPEN_PREFIXES = ("/api/3/action/", "/api/action/", "/download/", "/feeds/")
OPEN_PATHS = ("/graphql", *(f"/catalog.{suffix}" for suffix in FORMATS))
DATASET_DOCUMENT_SUFFIXES = tuple(f".{suffix}" for suffix in FORMATS)


def is_open_door(path: str) -> bool:
    return (
        path in OPEN_PATHS
        or path.startswith(OPEN_PREFIXES)
        or (path.startswith("/dataset/") and path.endswith(DATASET_DOCUMENT_SUFFIXES))
    )


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
