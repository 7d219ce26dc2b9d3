"""The anatomy of a request (issue 26): opendata beside a plain endpoint, in one run.

One uvicorn server (bench/plain_app.py: the app plus plain Starlette endpoints running the
same SQL straight on asyncpg/aiosqlite) per database; each case is measured one request at
a time, p50 and p95, taking turns with its reference (ROUNDS rounds each), and their ratio:

- GraphQL `{ __typename }` beside `/healthz`;
- a repeated (cached) `dataset(slug:)` query, and the same uncached, beside the plain one;
- `rows(first: 100)`, the `/dataset/<slug>` page and CKAN `package_show`, uncached;
- statements and connection checkouts per request (SQLAlchemy events in the server);
- the `/dataset/<slug>` page again on the cached server, as an anonymous visitor gets it
  from the page cache;
- the mixed read load of 50 clients (dataset page, search page, rows, GraphQL dataset):
  requests per second, p95, errors; on the uncached server (every response cache off) and
  on the cached one (as deployed).

`--quick` measures SQLite only, with fewer requests (a smoke test that it completes).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.graphql_bench import DATASET_QUERY
from bench.load import (
    LoadResult,
    build_request,
    free_port,
    run_load,
    stop_server,
    wait_for_port,
)
from bench.scratch_database import PG_SERVER
from bench.scratch_database import fresh_database as _fresh_database

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "anatomy"
SLUG = "kasus-dbd-per-kecamatan"

ROWS_QUERY = """query($slug: String!) { dataset(slug: $slug) {
  resources { rows(first: 100) { totalCount edges { node } } } } }"""


def graphql(query: str, variables: dict[str, Any] | None = None) -> bytes:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    return build_request("POST", "/graphql", body, {"Content-Type": "application/json"})


def get(path: str) -> bytes:
    return build_request("GET", path)


CKAN_SHOW = get(f"/api/3/action/package_show?{urllib.parse.urlencode({'id': SLUG})}")
# (figure, opendata request, reference request, server: cached or not)
PAIRS: list[tuple[str, bytes, bytes, bool]] = [
    ("graphql_typename_vs_healthz", graphql("{ __typename }"), get("/healthz"), True),
    (
        "dataset_cached_vs_plain",
        graphql(DATASET_QUERY, {"slug": SLUG}),
        get(f"/plain/dataset/{SLUG}"),
        True,
    ),
    (
        "dataset_uncached_vs_plain",
        graphql(DATASET_QUERY, {"slug": SLUG}),
        get(f"/plain/dataset/{SLUG}"),
        False,
    ),
    (
        "rows_first_100_vs_plain",
        graphql(ROWS_QUERY, {"slug": SLUG}),
        get(f"/plain/rows/{SLUG}"),
        False,
    ),
    ("dataset_page_vs_plain", get(f"/dataset/{SLUG}"), get(f"/plain/page/{SLUG}"), False),
    ("ckan_package_show_vs_plain", CKAN_SHOW, get(f"/plain/dataset/{SLUG}"), False),
    # the page as an anonymous visitor gets it from the page cache (portal/page_cache.py)
    ("dataset_page_cached_vs_plain", get(f"/dataset/{SLUG}"), get(f"/plain/page/{SLUG}"), True),
]
MIXED = [
    get(f"/dataset/{SLUG}"),
    get("/cari?q=demam+berdarah"),
    graphql(ROWS_QUERY, {"slug": SLUG}),
    graphql(DATASET_QUERY, {"slug": SLUG}),
]


async def _statements(port: int) -> dict[str, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(build_request("GET", "/plain/statements", headers={"Connection": "close"}))
    raw = await reader.read()
    writer.close()
    return dict(json.loads(raw.split(b"\r\n\r\n", 1)[1]))


ROUNDS = 8
"""Each case and its reference take turns, this many rounds each: a slower spell of the
machine (a neighbour's job, another service waking) falls on both, not on whichever ran
during it, so their ratio holds from one run to the next."""


async def _serial(port: int, request: bytes, total: int) -> LoadResult:
    result = await run_load(port, request, concurrency=1, total=total, max_seconds=60)
    bad = {status: n for status, n in result.statuses.items() if status != 200}
    if bad:
        raise RuntimeError(f"non-200 answers during the benchmark: {bad}")
    return result


def _figures(runs: list[LoadResult]) -> dict[str, Any]:
    latencies = [ms for run in runs for ms in run.latencies_ms]
    pooled = LoadResult(len(latencies), sum(r.seconds for r in runs), latencies, {})
    return {
        "requests": pooled.requests,  # fewer than asked when the time bound stopped a round
        "p50_ms": round(pooled.percentile(0.5), 3),
        "p95_ms": round(pooled.percentile(0.95), 3),
    }


async def _side_by_side(
    port: int, request: bytes, reference: bytes, total: int
) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    """The case and its reference in turns (ROUNDS each, the first to go alternating), and
    the app's statements and checkouts during the case's turns."""
    ours: list[LoadResult] = []
    plain: list[LoadResult] = []
    counted = {"statements": 0, "checkouts": 0}
    each = max(1, total // ROUNDS)
    for turn in range(ROUNDS):
        for which in (0, 1) if turn % 2 == 0 else (1, 0):
            if which == 1:
                plain.append(await _serial(port, reference, each))
                continue
            before = await _statements(port)
            ours.append(await _serial(port, request, each))
            after = await _statements(port)
            for name in counted:
                counted[name] += after[name] - before[name]
    return _figures(ours), _figures(plain), counted


async def _start(data_dir: Path, url: str, cached: bool) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "plain_app.py"), "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--database-url", url]
    command += [] if cached else ["--no-cache"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    await wait_for_port(port, timeout=60)
    return process, port


async def _prepare(data_dir: Path, url: str) -> None:
    from opendata.catalogue.loader import load_catalog
    from opendata.config import Settings
    from opendata.services import open_services

    services = await open_services(Settings(data_dir=data_dir, database_url=url))
    try:
        await load_catalog(services, ROOT / "catalog")
    finally:
        await services.close()


async def _drop(name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def _one_database(
    database: str, url: str, data_dir: Path, quick: bool
) -> AsyncIterator[dict[str, Any]]:
    total = 60 if quick else 400
    for cached in (True, False):
        server, port = await _start(data_dir, url, cached)
        try:
            for figure, request, reference, wants_cache in PAIRS:
                if wants_cache != cached:
                    continue
                await _serial(port, request, 20)  # warm: documents, caches, pool
                await _serial(port, reference, 20)
                ours, plain, counted = await _side_by_side(port, request, reference, total)
                yield {
                    "figure": figure,
                    "database": database,
                    "opendata": ours,
                    "reference": plain,
                    "ratio_p50": round(ours["p50_ms"] / plain["p50_ms"], 2),
                    "statements_per_request": round(counted["statements"] / ours["requests"], 1),
                    "checkouts_per_request": round(counted["checkouts"] / ours["requests"], 1),
                }
            # the mixed load on both servers: every cache off, then as deployed (caches on)
            seconds = 5.0 if quick else 20.0
            result = await run_load(port, MIXED, concurrency=50, total=10**9, max_seconds=seconds)
            errors = sum(n for status, n in result.statuses.items() if status != 200)
            yield {
                "figure": "mixed_read_load_50_clients" + ("_cached" if cached else ""),
                "database": database,
                "rps": round(result.rps, 1),
                "p50_ms": round(result.percentile(0.5), 1),
                "p95_ms": round(result.percentile(0.95), 1),
                "errors": errors,
                "requests": result.requests,
            }
        finally:
            stop_server(server)


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    started = time.strftime("%Y-%m-%d")
    data_dir = SCRATCH / "sqlite"
    await _prepare(data_dir, "")
    async for figure in _one_database("sqlite", "", data_dir, quick):
        yield {"date": started, **figure}
    if quick:
        return
    name = f"bench_anatomy_{os.getpid()}"
    url = await _fresh_database(name)
    try:
        await _prepare(SCRATCH / "postgres", url)
        async for figure in _one_database("postgresql", url, SCRATCH / "postgres", quick):
            yield {"date": started, **figure}
    finally:
        await _drop(name)


if __name__ == "__main__":

    async def _main() -> None:
        async for figure in run("--quick" in sys.argv):
            print(json.dumps(figure), flush=True)

    asyncio.run(_main())
