"""Apps that push rows at scale (issue 22): 1,000,000 rows pushed and published, both databases.

An app token of the dataset's agency pushes CSV through the real endpoint (the ASGI app in
process, through httpx) as an app would: ten appends of a tenth each, then one replace of
all the rows. Each push is timed end to end, until its answer says the version is published;
the rows are then counted through GraphQL `rows` to check they are there. The reference,
measured in the same run: the same rows, already typed, written into a plain table of the
same columns by COPY (asyncpg `copy_records_to_table`, PostgreSQL) or by executemany in one
transaction (SQLite). Figures: rows/s for the appends together and for the replace, each
beside the reference, the ratio and the issue's target (>= 0.25x); and, apart, the seconds
the outbox then takes to count the replace's change summary (the app does not wait for it).
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import yaml

from bench.rows_bench import SCRATCH as ROWS_SCRATCH
from bench.rows_bench import figure, open_backend
from opendata.app import create_app
from opendata.apps.push_changes import CHANGES_KIND, count_changes_job
from opendata.apps.registry import add_app
from opendata.catalogue.loader import load_catalog
from opendata.outbox.worker import Worker
from opendata.services import Services

SCRATCH = ROWS_SCRATCH.parent / "push"
DATASET, RESOURCE, APPENDS = "laporan-rt-online", "laporan", 10
COLUMNS = [
    ("id", "integer"),
    ("kecamatan", "string"),
    ("tahun", "integer"),
    ("jumlah", "integer"),
    ("status", "string"),
]
STATUS = ["baru", "proses", "selesai"]
TARGET = 0.25
ROWS_QUERY = """query($slug: String!) { dataset(slug: $slug) {
  resources { rows(first: 1) { totalCount } } } }"""


def write_catalogue(root: Path) -> Path:
    """One dataset of dinas-sosial with a header-only resource: the app fills it."""
    folder = root / "dinas-sosial" / DATASET
    folder.mkdir(parents=True, exist_ok=True)
    (root / "dinas-sosial" / "agency.yaml").write_text(yaml.safe_dump({"name": "Dinas Sosial"}))
    descriptor = {
        "name": DATASET,
        "title": "Laporan RT Online (sintetis)",
        "description": "Data sintetis untuk benchmark.",
        "category": "PERIODIC",
        "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [
            {
                "name": RESOURCE,
                "path": "laporan.csv",
                "schema": {"fields": [{"name": n, "type": t} for n, t in COLUMNS]},
            }
        ],
    }
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False))
    (folder / "laporan.csv").write_text(",".join(name for name, _ in COLUMNS) + "\n")
    return root


def typed_rows(start: int, count: int) -> list[tuple[Any, ...]]:
    return [
        (i, f"Kec {i % 9}", 2020 + i % 6, i % 1000, STATUS[i % 3])
        for i in range(start, start + count)
    ]


def as_csv(rows: list[tuple[Any, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode()


async def reference_seconds(dialect: str, services: Services, rows: list[tuple[Any, ...]]) -> float:
    """The same rows into a plain table of the same columns, as the database alone does it."""
    if dialect == "sqlite":
        db = sqlite3.connect(SCRATCH / "plain.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE plain (_id INTEGER PRIMARY KEY, id INTEGER, kecamatan TEXT,"
            " tahun INTEGER, jumlah INTEGER, status TEXT)"
        )
        started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO plain (id, kecamatan, tahun, jumlah, status) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        db.execute("COMMIT")
        seconds = time.perf_counter() - started
        db.close()
        return seconds
    url = services.database.url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "CREATE TABLE plain (_id bigserial PRIMARY KEY, id bigint, kecamatan text,"
            " tahun bigint, jumlah bigint, status text)"
        )
        started = time.perf_counter()
        async with connection.transaction():
            await connection.copy_records_to_table(
                "plain", records=rows, columns=[name for name, _ in COLUMNS]
            )
        return time.perf_counter() - started
    finally:
        await connection.close()


async def pushed(client: httpx.AsyncClient, token: str, body: bytes, mode: str, key: str) -> int:
    response = await client.post(
        f"/api/push/{DATASET}/{RESOURCE}?mode={mode}",
        content=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "text/csv",
            "Idempotency-Key": key,
        },
        timeout=3600,
    )
    if response.status_code != 200:
        raise RuntimeError(f"push answered {response.status_code}: {response.text[:500]}")
    return int(response.json()["rows"])


async def total_rows(client: httpx.AsyncClient) -> int:
    response = await client.post(
        "/graphql", json={"query": ROWS_QUERY, "variables": {"slug": DATASET}}
    )
    return int(response.json()["data"]["dataset"]["resources"][0]["rows"]["totalCount"])


async def run_backend(dialect: str, rows: int) -> AsyncIterator[dict[str, Any]]:
    services, drop = await open_backend(dialect)
    try:
        summary = await load_catalog(services, write_catalogue(SCRATCH / "catalogue"))
        assert summary.ok, summary.lines()
        app = await add_app(
            services.database, name="RT Online", agency_slug="dinas-sosial", dataset_slugs=[DATASET]
        )
        every = typed_rows(0, rows)
        batch = rows // APPENDS
        appends = [as_csv(every[n * batch : (n + 1) * batch]) for n in range(APPENDS)]
        whole = as_csv(typed_rows(rows, rows))
        reference = await reference_seconds(dialect, services, every)
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            started = time.perf_counter()
            for n, body in enumerate(appends):
                assert await pushed(client, app.token, body, "append", f"append-{n}") == batch
            append_seconds = time.perf_counter() - started
            assert await total_rows(client) == batch * APPENDS
            started = time.perf_counter()
            assert await pushed(client, app.token, whole, "replace", "replace") == rows
            replace_seconds = time.perf_counter() - started
            assert await total_rows(client) == rows
            started = time.perf_counter()  # the replace's change summary, after the answer
            assert await Worker(services, {CHANGES_KIND: count_changes_job}).run_once() == 1
            summary_seconds = time.perf_counter() - started
        for name, seconds, pushed_rows in (
            (f"{APPENDS} appending pushes of {batch:,} rows", append_seconds, batch * APPENDS),
            (f"1 replacing push of {rows:,} rows", replace_seconds, rows),
        ):
            ours = pushed_rows / seconds
            plain = rows / reference
            yield figure(
                dialect, name, ours, plain, "rows/s", f">= {TARGET}x", ours >= TARGET * plain
            ) | {"seconds": round(seconds, 2), "reference_seconds": round(reference, 2)}
        yield {
            "backend": dialect,
            "figure": "the replace's change summary, counted by the outbox after the answer",
            "seconds": round(summary_seconds, 2),
            "target": None,
        }
    finally:
        await services.close()
        await drop()
        shutil.rmtree(SCRATCH, ignore_errors=True)


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    rows = 50_000 if quick else 1_000_000
    for dialect in ("sqlite", "postgres"):
        shutil.rmtree(SCRATCH, ignore_errors=True)
        SCRATCH.mkdir(parents=True)
        async for result in run_backend(dialect, rows):
            yield {"rows": rows, **result}
