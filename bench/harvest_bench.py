"""The harvesting doors on the demo catalogue, in process, beside GraphQL in the same run.

Reference: the GraphQL `datasets` query a harvester would write for the same page (uncached:
sent with a bearer token). Figures: CKAN `package_search` for the same page, DCAT
`/catalog.ttl` built (first request of a fresh app) and served from its cache, the datasets
feed, and `datastore_search` on the largest resource as a plain page and with `q` (a scan).
Median of N requests each, milliseconds.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.config import DEMO_CATALOG, RateLimits, Settings
from opendata.services import Services, open_services

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "harvest"
GRAPHQL_PAGE = """{ datasets(first: 100) { totalCount edges { node { slug title description
  keywords topics license modified agency { slug name } access
  resources { id name format downloadUrl } exemptions { basis scope target } } } } }"""


def _client(services: Services) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(services))
    return httpx.AsyncClient(transport=transport, base_url="http://bench")


async def _median_ms(rounds: int, call: Callable[[], Awaitable[httpx.Response]]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = await call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:300]
    return round(statistics.median(times), 1)


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    rounds = 5 if quick else 20
    shutil.rmtree(SCRATCH, ignore_errors=True)
    settings = Settings(data_dir=SCRATCH, rate_limits=RateLimits(enabled=False))
    services = await open_services(settings)
    try:
        summary = await load_catalog(services, DEMO_CATALOG)
        assert summary.ok
        token = (
            await create_user(
                services.database, email="bench@kab.test", name="bench", role="REQUESTER"
            )
        ).token
        async with _client(services) as client:
            reference = await _median_ms(
                rounds,
                lambda: client.post(
                    "/graphql",
                    json={"query": GRAPHQL_PAGE},
                    headers={"Authorization": f"Bearer {token}"},
                ),
            )
            yield {"metric": "graphql_datasets_page_ms (reference)", "value": reference}
            figures = {
                "ckan_package_search_rows100_ms": "/api/3/action/package_search?rows=100",
                "catalog_ttl_cached_ms": "/catalog.ttl",
                "feed_datasets_ms": "/feeds/datasets.atom",
            }
            for metric, path in figures.items():
                value = await _median_ms(rounds, lambda path=path: client.get(path))  # type: ignore[misc]
                yield {
                    "metric": metric,
                    "value": value,
                    "ratio_to_reference": round(value / reference, 2),
                }
            # the largest resource published as rows (the TBC register is aggregates only now)
            largest = (await client.get("/api/3/action/package_show?id=laporan-rt-online")).json()[
                "result"
            ]["resources"][0]["id"]
            for metric, extra in (("datastore_page_ms", ""), ("datastore_q_scan_ms", "&q=sampah")):
                path = f"/api/3/action/datastore_search?resource_id={largest}&limit=100{extra}"
                value = await _median_ms(rounds, lambda path=path: client.get(path))  # type: ignore[misc]
                yield {
                    "metric": metric,
                    "value": value,
                    "ratio_to_reference": round(value / reference, 2),
                }

        async def cold_catalog() -> httpx.Response:
            async with _client(services) as fresh:  # a new app: an empty document cache
                return await fresh.get("/catalog.ttl")

        value = await _median_ms(max(3, rounds // 4), cold_catalog)
        yield {
            "metric": "catalog_ttl_built_ms",
            "value": value,
            "ratio_to_reference": round(value / reference, 2),
        }
    finally:
        await services.close()
        shutil.rmtree(SCRATCH, ignore_errors=True)
