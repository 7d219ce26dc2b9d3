"""How long `/healthz` waits while clients send hostile GraphQL documents.

The reference is the same probe on the same server, idle, in the same run. Hostile clients
send, each time with a new text so that no cache helps: fragment bombs (2**k fields once
expanded), documents of ~3,900 fields (a long validation), and bodies near the size limit
full of small values. A figure close to the reference means nothing a client sends holds the
event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from bench.load import free_port, stop_server, wait_for_port

ROOT = Path(__file__).resolve().parent.parent


def _bodies(kinds: str) -> itertools.cycle[Any]:
    counter = itertools.count()

    def bomb() -> dict[str, Any]:
        n = next(counter)
        levels = 40
        spreads = " ".join(
            f"fragment B{n}x{i} on Query {{ ...B{n}x{i + 1} ...B{n}x{i + 1} }}"
            for i in range(levels)
        )
        query = f"query {{ ...B{n}x0 }} {spreads} fragment B{n}x{levels} on Query {{ __typename }}"
        return {"query": query}

    def wide() -> dict[str, Any]:
        return {"query": f"{{ a{next(counter)}: __typename " + "__typename " * 3800 + "}"}

    def large() -> dict[str, Any]:
        query = f"query($v: JSON) {{ __typename t{next(counter)}: __typename }}"
        return {"query": query, "variables": {"v": [[0]] * 40_000}}

    def ordinary() -> dict[str, Any]:
        return {"query": f"{{ agencies(first: {1 + next(counter) % 50}) {{ totalCount }} }}"}

    known = {"bomb": bomb, "wide": wide, "large": large, "ordinary": ordinary}
    return itertools.cycle([known[name] for name in kinds.split(",")])


CLIENTS = 4


def _attack(port: int, kinds: str, stop: Any, answered: Any) -> None:
    """One client (in its own process) sending `kinds` of bodies until `stop` is set."""
    bodies = _bodies(kinds)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        while not stop.is_set():
            response = client.post("/graphql", json=next(bodies)())
            assert response.status_code in (200, 400), response.text[:200]
            with answered.get_lock():
                answered.value += 1


async def _probe(client: httpx.AsyncClient, count: int, pause: float) -> list[float]:
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get("/healthz")
        response.raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(pause)
    return latencies


def _summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "max_ms": round(ordered[-1], 2),
        "probes": len(ordered),
    }


# The ordinary load is the reference for what any four busy clients cost on this machine.
LOADS = (
    ("ordinary queries (reference)", "ordinary"),
    ("hostile documents", os.environ.get("HOSTILE_KINDS", "bomb,wide,large")),
)


async def _under_load(
    client: httpx.AsyncClient, port: int, probes: int, label: str, kinds: str
) -> dict[str, object]:
    # The clients run in their own processes: their work must not delay the probe's loop.
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    answered = context.Value("i", 0)
    clients = [
        context.Process(target=_attack, args=(port, kinds, stop, answered), daemon=True)
        for _ in range(CLIENTS)
    ]
    for process in clients:
        process.start()
    await asyncio.sleep(1.0)
    started = time.perf_counter()
    before = answered.value
    latencies = await _probe(client, probes, 0.005)
    elapsed = time.perf_counter() - started
    done = answered.value - before
    stop.set()
    for process in clients:
        process.join(timeout=60)
    return {
        "figure": f"healthz latency, {CLIENTS} clients sending {label}",
        **_summary(latencies),
        "their_answers_per_s": round(done / elapsed, 1),
    }


@contextlib.asynccontextmanager
async def serving(
    prefix: str, catalogue: Path | None = None
) -> AsyncIterator[tuple[int, subprocess.Popen[bytes]]]:
    """A server on an empty catalogue (or `catalogue`, loaded first), no rate limits, on a
    free port: (port, process)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        port = free_port()
        command = [sys.executable, "-m", "opendata.cli", "serve", "--no-demo", "--port", str(port)]
        env = {**os.environ, "OPENDATA_DATA_DIR": scratch, "OPENDATA_RATE_LIMITS": "off"}
        if catalogue is not None:
            load = [sys.executable, "-m", "opendata.cli", "catalog", "load", str(catalogue)]
            subprocess.run(load, cwd=ROOT, env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            await wait_for_port(port, timeout=120)  # startup migrates: slow on a busy machine
            yield port, server
        finally:
            stop_server(server)


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    probes = 100 if quick else 400
    async with (
        serving("opendata-hostile-") as (port, _),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client,
    ):
        await _probe(client, 10, 0.005)  # warm up
        yield {
            "figure": "healthz latency, idle (reference)",
            **_summary(await _probe(client, probes, 0.005)),
        }
        for label, kinds in LOADS:
            yield await _under_load(client, port, probes, label, kinds)
