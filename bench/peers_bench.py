"""Peers: opendata beside Datasette on the same 1,000,000-row CSV, in one run.

The file is the rows benchmark's (`rows_bench.write_catalogue`: 8 columns, a withheld `nik`).

SQLite, both over HTTP on loopback, each its own server process:
- opendata: `opendata catalog load`'s loader, then `opendata serve`; read through GraphQL
  and `/download/<id>.csv`. Its text filters fold case and accents (Datasette's compare
  bytes), so its table also has an index on each text field's folded text, built in its load.
- Datasette (in its own venv, never the project's: `.bench-venv/`, made on first use, or
  `OPENDATA_BENCH_VENV`): `sqlite-utils insert --csv` (types detected) of the same file, the same
  indexes (one per column) and ANALYZE, then `datasette serve` (defaults, but no time limit on
  a statement, no CSV size limit and no facet suggestions, which would only slow it down);
  read through its table JSON (`_nocol=nik`) and its streamed CSV.

Figures, p50 of REPEATS requests each, ours and Datasette's taken in turns so load on the
machine falls on both: load (rows/s), filtered page with its total (3 equality filters),
first page with its total, the page starting at row 900,001 (Datasette `_next`, no count;
opendata a keyset cursor, no totalCount), full CSV (seconds, p50 of 3). The server runs
first with no observed filter index (`OPENDATA_OBSERVED_FILTER_SECONDS=0`); then again with
it on: after a warm-up of OBSERVED_AFTER filtered pages, once its scheduled pass has built the
combination's index, the filtered page with its total is measured again beside Datasette's.

PostgreSQL: the rows benchmark's figures against its plain typed table (`rows_bench.run_backend`),
with the deep page at the same row.

Indexes for how data is asked (`schema.commonFilters`), on both databases: the same 300,000
rows loaded twice into one database, once as is and once naming `[kecamatan, tahun]`; the
write cost (load seconds, each beside the other) and a two-field filter with its total
through the domain (`row_pages`), p50, with the composite index against without it.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import yaml
from sqlalchemy import select as sa_select

from bench.aggregate_bench import paired
from bench.load import free_port, stop_server, wait_for_port
from bench.rows_bench import (
    KECAMATAN,
    NIK_PREFIX,
    ROWS_QUERY,
    SCRATCH,
    figure,
    filter_combos,
    open_backend,
    percentile,
    run_backend,
    write_catalogue,
)
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.observed_filters import OBSERVED_AFTER

INDEXED_ROWS = 300_000
HINT = [["kecamatan", "tahun"]]

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 30
CSV_REPEATS = 3
BASE_ID = 6_112_000_000_000_000
VENV = Path(os.environ.get("OPENDATA_BENCH_VENV", ROOT / ".bench-venv"))
INDEXED = ["id", "kecamatan", "tahun", "tanggal", "jumlah", "status", "aktif", "nik"]


def datasette_venv() -> Path:
    """The venv holding Datasette and sqlite-utils, made on first use (never the project's)."""
    if not (VENV / "bin" / "datasette").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "pip"), "install", "-q", "datasette", "sqlite-utils"]
        subprocess.run(pip, check=True)
    return VENV / "bin"


def load_for_datasette(tools: Path, csv_path: Path, database: Path) -> float:
    """sqlite-utils' import of the CSV with the same indexes as opendata's table: seconds."""
    started = time.perf_counter()
    utils = str(tools / "sqlite-utils")
    subprocess.run(
        [utils, "insert", str(database), "plain", str(csv_path), "--csv"],
        check=True,
    )
    for column in INDEXED:
        subprocess.run([utils, "create-index", str(database), "plain", column], check=True)
    subprocess.run([utils, "analyze", str(database)], check=True)
    return time.perf_counter() - started


