"""/readyz follows the database (503 within a second of it refusing connections, 200 again
after), /metrics is Prometheus text, every request has one access line with its request id
and route template (never a token, NIK or e-mail), and repeated errors are limited."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from opendata.app import create_app
from opendata.config import Settings
from opendata.observability.logs import JsonFormatter, RepeatLimit
from opendata.services import Services, open_services
from tests.conftest import DatabaseFactory, asgi_client, require_postgres
from tests.conftest import _server_dsn as server_dsn
from tests.observability.helpers import empty_postgres


class TcpProxy:
    """A TCP proxy to PostgreSQL that can be closed (connections refused) and opened again."""

    def __init__(self, target_port: int = 5432) -> None:
        self.target_port = target_port
        self.server: asyncio.Server | None = None
        self.port = 0
        self.links: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.close()
        await self.server.wait_closed()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.links.update((writer, up_writer))

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.links.difference_update((writer, up_writer))


@pytest.fixture
async def proxied(
    database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[tuple[Services, TcpProxy]]:
    await require_postgres()
    url = await database_factory.url("postgres")
    name = url.rsplit("/", 1)[1]
    proxy = TcpProxy()
    await proxy.open()
    through = server_dsn(name).replace(":5432/", f":{proxy.port}/")
    services = await open_services(Settings(data_dir=tmp_path / "data", database_url=through))
    yield services, proxy
    await services.close()
    if proxy.server is not None and proxy.server.is_serving():
        await proxy.close()


async def _ready(client: httpx.AsyncClient) -> tuple[int, float]:
    started = time.monotonic()
    answer = await client.get("/readyz")
    return answer.status_code, time.monotonic() - started


async def test_readyz_is_503_within_a_second_of_the_database_refusing_and_200_after(
    proxied: tuple[Services, TcpProxy],
) -> None:
    services, proxy = proxied
    app = create_app(services)
    async with asgi_client(app) as client, app.router.lifespan_context(app):
        assert (await client.get("/healthz")).status_code == 200
        status, _ = await _ready(client)
        assert status == 200, (await client.get("/readyz")).text
        await proxy.close()
        status, seconds = await _ready(client)
        assert status == 503 and seconds < 1.0
        body = (await client.get("/readyz")).json()
        assert body["status"] == "not ready" and body["checks"]["database"] != "ok"
        assert (await client.get("/healthz")).status_code == 200  # alive all the same
        await proxy.open()  # the same port: the database is back
        deadline = time.monotonic() + 5
        while (status := (await _ready(client))[0]) != 200 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert status == 200


async def test_readyz_is_503_when_the_database_is_gone(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    """A dropped database (no proxy in between): not ready, and fast."""
    name, url = await empty_postgres(database_factory)
    services = await open_services(Settings(data_dir=tmp_path / "data", database_url=url))
    try:
        app = create_app(services)
        async with asgi_client(app) as client:
            assert (await client.get("/readyz")).json()["checks"]["database"] == "ok"
            await services.database.engine.dispose()
            from tests.conftest import take_away_pg_database

            await take_away_pg_database(database_factory, name)
            status, seconds = await _ready(client)
            assert status == 503 and seconds < 1.0
    finally:
        await services.close()


async def test_readyz_names_a_schema_that_moved(services: Services) -> None:
    from sqlalchemy import text

    app = create_app(services)
    async with asgi_client(app) as client:
        assert (await client.get("/readyz")).json()["checks"]["schema"] == "ok"
        async with services.database.engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        answer = await client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"]["schema"].startswith("at 9999")


async def test_metrics_parse_and_count_requests_by_route_template(services: Services) -> None:
    app = create_app(services)
    async with asgi_client(app) as client:
        for slug in ("satu", "dua", "tiga"):
            await client.get(f"/dataset/{slug}")
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    requests = [
        sample
        for sample in families["opendata_http_requests"].samples
        if sample.name == "opendata_http_requests_total"
    ]
    by_route = {(s.labels["route"], s.labels["status"]): s.value for s in requests}
    assert by_route[("/dataset/{slug:str}", "404")] == 3  # one route, not three paths
    for name in (
        "opendata_http_request_duration_seconds",
        "opendata_outbox_jobs",
        "opendata_reminders_sent",
        "opendata_search_lag_generations",
        "opendata_db_pool_in_use",
    ):
        assert name in families


async def test_one_access_line_per_request_with_its_id_and_no_personal_data(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(services)
    secret = "3201010101010001"  # a NIK-shaped value
    async with asgi_client(app) as client:
        with caplog.at_level(logging.INFO, logger="opendata.access"):
            answer = await client.get(
                f"/cari?q={secret}&email=warga@kubu.example",
                headers={"Authorization": "Bearer sekret-token", "X-Request-Id": "proxy-42"},
            )
            made = await client.get("/healthz")
    assert answer.headers["x-request-id"] == "proxy-42"
    assert len(made.headers["x-request-id"]) == 32  # one made here when the proxy gave none
    lines = [r for r in caplog.records if r.name == "opendata.access"]
    assert len(lines) == 2
    first = lines[0]
    assert (first.request_id, first.method, first.route, first.status) == (  # type: ignore[attr-defined]
        "proxy-42",
        "GET",
        "/cari",
        answer.status_code,
    )
    assert first.ms >= 0  # type: ignore[attr-defined]
    entry = json.loads(JsonFormatter().format(first))
    assert {"time", "request_id", "method", "route", "status", "ms"} <= set(entry)
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for personal in (secret, "warga@kubu.example", "sekret-token"):
        assert personal not in everything


def test_repeated_errors_are_limited_and_summarised() -> None:
    limit = RepeatLimit(window=60, burst=5)

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("opendata.x", logging.ERROR, __file__, 1, message, None, None)

    passed = sum(limit.filter(record("database down")) for _ in range(170))
    assert passed == 5
    assert limit.filter(record("another fault"))  # a different message has its own budget
    limit.window = 0  # the window is over: the next line says how many were left out
    summary = record("database down")
    assert limit.filter(summary) and "165 similar lines left out" in summary.getMessage()
    info = logging.LogRecord("opendata.access", logging.INFO, __file__, 1, "GET", None, None)
    assert all(limit.filter(info) for _ in range(100))  # the access log is never limited
