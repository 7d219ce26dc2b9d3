"""The costliest allowed query on a large table, and `/healthz` while four of them run.

The query is as many aliased `rows(where: {kecamatan: {contains: ...}}) { totalCount }` as
the cost limit allows (each one scans the whole table). It must finish within the statement
timeout (OPENDATA_STATEMENT_TIMEOUT_MS, 5 s by default), answered or refused with
STATEMENT_TIMEOUT, never a 500; `/healthz` must answer in under 100 ms while four run.
SQLite (the default database); 1,000,000 rows, --quick 100,000.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from bench.hostile_bench import _probe, _summary, serving
from bench.rows_bench import write_catalogue

MAX_ALIASES = 30


def scans(resource: str, count: int) -> str:
    fields = " ".join(
        f'a{n}: rows(where: {{kecamatan: {{contains: "Kecamatan {n}"}}}}) {{ totalCount }}'
        for n in range(count)
    )
    return f'{{ node(id: "{resource}") {{ ... on Resource {{ {fields} }} }} }}'


async def post(client: httpx.AsyncClient, query: str) -> tuple[int, Any, float]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query})
    return response.status_code, response.json(), time.perf_counter() - started


async def costliest(client: httpx.AsyncClient, resource: str) -> tuple[str, int]:
    """The query with the most scans the cost limit allows, and its cost."""
    _, body, _ = await post(client, scans(resource, 1))
    one = body["extensions"]["cost"]["requested"]
    limit = body["extensions"]["cost"].get("limit", 50_000)
    count = max(1, min(MAX_ALIASES, limit // max(1, one)))
    while count > 1:
        _, body, _ = await post(client, scans(resource, count))
        if "errors" not in body or body["errors"][0]["extensions"]["code"] != "QUERY_TOO_COMPLEX":
            break
        count -= 1
    return scans(resource, count), count


def outcome(status: int, body: Any) -> str:
    if status >= 500:
        return f"HTTP {status}"
    if "errors" in body:
        return str(body["errors"][0]["extensions"]["code"])
    return "answered"


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    rows = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="opendata-costly-") as scratch:
        catalogue = write_catalogue(Path(scratch) / "catalogue", rows)
        async with (
            serving("opendata-costly-", catalogue) as (port, _),
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client,
        ):
            listing = await post(client, '{ dataset(slug: "registri-besar") { resources { id } } }')
            resource = listing[1]["data"]["dataset"]["resources"][0]["id"]
            query, count = await costliest(client, resource)
            status, body, seconds = await post(client, query)
            yield {
                "figure": "costliest allowed query, alone",
                "rows": rows,
                "scans": count,
                "cost": body.get("extensions", {}).get("cost", {}).get("requested"),
                "seconds": round(seconds, 2),
                "outcome": outcome(status, body),
            }
            yield {
                "figure": "healthz latency, idle (reference)",
                **_summary(await _probe(client, 50, 0.01)),
            }
            running = [asyncio.create_task(post(client, query)) for _ in range(4)]
            await asyncio.sleep(0.05)
            latencies: list[float] = []
            while not all(task.done() for task in running):
                latencies.extend(await _probe(client, 1, 0.01))
            answers = [task.result() for task in running]
            yield {"figure": "healthz latency while four run", "rows": rows, **_summary(latencies)}
            yield {
                "figure": "four costliest queries at once",
                "slowest_seconds": round(max(a[2] for a in answers), 2),
                "outcomes": sorted(outcome(a[0], a[1]) for a in answers),
            }