async def server(command: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    await wait_for_port(port, timeout=180)
    return process


async def streamed(client: httpx.AsyncClient, path: str, params: dict[str, str]) -> int:
    size, tail = 0, b""
    async with client.stream("GET", path, params=params) as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            tail = chunk[-32:]
    assert size > 0 and tail.endswith(b"\n")
    return size


class Opendata:
    def __init__(self, client: httpx.AsyncClient, resource_id: str, deep: str) -> None:
        self.client, self.resource_id, self.deep = client, resource_id, deep

    async def rows(self, **variables: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql",
            json={"query": ROWS_QUERY, "variables": {"r": self.resource_id, **variables}},
        )
        if NIK_PREFIX in response.text:
            raise AssertionError("a withheld nik value appeared in a rows answer")
        body = response.json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]["node"]["rows"]  # type: ignore[no-any-return]

    async def filtered(self, kecamatan: str, tahun: int, status: str) -> int:
        where = {"kecamatan": kecamatan, "tahun": tahun, "status": status}
        return int((await self.rows(w=where, total=True))["totalCount"])

    async def first_page(self) -> int:
        return int((await self.rows(total=True))["totalCount"])

    async def deep_page(self) -> int:
        return int((await self.rows(after=self.deep, total=False))["edges"][0]["node"]["id"])

    async def csv(self) -> int:
        return await streamed(self.client, f"/download/{self.resource_id}.csv", {})


class Datasette:
    PATH = "/data/plain.json"

    def __init__(self, client: httpx.AsyncClient, deep_rowid: int) -> None:
        self.client, self.deep_rowid = client, deep_rowid

    async def table(self, **params: Any) -> dict[str, Any]:
        response = await self.client.get(
            self.PATH, params={"_size": 100, "_nocol": "nik", "_shape": "objects", **params}
        )
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    async def filtered(self, kecamatan: str, tahun: int, status: str) -> int:
        found = await self.table(kecamatan=kecamatan, tahun=tahun, status=status)
        return int(found["filtered_table_rows_count"])

    async def first_page(self) -> int:
        return int((await self.table())["filtered_table_rows_count"])

    async def deep_page(self) -> int:
        found = await self.table(_next=self.deep_rowid, _nocount=1)
        return int(found["rows"][0]["id"])

    async def csv(self) -> int:
        params = {"_stream": "on", "_size": "max", "_nocol": "nik"}
        return await streamed(self.client, "/data/plain.csv", params)


async def observed_index(database: Path, timeout: float = 300) -> str:
    """The name of the combination index the server built after the warm-up (waits)."""
    import sqlite3

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            found = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%\\_q' "
                "ESCAPE '\\'"
            ).fetchone()
        if found:
            return str(found[0])
        await asyncio.sleep(1)
    raise RuntimeError("the server built no index for the observed filter")


def p50_figure(name: str, mine: list[float], theirs: list[float], unit: str) -> dict[str, Any]:
    value, reference = percentile(mine, 0.5), percentile(theirs, 0.5)
    return figure(
        "sqlite", name, value, reference, unit, "ahead of Datasette (ratio < 1)", value < reference
    ) | {"reference_is": "Datasette", "runs": len(mine)}


