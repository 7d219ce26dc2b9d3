"""A big resource through the real CLI and server: progress while loading, bad lines named,
and a download the client abandons ends quietly (no socket.send warnings, server serving)."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.catalogue.builders import write_agency
from tests.conftest import (
    DatabaseFactory,
    _server_dsn,
    create_pg_database,
    require_postgres,
    sqlalchemy_url,
)
from tests.web.server import ServerProcess

pytestmark = pytest.mark.slow
ROWS = 100_000


def big_catalogue(root: Path) -> Path:
    write_agency(root, "bapenda", "Badan Pendapatan", "Bapenda")
    folder = root / "bapenda" / "registri"
    folder.mkdir(parents=True)
    descriptor = {
        "name": "registri",
        "title": "Registri (sintetis)",
        "description": "Data sintetis.",
        "category": "PERIODIC",
        "resources": [
            {
                "name": "data",
                "path": "data.csv",
                "schema": {
                    "fields": [
                        {"name": "id", "type": "integer"},
                        {"name": "nama", "type": "string"},
                        {"name": "tanggal", "type": "date"},
                    ]
                },
            }
        ],
    }
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor))
    with (folder / "data.csv").open("w") as handle:
        handle.write("id,nama,tanggal\n")
        for index in range(ROWS):
            handle.write(
                f"{6112000000000000 + index},Warga nomor {index},2024-01-0{index % 9 + 1}\n"
            )
        handle.write("bukan angka,Rusak,2024-01-01\n")
    return root


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
    database_factory: DatabaseFactory,
) -> Iterator[tuple[ServerProcess, str]]:
    root = tmp_path_factory.mktemp("big")
    database = ""
    if request.param == "postgres":
        asyncio.run(require_postgres())
        database = asyncio.run(create_pg_database())
        # dropped with the session's others: a DROP now waits for a checkpoint
        database_factory.created_pg.append(database)
    process = ServerProcess(
        root / "data", sqlalchemy_url(_server_dsn(database)) if database else ""
    )
    loaded = process.run("catalog", "load", "--skip-bad-rows", str(big_catalogue(root / "cat")))
    process.start()
    yield process, loaded.stdout + loaded.stderr
    process.stop()


def test_the_cli_names_the_skipped_line(server: tuple[ServerProcess, str]) -> None:
    # Progress lines come once a second, so whether a load this size prints one depends on
    # the machine: tests/catalogue/test_rows.py checks them with progress_every=0 instead.
    _, output = server
    assert f"line {ROWS + 2}, field 'id'" in output


# XLSX is sent from a finished file, a chunk after another without waiting for the database:
# on PostgreSQL it wrote ~60 "socket.send() raised exception" warnings per abandoned download
# until the stream gave the loop a turn after each chunk (CSV never did, on either backend).
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_an_abandoned_download_ends_quietly_and_the_server_keeps_serving(
    server: tuple[ServerProcess, str], extension: str
) -> None:
    process, _ = server
    body = httpx.post(
        f"{process.url}/graphql",
        json={"query": '{ dataset(slug: "registri") { resources { id } } }'},
        timeout=30,
    ).json()
    resource_id = body["data"]["dataset"]["resources"][0]["id"]
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", process.port), timeout=30) as sock:
            request = f"GET /download/{resource_id}.{extension} HTTP/1.1\r\nHost: t\r\n\r\n"
            sock.sendall(request.encode())
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(2)
    assert httpx.get(f"{process.url}/healthz", timeout=30).status_code == 200
    complete = httpx.get(f"{process.url}/download/{resource_id}.csv", timeout=120)
    assert complete.text.count("\n") == ROWS + 1
    log = (process.data_dir.parent / f"server-{process.port}.log").read_text()
    assert "socket.send() raised exception" not in log
    assert "Traceback" not in log
