"""Portal pages against the GraphQL query that fetches the same data, in the same run.

In process (httpx over ASGI, one request at a time, response cache off so neither side is
served from memory): the server time of the home, search and dataset pages on the demo
catalogue, beside their "API for this page" query, and the bytes each page transfers
(HTML plus the style sheet and icon it loads; the portal loads no script).
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "pages"
PAGES = {
    "home": "/",
    "search": "/cari?q=demam+berdarah",
    "dataset": "/dataset/kasus-dbd-per-kecamatan",
}
TARGET_RATIO = 2.0


def api_body(html: str) -> dict[str, object]:
    """The page's own rel=alternate link: the query and variables it names."""
    start = html.index('<link rel="alternate" type="application/json" href="') + 52
    href = html[start : html.index('"', start)].replace("&amp;", "&")
    params = parse_qs(urlsplit(href).query)
    variables = json.loads(params["variables"][0]) if "variables" in params else {}
    return {"query": params["query"][0], "variables": variables}


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    import httpx

    from opendata.app import create_app
    from opendata.catalogue.loader import load_catalog
    from opendata.config import RateLimits, Settings
    from opendata.services import open_services

    shutil.rmtree(SCRATCH, ignore_errors=True)
    services = await open_services(
        Settings(
            data_dir=SCRATCH / "data",
            rate_limits=RateLimits(enabled=False),
            response_cache_entries=0,
        )
    )
    rounds = 10 if quick else 40
    try:
        await load_catalog(services, ROOT / "catalog")
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            assets = 0
            for asset in ("/static/css/portal.css", "/static/favicon.svg"):
                assets += len((await client.get(asset)).content)
            for name, path in PAGES.items():
                first = await client.get(path)
                assert first.status_code == 200, path
                body = api_body(first.text)
                answer = await client.post("/graphql", json=body)
                assert "errors" not in answer.json(), answer.text[:300]
                page_ms, query_ms = [], []
                for _ in range(rounds):  # interleaved, so both see the same machine load
                    started = time.perf_counter()
                    await client.get(path)
                    page_ms.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    await client.post("/graphql", json=body)
                    query_ms.append((time.perf_counter() - started) * 1000)
                page_p50 = statistics.median(page_ms)
                query_p50 = statistics.median(query_ms)
                ratio = page_p50 / query_p50 if query_p50 else 0.0
                yield {
                    "figure": f"{name}_page",
                    "path": path,
                    "page_p50_ms": round(page_p50, 2),
                    "graphql_p50_ms": round(query_p50, 2),
                    "ratio": round(ratio, 2),
                    "target": TARGET_RATIO,
                    "met": ratio <= TARGET_RATIO,
                    "html_bytes": len(first.content),
                    "graphql_bytes": len(answer.content),
                    "transferred_bytes": len(first.content) + assets,
                    "rounds": rounds,
                }
    finally:
        await services.close()
