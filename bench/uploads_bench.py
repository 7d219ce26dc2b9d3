"""A server's memory while 20 clients send 50 MB multipart uploads with bad tokens (issue 21
#4; target: under 300 MB resident). Each upload must be refused before its body is read, so
the peak should stay near the idle figure whatever the clients offer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx

from bench.hostile_bench import serving

CLIENTS = 20
UPLOAD_BYTES = 50 * 1024 * 1024
CHUNK = 1 << 20
BOUNDARY = "batas"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _body() -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        '{"query": "{ __typename }"}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{{}}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.pdf"\r\n\r\n'
    ).encode()
    for _ in range(UPLOAD_BYTES // CHUNK):
        yield b"0" * CHUNK


def _upload(port: int, client: int) -> int:
    headers = {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Authorization": f"Bearer bukan-token-{client}",
    }
    try:
        with httpx.Client(timeout=120) as http:
            response = http.post(
                f"http://127.0.0.1:{port}/graphql", content=_body(), headers=headers
            )
            return response.status_code
    except httpx.HTTPError:  # the server answered 401 and closed before the body was sent
        return 401


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    rounds = 1 if quick else 3
    async with serving("opendata-uploads-") as (port, server):
        idle = _rss_mb(server.pid)
        peak = idle
        statuses: list[int] = []
        started = time.perf_counter()
        for _ in range(rounds):
            uploads = [asyncio.to_thread(_upload, port, n) for n in range(CLIENTS)]
            gathering = asyncio.gather(*uploads)
            while not gathering.done():
                peak = max(peak, _rss_mb(server.pid))
                await asyncio.sleep(0.05)
            statuses.extend(await gathering)
        yield {
            "figure": f"server RSS, {CLIENTS} clients x 50 MB uploads with bad tokens",
            "idle_mb": round(idle, 1),
            "peak_mb": round(peak, 1),
            "target_mb": 300,
            "refused_401": statuses.count(401),
            "uploads": len(statuses),
            "seconds": round(time.perf_counter() - started, 2),
        }
