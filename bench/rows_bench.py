"""Rows at scale: one big resource on SQLite and PostgreSQL, beside a plain typed table.

One resource of 1,000,000 rows (300,000 with --quick), 8 columns (a 64-bit id, kecamatan,
tahun, tanggal, jumlah, status, aktif, and a `nik` withheld by a FIELD exemption), is loaded
by `opendata catalog load`'s loader and read through the real GraphQL app (in process) and
the real download endpoint. The reference, measured in the same run on the same machine, is
a plain typed table with the same indexes (one per column), loaded by COPY (PostgreSQL) or
executemany in one transaction (SQLite), read by `count(*)` plus `LIMIT 100` on the index,
and exported by COPY TO (PostgreSQL) or a cursor into csv.writer (SQLite).

Figures: load rows/s; filtered page (3 equality filters) with totalCount, p50/p95; first
page with totalCount; a page 1,000 pages deep (keyset cursor; reference `_id > n`); full CSV
seconds with the RSS growth of the process while it streams. Each with its reference and
ratio, and the issue's target. Every output is checked for withheld `nik` values.
"""

from __future__ import annotations

import asyncio
import csv
import os
import random
import shutil
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import yaml

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.config import settings_from_env
from opendata.services import Services, open_services

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "rows"
PG_ADMIN = os.environ.get("OPENDATA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
KECAMATAN = [f"Kecamatan {name}" for name in "Abcdefghijklmnopqrst"]
STATUS = ["terbuka", "proses", "selesai", "ditolak"]
NIK_PREFIX = "NIKRAHASIA"
REPEATS = 40
COLUMNS = [
    ("id", "integer"),
    ("kecamatan", "string"),
    ("tahun", "integer"),
    ("tanggal", "date"),
    ("jumlah", "number"),
    ("status", "string"),
    ("aktif", "boolean"),
    ("nik", "string"),
]


def write_catalogue(root: Path, rows: int) -> Path:
    """A one-dataset catalogue with a big CSV (fixed seed)."""
    folder = root / "bapenda" / "registri-besar"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "bapenda" / "agency.yaml").write_text(yaml.safe_dump({"name": "Bapenda"}))
    descriptor = {
        "name": "registri-besar",
        "title": "Registri besar (sintetis)",
        "description": "Data sintetis untuk benchmark.",
        "category": "PERIODIC",
        "licenses": [{"name": "CC-BY-4.0"}],
        "exemptions": [
            {
                "scope": "FIELD",
                "field": "nik",
                "basis": "PASAL_17H",
                "consequenceTest": "NIK adalah data pribadi.",
                "decidedOn": "2025-01-01",
            }
        ],
        "resources": [
            {
                "name": "data",
                "path": "data.csv",
                "schema": {"fields": [{"name": n, "type": t} for n, t in COLUMNS]},
            }
        ],
    }
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False))
    generator = random.Random(11)
    start = date(2019, 1, 1)
    with (folder / "data.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([name for name, _ in COLUMNS])
        for index in range(rows):
            day = start + timedelta(days=generator.randrange(2500))
            writer.writerow(
                [
                    6_112_000_000_000_000 + index,
                    generator.choice(KECAMATAN),
                    day.year,
                    day.isoformat(),
                    "" if index % 97 == 0 else round(generator.uniform(0, 1e6), 2),
                    generator.choice(STATUS),
                    "true" if index % 3 else "false",
                    f"{NIK_PREFIX}{index:09d}",
                ]
            )
    return root


def filter_combos(count: int) -> list[tuple[str, int, str]]:
    """(kecamatan, tahun, status) equality filters, the same on every run (fixed seed)."""
    generator = random.Random(5)
    return [
        (generator.choice(KECAMATAN), generator.randrange(2019, 2026), generator.choice(STATUS))
        for _ in range(count)
    ]


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def timed(action: Callable[[], Awaitable[Any]], repeats: int = REPEATS) -> list[float]:
    await action()  # warm
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


# ---------------------------------------------------------------- the reference


class Reference:
    """The plain typed table: what the database alone does."""

    async def load(self, csv_path: Path) -> None: ...
    async def filtered(self, kecamatan: str, tahun: int, status: str) -> None: ...
    async def first_page(self) -> None: ...
    async def deep_page(self, after: int) -> None: ...
    async def export(self) -> int:
        raise NotImplementedError

    async def close(self) -> None: ...


PLAIN_COLUMNS = "_id, id, kecamatan, tahun, tanggal, jumlah, status, aktif, nik"
SELECT_PAGE = "SELECT _id, id, kecamatan, tahun, tanggal, jumlah, status, aktif FROM plain"


class PostgresReference(Reference):
    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def load(self, csv_path: Path) -> None:
        await self.connection.execute(
            'CREATE TABLE plain (_id bigserial PRIMARY KEY, id bigint, kecamatan text COLLATE "C",'
            ' tahun bigint, tanggal date, jumlah double precision, status text COLLATE "C",'
            ' aktif boolean, nik text COLLATE "C")'
        )
        await self.connection.copy_to_table(
            "plain",
            source=str(csv_path),
            columns=[name for name, _ in COLUMNS],
            format="csv",
            header=True,
        )
        for name, _ in COLUMNS:
            await self.connection.execute(f"CREATE INDEX ON plain ({name})")
        await self.connection.execute("ANALYZE plain")

    async def filtered(self, kecamatan: str, tahun: int, status: str) -> None:
        where = "WHERE kecamatan = $1 AND tahun = $2 AND status = $3"
        await self.connection.fetchval(
            f"SELECT count(*) FROM plain {where}", kecamatan, tahun, status
        )
        await self.connection.fetch(
            f"{SELECT_PAGE} {where} ORDER BY _id LIMIT 100", kecamatan, tahun, status
        )

    async def first_page(self) -> None:
        await self.connection.fetchval("SELECT count(*) FROM plain")
        await self.connection.fetch(f"{SELECT_PAGE} ORDER BY _id LIMIT 100")

    async def deep_page(self, after: int) -> None:
        await self.connection.fetch(f"{SELECT_PAGE} WHERE _id > $1 ORDER BY _id LIMIT 100", after)

    async def export(self) -> int:
        size = 0

        async def sink(chunk: bytes) -> None:
            nonlocal size
            size += len(chunk)

        await self.connection.copy_from_query(
            f"{SELECT_PAGE} ORDER BY _id", output=sink, format="csv", header=True
        )
        return size

    async def close(self) -> None:
        await self.connection.close()


class SqliteReference(Reference):
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")

    async def load(self, csv_path: Path) -> None:
        self.db.execute(
            "CREATE TABLE plain (_id INTEGER PRIMARY KEY, id INTEGER, kecamatan TEXT, "
            "tahun INTEGER, tanggal TEXT, jumlah REAL, status TEXT, aktif INTEGER, nik TEXT)"
        )
        with csv_path.open(newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO plain (id, kecamatan, tahun, tanggal, jumlah, status, aktif, nik) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                reader,
            )
            for name, _ in COLUMNS:
                self.db.execute(f"CREATE INDEX ix_plain_{name} ON plain ({name})")
            self.db.execute("COMMIT")
        self.db.execute("ANALYZE")

    async def filtered(self, kecamatan: str, tahun: int, status: str) -> None:
        where = "WHERE kecamatan = ? AND tahun = ? AND status = ?"
        self.db.execute(
            f"SELECT count(*) FROM plain {where}", (kecamatan, tahun, status)
        ).fetchone()
        self.db.execute(
            f"{SELECT_PAGE} {where} ORDER BY _id LIMIT 100", (kecamatan, tahun, status)
        ).fetchall()

    async def first_page(self) -> None:
        self.db.execute("SELECT count(*) FROM plain").fetchone()
        self.db.execute(f"{SELECT_PAGE} ORDER BY _id LIMIT 100").fetchall()

    async def deep_page(self, after: int) -> None:
        self.db.execute(f"{SELECT_PAGE} WHERE _id > ? ORDER BY _id LIMIT 100", (after,)).fetchall()

    async def export(self) -> int:
        class Sink:
            size = 0

            def write(self, text: str) -> None:
                Sink.size += len(text)

        writer = csv.writer(Sink())
        cursor = self.db.execute(f"{SELECT_PAGE} ORDER BY _id")
        writer.writerow([d[0] for d in cursor.description])
        while batch := cursor.fetchmany(2000):
            writer.writerows(batch)
        return Sink.size

    async def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------- opendata


ROWS_QUERY = """query($r: ID!, $w: JSON, $after: String, $total: Boolean!) {
  node(id: $r) { ... on Resource { rows(first: 100, where: $w, after: $after) {
    totalCount @include(if: $total) edges { node } pageInfo { endCursor hasNextPage } } } } }"""
CURSOR_QUERY = """query($r: ID!, $w: JSON) { node(id: $r) { ... on Resource {
  rows(first: 1, where: $w) { edges { cursor } } } } }"""


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    text = response.text
    if NIK_PREFIX in text:
        raise AssertionError("a withheld nik value appeared in a rows answer")
    return body["data"]


async def download(app: Any, path: str) -> tuple[int, int, float]:
    """GET `path` straight through the ASGI app: (bytes, RSS growth, seconds); streamed."""
    size, peak = 0, 0
    baseline = rss_bytes()
    tail = b""
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal size, peak, tail
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"download answered {message['status']}")
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            size += len(body)
            if NIK_PREFIX.encode() in tail + body:
                raise AssertionError("a withheld nik value appeared in the CSV")
            tail = body[-32:]
            peak = max(peak, rss_bytes() - baseline)
            if not message.get("more_body"):
                done.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
    }
    started = time.perf_counter()
    await app(scope, receive, send)
    return size, peak, time.perf_counter() - started


