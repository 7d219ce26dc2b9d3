"""GraphiQL at /graphql in a browser (the only GraphiQL page), every script and style served
from this package.

Strawberry's page names its assets on a CDN; we serve the same files, vendored from npm at
the same versions (`vendor_assets.PACKAGES`), so the page's integrity hashes still hold and
GraphiQL works on a network with no internet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from strawberry.http.ides import get_graphql_ide_html

from opendata.portal.vendor_assets import PACKAGES
from opendata.urls import path

CDN = "https://unpkg.com/"


def _local_url(cdn_path: str) -> str:
    """`react@18.2.0/umd/react.production.min.js` -> `/static/vendor/react/react.js`."""
    for package in PACKAGES:
        prefix = f"{package.spec}/"
        if cdn_path.startswith(prefix):
            inner = cdn_path[len(prefix) :]
            if inner in package.files:
                return path("static", path=f"vendor/{package.folder.name}/{package.files[inner]}")
    raise LookupError(f"GraphiQL asks for {cdn_path}, which is not vendored")


@lru_cache(maxsize=1)
def graphiql_html() -> str:
    html = get_graphql_ide_html("graphiql").replace("{{ SUBSCRIPTION_ENABLED }}", "false")
    html = re.sub(re.escape(CDN) + r'([^"]+)', lambda match: _local_url(match.group(1)), html)
    html = html.replace("<title>Strawberry GraphiQL</title>", "<title>opendata GraphiQL</title>")
    # served from our own origin: no crossorigin attribute needed
    return html.replace("crossorigin\n", "\n")