async def run_sqlite(root: Path, rows: int, deep_after: int) -> AsyncIterator[dict[str, Any]]:
    from sqlalchemy import select

    from opendata.catalogue.row_cursors import encode_row_cursor
    from opendata.db.models import Resource
    from opendata.public_ids import to_global_id

    tools = datasette_venv()
    services, drop = await open_backend("sqlite")
    folder = SCRATCH / "sqlite"
    servers: list[subprocess.Popen[bytes]] = []
    try:
        started = time.perf_counter()
        summary = await load_catalog(services, root)
        ours_load = time.perf_counter() - started
        assert summary.ok, summary.lines()
        async with services.database.session() as session:
            resource = await session.scalar(select(Resource))
        assert resource is not None
        resource_id = to_global_id("Resource", resource.id)
        deep = encode_row_cursor(f"rows:{resource.id}:", resource.cursor_key, [], deep_after)
        url = services.database.url
        await services.close()

        csv_path = root / "bapenda" / "registri-besar" / "data.csv"
        theirs_load = load_for_datasette(tools, csv_path, folder / "data.db")
        yield figure(
            "sqlite", "load", rows / ours_load, rows / theirs_load, "rows/s", "ahead", True
        ) | {
            "reference_is": "Datasette (sqlite-utils insert + indexes)",
            "ahead": ours_load < theirs_load,
        }

        ours_port, theirs_port = free_port(), free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "OPENDATA_DATA_DIR": str(folder),
            "OPENDATA_DATABASE_URL": url,
            "OPENDATA_RATE_LIMITS": "off",
            # first as a table nobody has filtered yet: no observed combination's index
            "OPENDATA_OBSERVED_FILTER_SECONDS": "0",
        }
        serve = [sys.executable, "-m", "opendata.cli", "serve", "--no-demo", "--port"]
        servers.append(await server([*serve, f"{ours_port}"], ours_port, env))
        settings = {"sql_time_limit_ms": "600000", "max_csv_mb": "0", "suggest_facets": "off"}
        servers.append(
            await server(
                [str(tools / "datasette"), "serve", str(folder / "data.db"), "--port"]
                + [str(theirs_port), "--host", "127.0.0.1"]
                + [part for item in settings.items() for part in ("--setting", *item)],
                theirs_port,
                dict(os.environ),
            )
        )
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{ours_port}", timeout=600) as a,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{theirs_port}", timeout=600) as b,
        ):
            ours, theirs = Opendata(a, resource_id, deep), Datasette(b, deep_after + 1)
            combos = filter_combos(REPEATS + 1)
            for combo in combos[:3]:  # the same answers
                assert await ours.filtered(*combo) == await theirs.filtered(*combo), combo
            assert await ours.first_page() == await theirs.first_page() == rows
            assert await ours.deep_page() == await theirs.deep_page() == BASE_ID + deep_after + 1

            def picker(source: Opendata | Datasette) -> Callable[[], Awaitable[int]]:
                picks = iter(combos)
                return lambda: source.filtered(*next(picks))

            for name, mine, plain in (
                ("filtered page + total", picker(ours), picker(theirs)),
                ("first page + total", ours.first_page, theirs.first_page),
                (f"deep page (row {deep_after + 2:,})", ours.deep_page, theirs.deep_page),
            ):
                yield p50_figure(name, *await paired(mine, plain, REPEATS), "ms")
            assert await ours.csv() > 0
            mine_csv, theirs_csv = await paired(ours.csv, theirs.csv, CSV_REPEATS)
            yield p50_figure(
                "full CSV", [m / 1000 for m in mine_csv], [t / 1000 for t in theirs_csv], "s"
            )
        # the same server once people have used the filter: it counts the combination, and
        # its scheduled pass builds the combination's index (catalogue.observed_filters)
        stop_server(servers.pop(0))
        env["OPENDATA_OBSERVED_FILTER_SECONDS"] = "1"
        servers.insert(0, await server([*serve, f"{ours_port}"], ours_port, env))
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{ours_port}", timeout=600) as a,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{theirs_port}", timeout=600) as b,
        ):
            ours, theirs = Opendata(a, resource_id, deep), Datasette(b, deep_after + 1)
            warm = filter_combos(OBSERVED_AFTER + REPEATS + 1)[REPEATS + 1 :]
            for combo in warm:
                await ours.filtered(*combo)
            await observed_index(folder / "opendata.db")
            for combo in combos[:3]:  # still the same answers
                assert await ours.filtered(*combo) == await theirs.filtered(*combo), combo
            yield p50_figure(
                "filtered page + total, once the filter was seen (observed index)",
                *await paired(picker(ours), picker(theirs), REPEATS),
                "ms",
            )
    finally:
        for process in servers:
            stop_server(process)
        await drop()


def hinted_catalogue(root: Path, rows: int) -> Path:
    """The rows benchmark's catalogue under another agency and slug, naming HINT."""
    write_catalogue(root / "plain", rows)
    (root / "plain" / "bapenda").rename(root / "bappeda")
    folder = root / "bappeda" / "registri-besar"
    descriptor = yaml.safe_load((folder / "datapackage.yaml").read_text())
    descriptor["name"] = "registri-berindeks"
    descriptor["resources"][0]["schema"]["commonFilters"] = HINT
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False))
    folder.rename(root / "bappeda" / "registri-berindeks")
    shutil.rmtree(root / "plain")
    return root


async def index_build_cost(services: Any, dialect: str, rows: int) -> dict[str, Any]:
    """The extra write of HINT alone: building its composite index on the loaded table, beside
    building one more single-column index (`tahun`) on it; both rolled back."""
    from opendata.catalogue.tables import column_name, composite_indexes, row_table
    from opendata.db.models import Dataset, Resource
    from opendata.visibility.fields import FieldDef

    # a write (reads are read-only on PostgreSQL), its indexes built in a savepoint and
    # rolled back
    async with services.database.write() as session:
        resource = await session.scalar(
            sa_select(Resource).join(Dataset).where(Dataset.slug == "registri-besar")
        )
        assert resource is not None
        fields = [FieldDef.from_json(raw) for raw in resource.fields]
        table = row_table(resource.row_table, tuple(fields))
        leading = next(i for i, f in enumerate(fields) if f.name == HINT[0][0])
        fields[leading] = replace(fields[leading], indexed_with=(tuple(HINT[0][1:]),))
        tahun = next(i for i, f in enumerate(fields) if f.name == "tahun")
        savepoint = await session.begin_nested()
        connection = await session.connection()
        seconds = []
        for index in (
            *composite_indexes(table, fields),
            sa.Index("ix_bench_single", table.c[column_name(tahun)]),
        ):
            started = time.perf_counter()
            await connection.run_sync(index.create)
            seconds.append(time.perf_counter() - started)
        await savepoint.rollback()
    return figure(
        dialect,
        f"building the {HINT} index on {rows:,} loaded rows",
        seconds[0],
        seconds[1],
        "s",
        "reported",
        True,
    ) | {"reference_is": "building one more single-column index (tahun) on the same table"}


