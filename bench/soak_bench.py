"""Soak: two servers on one PostgreSQL database under ~30 clients of mixed traffic, bounded
in time. Reports, minute by minute, the requests answered, the errors, and each server's
resident memory (RSS), and at the end the growth after warm-up (the first minute, when
caches and pools fill) and the asyncpg "never retrieved" warnings each server logged.

The traffic varies the query text on purpose (page sizes, search words with typos, slugs):
caches keyed by query text must stay bounded. Reads, searches, CSV downloads, filings by
requesters and answers by an officer, as the issue's soak did.

`python bench/run.py soak [--quick]`: 6 minutes (1 with --quick); OPENDATA_SOAK_SECONDS
overrides. Diagnostics: OPENDATA_TRACEMALLOC=N makes each server log a memory probe every
OPENDATA_PROBE_SECONDS (see bench/memory_probe.py; the last one is reported), and
OPENDATA_SOAK_SERVER0_ENV="MALLOC_ARENA_MAX=2" (or SERVER1) sets variables for one server.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.graphql_bench import ROOT
from bench.load import free_port, stop_server, wait_for_port
from bench.scratch_database import scratch_database

SCRATCH = ROOT / "bench" / ".scratch" / "soak"
CLIENTS = 30
REQUESTERS = 20
SEED = 20261128
# The slope of RSS is measured after these minutes (caches and pools fill while they run).
WARM_UP_MINUTES = 2
PROBE = "MEMPROBE "
WORDS = (
    "kesehatan", "sekolah", "jalan", "anggaran", "penduduk", "bencana", "banjir", "imunisasi",
    "kemiskinan", "umkm", "sampah", "udara", "puskesmas", "jembatan", "desa", "kecamatan",
    "budget", "health", "roads", "poverty",
)  # fmt: skip
DATASET = """query($slug: String!) { dataset(slug: $slug) { title access
  resources { id name fields { name withheld } rows(first: %d) { totalCount edges { node } } } } }"""
SEARCH = """query($q: String!) { datasets(query: $q, first: %d) { totalCount
  edges { highlight node { slug title } } facets { agency { value count } } } }"""
AGENCIES = "{ agencies(first: 20) { totalCount edges { node { slug name } } } }"
REGISTER = "{ informationRequests(first: 10) { totalCount edges { node { registrationNumber } } } }"
FILE = """mutation($i: FileRequestInput!) { fileInformationRequest(input: $i) {
  id registrationNumber } }"""
ANSWER = """mutation($i: AnswerRequestInput!) { answerInformationRequest(input: $i) { status } }"""


async def start_server(
    data_dir: Path, port: int, url: str, log: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """bench/bench_app.py on `port` over the shared database, its output kept in `log`."""
    command = [sys.executable, str(ROOT / "bench" / "bench_app.py"), "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--database-url", url]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(extra_env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    await wait_for_port(port)
    return process


def _slope(values: list[float]) -> float | None:
    """Least-squares MB per minute of one server's per-minute RSS (None under 3 minutes)."""
    if len(values) < 3:
        return None
    mean_x, mean_y = (len(values) - 1) / 2, sum(values) / len(values)
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return round(num / sum((x - mean_x) ** 2 for x in range(len(values))), 2)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


@dataclass
class Minute:
    requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)


@dataclass
class World:
    slugs: list[str]
    resource_ids: list[str]
    requester_tokens: list[str]
    officer_token: str
    agency: str
    filed: list[str] = field(default_factory=list)


