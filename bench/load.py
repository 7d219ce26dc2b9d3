"""A small HTTP/1.1 keep-alive load generator for loopback, bounded in count and time.

Plain asyncio streams rather than an HTTP client library, so the generator stays well below
the server's cost and the ratios measure the server.
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def summary(self) -> dict[str, float]:
        return {
            "requests": self.requests,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 3),
            "p95_ms": round(self.percentile(0.95), 3),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 3) if self.latencies_ms else 0,
        }


def build_request(
    method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n"):
        lower = line.lower()
        if lower.startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
        elif lower.startswith(b"transfer-encoding:") and b"chunked" in lower:
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def run_load(
    port: int, request: bytes | list[bytes], *, concurrency: int, total: int, max_seconds: float
) -> LoadResult:
    """Send `total` requests over `concurrency` connections, stopping at `max_seconds`.

    With a list, connection i sends `request[i % len(request)]` (e.g. one token each)."""
    requests = request if isinstance(request, list) else [request]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    remaining = total
    deadline = time.perf_counter() + max_seconds

    async def worker(index: int) -> None:
        nonlocal remaining
        payload = requests[index % len(requests)]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                started = time.perf_counter()
                writer.write(payload)
                status = await _read_response(reader)
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(index) for index in range(concurrency)))
    return LoadResult(len(latencies), time.perf_counter() - started, latencies, statuses)


def free_port() -> int:
    """A port no one listens on now: fixed ports collide with other servers on a shared
    machine (another checkout's benchmark answered 404 to this one's requests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.1)


# the server's own graceful shutdown lasts at most 30 s (`opendata serve`); under load the
# requests still running may take a while to finish, so wait past it before a SIGKILL
STOP_SECONDS = 45


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then wait for the graceful shutdown; SIGKILL only if it outlasts its limit."""
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
