"""HSTS when the public address is https and Referrer-Policy always; `serve --workers 2`
answers from two processes; `--log-format json` writes one JSON object per line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from opendata.app import create_app
from opendata.services import Services
from tests.conftest import asgi_client
from tests.web.server import free_port


async def test_hsts_only_when_the_public_address_is_https(services: Services) -> None:
    async with asgi_client(create_app(services)) as client:
        plain = await client.get("/healthz")
    assert plain.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in plain.headers
    services.settings = services.settings.with_overrides(public_url="https://data.kuburaya.example")
    async with asgi_client(create_app(services)) as client:
        for path in ("/healthz", "/", "/graphql?query={agencies(first:1){totalCount}}"):
            answer = await client.get(path)
            assert answer.headers["strict-transport-security"] == "max-age=31536000"
            assert answer.headers["referrer-policy"] == "same-origin"


def test_two_workers_and_json_logs(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "opendata.cli", "serve", "--no-demo", "--workers", "2",
             "--port", str(port), "--data-dir", str(tmp_path / "data"), "--log-format", "json"],
            env={**os.environ, "OPENDATA_RATE_LIMITS": "off"},
            stdout=sink,
            stderr=sink,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and log.read_text().count("startup complete") < 2:
                assert server.poll() is None, log.read_text()
                time.sleep(0.5)
            for _ in range(4):
                answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                assert answer.status_code == 200, answer.text
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    access = [json.loads(line) for line in lines if '"opendata.access"' in line]
    assert access and {"time", "request_id", "route", "status", "ms"} <= set(access[0])
    started = [json.loads(line)["message"] for line in lines if "Started server process" in line]
    assert len(started) == 2  # two worker processes