def figure(
    backend: str, name: str, value: float, reference: float, unit: str, target: str, ok: bool
) -> dict[str, Any]:
    return {
        "backend": backend,
        "figure": name,
        "value": round(value, 3),
        "reference": round(reference, 3),
        "unit": unit,
        "ratio": round(value / reference, 3) if reference else None,
        "target": target,
        "meets_target": ok,
    }


async def open_backend(dialect: str) -> tuple[Services, Callable[[], Awaitable[None]]]:
    folder = SCRATCH / dialect
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if dialect == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / 'opendata.db'}"

        async def drop() -> None:
            shutil.rmtree(folder, ignore_errors=True)
    else:
        name = f"bench_rows_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(PG_ADMIN)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        base = PG_ADMIN.rsplit("/", 1)[0]
        url = f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"

        async def drop() -> None:
            admin = await asyncpg.connect(PG_ADMIN)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
            shutil.rmtree(folder, ignore_errors=True)

    settings = settings_from_env().with_overrides(data_dir=folder, database_url=url)
    services = await open_services(settings)
    return services, drop


async def reference_for(dialect: str, services: Services) -> Reference:
    if dialect == "sqlite":
        return SqliteReference(SCRATCH / dialect / "plain.db")
    url = services.database.url.replace("postgresql+asyncpg://", "postgresql://")
    return PostgresReference(await asyncpg.connect(url))


