"""GraphQL overhead: a typical `dataset(slug:)` query through /graphql against a plain
Starlette JSON endpoint serving the same data from the same database, same process, same
concurrency; cached (anonymous) and uncached. Also `rows(first: 1000)` on 20 columns."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import yaml

from bench.load import build_request, free_port, run_load, stop_server, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "graphql"
SLUG = "bench-lima-sumber"

DATASET_QUERY = """query($slug: String!) { dataset(slug: $slug) { id slug title description
  agency { name acronym } topics keywords license category access modified
  resources { id name format fields { name title type withheld } }
  exemptions { basis scope } } }"""


def write_bench_catalog(root: Path, *, rows: int = 50, wide_rows: int = 2000) -> Path:
    """One dataset with five resources of eight fields, one with a 20-column resource."""
    agency = root / "bench"
    agency.mkdir(parents=True, exist_ok=True)
    (agency / "agency.yaml").write_text(yaml.safe_dump({"name": "Instansi Uji", "acronym": "UJI"}))
    fields8 = [
        {"name": f"kolom_{i}", "type": "integer" if i % 2 else "string", "title": f"Kolom {i}"}
        for i in range(8)
    ]
    folder = agency / SLUG
    folder.mkdir(exist_ok=True)
    resources = []
    for r in range(5):
        path = f"sumber_{r}.csv"
        lines = [",".join(f["name"] for f in fields8)]
        lines += [
            ",".join(str(n) if i % 2 else f"teks {n} {i}" for i in range(8)) for n in range(rows)
        ]
        (folder / path).write_text("\n".join(lines) + "\n")
        resources.append(
            {"name": f"sumber-{r}", "path": path, "format": "csv", "schema": {"fields": fields8}}
        )
    descriptor = {
        "name": SLUG,
        "title": "Dataset uji lima sumber",
        "description": "Data sintetis untuk benchmark.",
        "keywords": ["uji"],
        "topics": ["perencanaan"],
        "licenses": [{"name": "CC-BY-4.0"}],
        "category": "PERIODIC",
        "modified": "2026-01-01",
        "resources": resources,
    }
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor))
    wide = agency / "bench-dua-puluh-kolom"
    wide.mkdir(exist_ok=True)
    fields20 = [
        {"name": f"k{i:02d}", "type": ("string", "integer", "number")[i % 3]} for i in range(20)
    ]
    lines = [",".join(f["name"] for f in fields20)]
    for n in range(wide_rows):
        lines.append(
            ",".join(
                f"nilai {n}-{i}" if i % 3 == 0 else (str(n * i) if i % 3 == 1 else f"{n / 7:.3f}")
                for i in range(20)
            )
        )
    (wide / "baris.csv").write_text("\n".join(lines) + "\n")
    (wide / "datapackage.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "bench-dua-puluh-kolom",
                "title": "Dua puluh kolom",
                "category": "PERIODIC",
                "resources": [
                    {
                        "name": "baris",
                        "path": "baris.csv",
                        "format": "csv",
                        "schema": {"fields": fields20},
                    }
                ],
            }
        )
    )
    return root


async def _prepare(data_dir: Path) -> None:
    from opendata.catalogue.loader import load_catalog
    from opendata.config import Settings
    from opendata.services import open_services

    services = await open_services(Settings(data_dir=data_dir))
    try:
        await load_catalog(services, write_bench_catalog(SCRATCH / "catalog"))
    finally:
        await services.close()


async def start_bench_server(data_dir: Path, port: int, *options: str) -> subprocess.Popen[bytes]:
    """bench/bench_app.py in its own process, answering on `port` when this returns."""
    command = [sys.executable, str(ROOT / "bench" / "bench_app.py"), "--port", str(port)]
    command += ["--data-dir", str(data_dir), *options]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    await wait_for_port(port)
    return process


def _graphql_request(query: str, variables: dict[str, object]) -> bytes:
    body = json.dumps({"query": query, "variables": variables}).encode()
    return build_request("POST", "/graphql", body, {"Content-Type": "application/json"})


async def _measure(
    port: int, request: bytes, total: int, seconds: float, concurrency: int
) -> dict[str, float]:
    await run_load(
        port, request, concurrency=concurrency, total=max(50, total // 10), max_seconds=2
    )
    result = await run_load(
        port, request, concurrency=concurrency, total=total, max_seconds=seconds
    )
    bad = {status: n for status, n in result.statuses.items() if status != 200}
    if bad:
        raise RuntimeError(f"non-200 answers during the benchmark: {bad}")
    return result.summary()


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    data_dir = SCRATCH / "data"
    await _prepare(data_dir)
    total, seconds, concurrency = (2000, 5.0, 16) if quick else (20000, 30.0, 32)
    plain = build_request("GET", f"/plain/dataset/{SLUG}")
    graphql = _graphql_request(DATASET_QUERY, {"slug": SLUG})
    port = free_port()
    ratios: dict[str, float] = {}
    for cache in (True, False):
        server = await start_bench_server(data_dir, port, *(() if cache else ("--no-cache",)))
        try:
            base = await _measure(port, plain, total, seconds, concurrency)
            measured = await _measure(port, graphql, total, seconds, concurrency)
        finally:
            stop_server(server)
        label = "cached" if cache else "uncached"
        ratio = measured["rps"] / base["rps"] if base["rps"] else 0.0
        ratios[label] = ratio
        yield {
            "bench": "graphql",
            "figure": f"plain_endpoint_{label}_run",
            "concurrency": concurrency,
            **base,
        }
        yield {
            "bench": "graphql",
            "figure": f"graphql_dataset_{label}",
            "concurrency": concurrency,
            **measured,
        }
        yield {
            "bench": "graphql",
            "figure": f"ratio_{label}",
            "value": round(ratio, 3),
            "target": 0.5 if cache else 0.25,
            "met": ratio >= (0.5 if cache else 0.25),
        }
    async for figure in _large_rows(data_dir, quick):
        yield figure


async def _large_rows(data_dir: Path, quick: bool) -> AsyncIterator[dict[str, object]]:
    """`rows(first: 1000)` over a 20-column resource, in process: time and memory per request."""
    import httpx

    from opendata.app import create_app
    from opendata.config import RateLimits, Settings
    from opendata.services import open_services

    services = await open_services(
        Settings(
            data_dir=data_dir,
            rate_limits=RateLimits(enabled=False),
            response_cache_entries=0,
        )
    )
    query = '{ dataset(slug: "bench-dua-puluh-kolom") { resources { rows(first: 1000) { totalCount edges { cursor node } } } } }'
    try:
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            times, peaks = [], []
            for index in range(5 if quick else 20):
                tracemalloc.start()
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": query})
                elapsed = (time.perf_counter() - started) * 1000
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                edges = response.json()["data"]["dataset"]["resources"][0]["rows"]["edges"]
                assert len(edges) == 1000
                if index:
                    times.append(elapsed)
                    peaks.append(peak / 1e6)
            size = len(response.content)
            untraced = []
            for _ in range(5 if quick else 20):
                started = time.perf_counter()
                await client.post("/graphql", json={"query": query})
                untraced.append((time.perf_counter() - started) * 1000)
    finally:
        await services.close()
    untraced.sort()
    yield {
        "bench": "rows",
        "figure": "rows_first_1000_20_columns",
        "p50_ms": round(untraced[len(untraced) // 2], 1),
        "max_ms": round(untraced[-1], 1),
        "peak_mb_per_request": round(max(peaks), 1),
        "response_bytes": size,
    }


if __name__ == "__main__":

    async def _main() -> None:
        async for figure in run("--quick" in sys.argv):
            print(json.dumps(figure), flush=True)

    asyncio.run(_main())