async def _prepare(url: str, data_dir: Path) -> World:
    from sqlalchemy import select

    from opendata.accounts.service import create_user
    from opendata.catalogue.loader import load_catalog
    from opendata.config import Settings
    from opendata.db.models import Dataset, Resource
    from opendata.public_ids import to_global_id
    from opendata.services import open_services

    services = await open_services(Settings(data_dir=data_dir, database_url=url))
    try:
        await load_catalog(services, services.settings.demo_catalog)
        async with services.database.session() as session:
            slugs = list(await session.scalars(select(Dataset.slug).order_by(Dataset.slug)))
            resources = list(await session.scalars(select(Resource.id).order_by(Resource.id)))
        officer = await create_user(
            services.database, email="ppid@soak.example", name="PPID", role="OFFICER",
            agency_slug="dinkes",
        )  # fmt: skip
        tokens = [
            (
                await create_user(
                    services.database,
                    email=f"warga{n}@soak.example",
                    name=f"Warga {n}",
                    role="REQUESTER",
                )
            ).token
            for n in range(REQUESTERS)
        ]
    finally:
        await services.close()
    return World(
        slugs=slugs,
        resource_ids=[to_global_id("Resource", r) for r in resources],
        requester_tokens=tokens,
        officer_token=officer.token,
        agency="dinkes",
    )


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or rng.random() < 0.6:
        return word
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


async def _one_request(
    client: httpx.AsyncClient, world: World, rng: random.Random
) -> tuple[str, int, Any]:
    """(kind, status, decoded body or None) of one randomly chosen request."""
    roll = rng.random()
    headers: dict[str, str] = {}
    if roll < 0.35:
        kind, query = "read", DATASET % rng.randint(1, 60)
        variables: dict[str, Any] = {"slug": rng.choice(world.slugs)}
    elif roll < 0.65:
        words = [_typo(rng.choice(WORDS), rng) for _ in range(rng.randint(1, 2))]
        kind, query, variables = "search", SEARCH % rng.randint(5, 25), {"q": " ".join(words)}
    elif roll < 0.75:
        resource = rng.choice(world.resource_ids)
        response = await client.get(f"/download/{resource}.csv")
        return "download", response.status_code, None
    elif roll < 0.85:
        kind, query = "file", FILE
        variables = {
            "i": {
                "agency": world.agency,
                "informationRequested": f"Data kasus {rng.randint(1, 10**6)}",
                "purpose": "Penelitian",
                "deliveryForm": "SOFT_COPY",
                # Pasal 22(3): the requester's address is recorded
                "requester": {"name": "Warga", "address": "Jl. Uji 1"},
            }
        }
        headers["Authorization"] = f"Bearer {rng.choice(world.requester_tokens)}"
    elif roll < 0.92 and world.filed:
        kind, query = "answer", ANSWER
        request_id = world.filed.pop()
        variables = {"i": {"id": request_id, "decision": "GRANTED", "answer": "Terlampir."}}
        headers["Authorization"] = f"Bearer {world.officer_token}"
    else:
        kind, query, variables = "list", rng.choice((AGENCIES, REGISTER)), {}
    if kind in ("read", "search", "list") and rng.random() < 0.5:
        params = {"query": query, "variables": json.dumps(variables)}
        response = await client.get("/graphql", params=params, headers=headers)
    else:
        body = {"query": query, "variables": variables}
        response = await client.post("/graphql", json=body, headers=headers)
    decoded = response.json() if response.status_code == 200 else None
    if kind == "file" and decoded and decoded.get("data"):
        world.filed.append(decoded["data"]["fileInformationRequest"]["id"])
    return kind, response.status_code, decoded