async def run_indexes(dialect: str, rows: int) -> AsyncIterator[dict[str, Any]]:
    from opendata.catalogue.row_query import RowQuery, parse_fields, parse_where, row_pages
    from opendata.catalogue.row_query import row_source as source_of
    from opendata.db.models import Dataset, Resource
    from opendata.visibility.policy import load_policy

    plain_root, hinted_root = SCRATCH / "index-plain", SCRATCH / "index-hinted"
    for folder in (plain_root, hinted_root):
        shutil.rmtree(folder, ignore_errors=True)
    write_catalogue(plain_root, rows)
    hinted_catalogue(hinted_root, rows)
    services, drop = await open_backend(dialect)
    try:
        seconds = {}
        # the hinted one first: a cold first load's cost falls on it, never on the reference
        for name, root in (("hinted", hinted_root), ("plain", plain_root)):
            started = time.perf_counter()
            assert (await load_catalog(services, root)).ok
            seconds[name] = time.perf_counter() - started
        yield figure(
            dialect,
            f"load of {rows:,} rows naming {HINT} (write cost)",
            seconds["hinted"],
            seconds["plain"],
            "s",
            "reported",
            True,
        ) | {"reference_is": "the same rows without commonFilters"}
        yield await index_build_cost(services, dialect, rows)
        queries = {}
        async with services.database.session() as session:
            for slug in ("registri-besar", "registri-berindeks"):
                resource = await session.scalar(
                    sa_select(Resource).join(Dataset).where(Dataset.slug == slug)
                )
                assert resource is not None
                source = source_of(resource, await load_policy(session, resource.dataset_id))
                queries[slug] = RowQuery(source, chosen=parse_fields(source, None), first=100)
        generator = random.Random(7)
        combos = [
            (generator.choice(KECAMATAN), generator.randrange(2019, 2026))
            for _ in range(REPEATS + 1)
        ]

        def filtered(slug: str) -> Callable[[], Awaitable[int]]:
            picks = iter(combos)

            async def read() -> int:
                kecamatan, tahun = next(picks)
                query = queries[slug]
                where = parse_where(query.source, {"kecamatan": kecamatan, "tahun": tahun})
                async with services.database.session() as session:
                    page = (await row_pages(session, [replace(query, conditions=where)]))[0]
                return page.total or 0

            return read

        with_index, without = await paired(
            filtered("registri-berindeks"), filtered("registri-besar"), REPEATS
        )
        value, reference = percentile(with_index, 0.5), percentile(without, 0.5)
        yield figure(
            dialect,
            f"filter on kecamatan + tahun with total, {rows:,} rows, p50",
            value,
            reference,
            "ms",
            "faster with the composite index",
            value < reference,
        ) | {"reference_is": "the same rows without commonFilters"}
    finally:
        await services.close()
        await drop()
        for folder in (plain_root, hinted_root):
            shutil.rmtree(folder, ignore_errors=True)


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    rows = 20_000 if quick else 1_000_000  # --quick: a smoke run in .ci/run
    deep_after = rows * 9 // 10 - 1  # the page that starts at row 900,001 (1-based) of 1,000,000
    root = SCRATCH / "peers-catalogue"
    shutil.rmtree(root, ignore_errors=True)
    write_catalogue(root, rows)
    try:
        async for result in run_sqlite(root, rows, deep_after):
            yield {"rows": rows, **result}
        async for result in run_backend("postgres", root, rows, deep_after=deep_after):
            yield {"rows": rows, "reference_is": "plain typed table", **result}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for dialect in ("sqlite", "postgres"):
        async for result in run_indexes(dialect, 20_000 if quick else INDEXED_ROWS):
            yield result