async def run_backend(
    dialect: str, root: Path, rows: int, deep_after: int = 100_000
) -> AsyncIterator[dict[str, Any]]:
    """The figures of one database; the deep page starts after row position `deep_after`."""
    from sqlalchemy import select

    from opendata.catalogue.row_cursors import encode_row_cursor
    from opendata.catalogue.row_query import (
        RowPage,
        RowQuery,
        parse_fields,
        parse_where,
        row_pages,
        row_source,
    )
    from opendata.db.models import Resource
    from opendata.public_ids import to_global_id
    from opendata.visibility.policy import load_policy

    services, drop = await open_backend(dialect)
    reference = await reference_for(dialect, services)
    try:
        started = time.perf_counter()
        summary = await load_catalog(services, root)
        load_seconds = time.perf_counter() - started
        assert summary.ok and summary.added == ["registri-besar"], summary.lines()
        started = time.perf_counter()
        await reference.load(root / "bapenda" / "registri-besar" / "data.csv")
        reference_seconds = time.perf_counter() - started
        ours_rate, reference_rate = rows / load_seconds, rows / reference_seconds
        yield figure(
            dialect,
            "load",
            ours_rate,
            reference_rate,
            "rows/s",
            ">= 0.25x",
            ours_rate >= 0.25 * reference_rate,
        )

        async with services.database.session() as session:
            resource = await session.scalar(select(Resource))
        assert resource is not None
        resource_id = to_global_id("Resource", resource.id)
        app = create_app(services)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            combos = filter_combos(REPEATS + 1)
            picks = iter(combos * 3)

            async def ours_filtered() -> None:
                kecamatan, tahun, status = next(picks)
                where = {"kecamatan": kecamatan, "tahun": tahun, "status": status}
                await graphql(client, ROWS_QUERY, {"r": resource_id, "w": where, "total": True})

            reference_picks = iter(combos * 3)

            async def reference_filtered() -> None:
                await reference.filtered(*next(reference_picks))

            async def ours_first() -> None:
                await graphql(client, ROWS_QUERY, {"r": resource_id, "total": True})

            deep = encode_row_cursor(f"rows:{resource.id}:", resource.cursor_key, [], deep_after)

            async def ours_deep() -> None:
                data = await graphql(
                    client, ROWS_QUERY, {"r": resource_id, "after": deep, "total": False}
                )
                first = data["node"]["rows"]["edges"][0]["node"]["id"]
                assert first == 6_112_000_000_000_000 + deep_after + 1, first

            async def reference_deep() -> None:
                await reference.deep_page(deep_after + 1)

            # the same three reads through the domain alone (storage, visibility, cursors):
            # what the typed tables cost, without the GraphQL layer's fixed cost per request
            async with services.database.session() as session:
                policy = await load_policy(session, resource.dataset_id)
            source = row_source(resource, policy)
            everything = RowQuery(source, chosen=parse_fields(source, None), first=100)
            domain_picks = iter(combos * 3)

            async def page(query: RowQuery) -> RowPage:
                async with services.database.session() as session:
                    return (await row_pages(session, [query]))[0]

            async def domain_filtered() -> None:
                kecamatan, tahun, status = next(domain_picks)
                where = {"kecamatan": kecamatan, "tahun": tahun, "status": status}
                await page(replace(everything, conditions=parse_where(source, where)))

            async def domain_first() -> None:
                await page(everything)

            async def domain_deep() -> None:
                found = await page(replace(everything, want_total=False).decode_after(deep))
                assert found.rows[0].row["id"] == 6_112_000_000_000_000 + deep_after + 1

            for name, ours, theirs in (
                ("filtered page + totalCount, domain", domain_filtered, reference_filtered),
                ("first page + totalCount, domain", domain_first, reference.first_page),
                (f"page after row {deep_after:,}, domain", domain_deep, reference_deep),
                ("filtered page + totalCount, GraphQL", ours_filtered, reference_filtered),
                ("first page + totalCount, GraphQL", ours_first, reference.first_page),
                (f"page after row {deep_after:,}, GraphQL", ours_deep, reference_deep),
            ):
                reference_picks = iter(combos * 3)
                mine, plain = await timed(ours), await timed(theirs)
                for label, fraction in (("p50", 0.5), ("p95", 0.95)):
                    value, base = percentile(mine, fraction), percentile(plain, fraction)
                    yield figure(
                        dialect,
                        f"{name} {label}",
                        value,
                        base,
                        "ms",
                        "p95 <= max(3x, ref + 15 ms)",
                        value <= max(3 * base, base + 15) if label == "p95" else True,
                    )

        size, growth, seconds = await download(app, f"/download/{resource_id}.csv")
        started = time.perf_counter()
        await reference.export()
        reference_export = time.perf_counter() - started
        yield figure(
            dialect,
            "full CSV",
            seconds,
            reference_export,
            "s",
            "<= 5x ref + 1 s",
            seconds <= 5 * reference_export + 1,
        ) | {"bytes": size, "rss_growth_mb": round(growth / 2**20, 1)}
    finally:
        await reference.close()
        await services.close()
        await drop()


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    rows = 300_000 if quick else 1_000_000
    root = SCRATCH / "catalogue"
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    write_catalogue(root, rows)
    yield {"figure": "generated", "rows": rows, "seconds": round(time.perf_counter() - started, 1)}
    for dialect in ("sqlite", "postgres"):
        async for result in run_backend(dialect, root, rows):
            yield {"rows": rows, **result}
    shutil.rmtree(root, ignore_errors=True)