async def _client(
    ports: list[int], world: World, seed: int, until: float, minutes: list[Minute], began: float
) -> None:
    rng = random.Random(seed)
    port = ports[seed % len(ports)]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        while time.monotonic() < until:
            try:
                kind, status, body = await _one_request(client, world, rng)
            except httpx.HTTPError as error:
                kind, status, body = "transport", 0, {"errors": [{"message": type(error).__name__}]}
            minute = minutes[min(len(minutes) - 1, int((time.monotonic() - began) // 60))]
            minute.requests += 1
            if status not in (200, 304):
                outcome = f"{kind}:{status}"
            elif body and body.get("errors"):
                codes = {e.get("extensions", {}).get("code", "?") for e in body["errors"]}
                outcome = f"{kind}:{','.join(sorted(codes))}"
            else:
                continue
            # the demo withholds some datasets whole: refusing their rows is the right answer
            expected = outcome in ("read:FORBIDDEN", "download:403")
            (minute.refusals if expected else minute.errors)[outcome] += 1


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    seconds = float(os.environ.get("OPENDATA_SOAK_SECONDS", 60 if quick else 360))
    async with scratch_database("opendata_bench_soak") as url:
        shutil.rmtree(SCRATCH, ignore_errors=True)
        world = await _prepare(url, SCRATCH / "prepare")
        ports = [free_port(), free_port()]
        # e.g. OPENDATA_SOAK_SERVER0_ENV="MALLOC_ARENA_MAX=2": variables for one server only, the
        # other one a reference under the same load (fragmentation or growth?)
        server_env = [
            dict(
                item.split("=", 1)
                for item in os.environ.get(f"OPENDATA_SOAK_SERVER{n}_ENV", "").split()
            )
            for n in range(len(ports))
        ]
        logs = [SCRATCH / f"server-{n}.log" for n in range(len(ports))]
        servers = [
            await start_server(SCRATCH / f"server-{n}", port, url, logs[n], server_env[n])
            for n, port in enumerate(ports)
        ]
        try:
            count = max(1, int(seconds // 60))
            minutes = [Minute() for _ in range(count)]
            began = time.monotonic()
            until = began + seconds
            clients = [
                asyncio.create_task(_client(ports, world, SEED + n, until, minutes, began))
                for n in range(CLIENTS)
            ]
            rss: list[list[float]] = []
            for index in range(count):
                await asyncio.sleep(max(0.0, began + 60 * (index + 1) - time.monotonic()))
                rss.append([rss_mb(server.pid) for server in servers])
                minute = minutes[index]
                yield {
                    "figure": "soak_minute",
                    "minute": index + 1,
                    "requests": minute.requests,
                    "rps": round(minute.requests / 60, 1),
                    "errors": sum(minute.errors.values()),
                    "error_kinds": dict(minute.errors),
                    "withheld_refusals": sum(minute.refusals.values()),
                    "rss_mb": rss[-1],
                    "load_average": round(os.getloadavg()[0], 2),
                }
            await asyncio.gather(*clients)
            idle_began = time.monotonic()
            await asyncio.sleep(10)
            idle = [rss_mb(server.pid) for server in servers]
        finally:
            for server in servers:
                stop_server(server)
        warm = rss[0]
        growth = [round(rss[-1][n] - warm[n], 1) for n in range(len(servers))]
        unretrieved = [log.read_text(errors="replace").count("never retrieved") for log in logs]
        per_minute_after_warmup = [
            round(g / max(1, count - 1), 2) for g in growth
        ]  # the issue saw ~10 MB a minute
        slope = [
            _slope([minute[n] for minute in rss[WARM_UP_MINUTES - 1 :]])
            for n in range(len(servers))
        ]
        yield {
            "figure": "soak_summary",
            "seconds": seconds,
            "clients": CLIENTS,
            "servers": len(servers),
            "server_env": server_env,
            "requests": sum(m.requests for m in minutes),
            "errors": sum(sum(m.errors.values()) for m in minutes),
            "rss_after_warmup_mb": warm,
            "rss_at_end_mb": rss[-1],
            "rss_after_10s_idle_mb": idle,
            "growth_after_warmup_mb": growth,
            "growth_mb_per_minute": per_minute_after_warmup,
            f"rss_slope_mb_per_minute_after_{WARM_UP_MINUTES}_minutes": slope,
            "idle_seconds": round(time.monotonic() - idle_began, 1),
            "asyncpg_never_retrieved": unretrieved,
            "met": all(g <= 2.0 for g in per_minute_after_warmup) and not any(unretrieved),
        }
        for n, log in enumerate(logs):  # the last probe of each server (OPENDATA_TRACEMALLOC)
            probes = [
                line for line in log.read_text(errors="replace").splitlines() if PROBE in line
            ]
            if probes:
                yield {
                    "figure": "soak_probe",
                    "server": n,
                    **json.loads(probes[-1].split(PROBE, 1)[1]),
                }
