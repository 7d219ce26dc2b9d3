"""Grouped figures at scale: `Resource.aggregate` beside the same GROUP BY on a plain table.

The resource of the rows benchmark (`bench.rows_bench.write_catalogue`: 1,000,000 rows, or
300,000 with --quick; a 17h FIELD exemption on `nik`, so small-cell suppression runs), plus a
ROW exemption (status "ditolak") so the visible-rows condition has work to do. It is loaded
by the real loader; the reference is the rows benchmark's plain typed table in the same
database engine, queried with the same SQL: the same GROUP BY, the same aggregates and the
same ROW condition written by hand. Figures (median of the runs, ms): a grouped COUNT and
SUM over every visible row, and the same with an indexed filter, through the domain and
through GraphQL. Target: <= 2x the reference.

The dashboard figure: a `dashboard.yaml` of three panels over the same resource; `/dasbor`
served (its figures cached by catalogue generation, as in production) beside the slowest of
its panels' own GraphQL queries, run uncached (no response cache). Target: <= 2x. The first,
cold page (every panel computed) is reported beside it.
"""

from __future__ import annotations

import dataclasses
import shutil
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.rows_bench import (
    SCRATCH,
    figure,
    open_backend,
    reference_for,
    write_catalogue,
)
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services

ROOT = SCRATCH.parent / "aggregate-catalogue"
WITHHELD_STATUS = "ditolak"
ROW_EXEMPTION = {
    "scope": "ROW",
    "rowFilter": {"status": WITHHELD_STATUS},
    "basis": "PASAL_17A",
    "consequenceTest": "Sintetis.",
    "decidedOn": "2025-01-01",
    "expiresOn": "2099-01-01",
}
MEASURES = [{"op": "COUNT"}, {"op": "SUM", "field": "jumlah"}]
AGGREGATE_QUERY = """query($r: ID!, $w: JSON) { node(id: $r) { ... on Resource {
  aggregate(groupBy: ["kecamatan"], measures: [{op: COUNT}, {op: SUM, field: "jumlah"}],
            where: $w) { groups { key values suppressed } suppressedGroups } } } }"""
# what the reference runs: the same statement on the plain table (the ROW rule by hand)
REFERENCE_SQL = (
    "SELECT kecamatan, count(*), sum(jumlah) FROM plain "
    "WHERE status IS DISTINCT FROM '{status}'{extra} GROUP BY kecamatan ORDER BY kecamatan"
)
FILTER_YEAR = 2022
DASHBOARD = {
    "panels": [
        {
            "id": "jumlah-per-kecamatan",
            "title": {"id": "Jumlah per kecamatan", "en": "Amount by district"},
            "dataset": "registri-besar",
            "resource": "data",
            "groupBy": ["kecamatan"],
            "measures": MEASURES,
            "chart": "bar",
            "filters": {"kecamatan": "kecamatan", "year": "tahun"},
        },
        {
            "id": "jumlah-per-tahun",
            "title": {"id": "Jumlah per tahun", "en": "Amount by year"},
            "dataset": "registri-besar",
            "resource": "data",
            "groupBy": ["tahun"],
            "measures": [{"op": "SUM", "field": "jumlah"}],
            "chart": "line",
            "filters": {"year": "tahun"},
        },
        {
            "id": "status-per-kecamatan",
            "title": {"id": "Status per kecamatan", "en": "Status by district"},
            "dataset": "registri-besar",
            "resource": "data",
            "groupBy": ["kecamatan", "status"],
            "measures": [{"op": "COUNT"}],
            "chart": "stacked-bar",
            "filters": {"kecamatan": "kecamatan", "year": "tahun"},
        },
    ]
}


def add_row_exemption(root: Path) -> None:
    descriptor = root / "bapenda" / "registri-besar" / "datapackage.yaml"
    data = yaml.safe_load(descriptor.read_text())
    data["exemptions"].append(ROW_EXEMPTION)
    descriptor.write_text(yaml.safe_dump(data, sort_keys=False))


async def reference_query(reference: Any, dialect: str, with_filter: bool) -> list[Any]:
    if dialect == "sqlite":
        extra = " AND tahun = ?" if with_filter else ""
        sql = REFERENCE_SQL.format(status=WITHHELD_STATUS, extra=extra)
        return list(reference.db.execute(sql, (FILTER_YEAR,) if with_filter else ()).fetchall())
    extra = " AND tahun = $1" if with_filter else ""
    sql = REFERENCE_SQL.format(status=WITHHELD_STATUS, extra=extra)
    rows = await reference.connection.fetch(sql, *((FILTER_YEAR,) if with_filter else ()))
    return [tuple(row) for row in rows]


async def paired(
    ours: Callable[[], Awaitable[Any]], theirs: Callable[[], Awaitable[Any]], repeats: int
) -> tuple[list[float], list[float]]:
    """Alternate the two, so the load of a shared machine falls on both alike (ms)."""
    await ours()
    await theirs()
    mine: list[float] = []
    plain: list[float] = []
    for _ in range(repeats):
        for action, samples in ((ours, mine), (theirs, plain)):
            started = time.perf_counter()
            await action()
            samples.append((time.perf_counter() - started) * 1000)
    return mine, plain


def median_figure(dialect: str, name: str, mine: list[float], plain: list[float]) -> dict[str, Any]:
    value, base = statistics.median(mine), statistics.median(plain)
    return figure(dialect, name, value, base, "ms", "<= 2x", value <= 2 * base)


async def dashboard_figure(dialect: str, services: Services, repeats: int) -> dict[str, Any]:
    """`/dasbor` against the slowest of its panels' GraphQL queries (uncached), same run."""
    from opendata.dashboard.figures import dashboard_figures

    uncached = dataclasses.replace(
        services, settings=services.settings.with_overrides(response_cache_entries=0)
    )
    transport = httpx.ASGITransport(app=create_app(uncached))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def page() -> None:
            response = await client.get("/dasbor")
            if response.status_code != 200:
                raise RuntimeError(response.text[:300])

        def panel_query(body: dict[str, Any]) -> Callable[[], Awaitable[None]]:
            async def call() -> None:
                answer = (await client.post("/graphql", json=body)).json()
                if answer.get("errors"):
                    raise RuntimeError(answer["errors"])

            return call

        started = time.perf_counter()
        await page()
        cold_ms = (time.perf_counter() - started) * 1000
        panels = await dashboard_figures(services)
        assert [p.problem for p in panels] == [None] * len(DASHBOARD["panels"])
        queries = {p.panel.id: {"query": p.graphql, "variables": p.variables} for p in panels}
        medians = {}
        for panel_id, body in queries.items():
            samples = []
            for _ in range(3):
                started = time.perf_counter()
                await panel_query(body)()
                samples.append((time.perf_counter() - started) * 1000)
            medians[panel_id] = statistics.median(samples)
        slowest = max(medians, key=lambda panel_id: medians[panel_id])
        mine, base = await paired(page, panel_query(queries[slowest]), repeats)
    name = f"dashboard page (cached figures) vs its slowest panel query ({slowest}, GraphQL)"
    return {**median_figure(dialect, name, mine, base), "page_cold_ms": round(cold_ms, 1)}


async def run_backend(
    dialect: str, root: Path, rows: int, repeats: int
) -> AsyncIterator[dict[str, Any]]:
    from sqlalchemy import select

    from opendata.catalogue.aggregate import aggregate, parse_aggregate
    from opendata.catalogue.row_query import row_source
    from opendata.db.models import Dataset, Resource
    from opendata.public_ids import to_global_id
    from opendata.visibility.disclosure_control import cell_threshold
    from opendata.visibility.policy import load_policy

    services: Services
    services, drop = await open_backend(dialect)
    reference = await reference_for(dialect, services)
    try:
        assert (await load_catalog(services, root)).ok
        await reference.load(root / "bapenda" / "registri-besar" / "data.csv")
        async with services.database.session() as session:
            dataset, resource = (
                await session.execute(
                    select(Dataset, Resource).join(Resource, Resource.dataset_id == Dataset.id)
                )
            ).one()
            policy = await load_policy(session, dataset.id)
        source = row_source(resource, policy)
        minimum = cell_threshold(policy, dataset.minimum_cell_size)
        assert minimum == 5  # the 17h exemption: suppression is on

        async def domain(where: Any) -> list[Any]:
            query = parse_aggregate(
                source, ["kecamatan"], [("COUNT", None), ("SUM", "jumlah")], where, minimum
            )
            async with services.database.session() as session:
                result = await aggregate(session, query)
            return [(g.key["kecamatan"], *g.values) for g in result.groups]

        # the same figures both ways, before timing anything
        for where, with_filter in ((None, False), ({"tahun": FILTER_YEAR}, True)):
            ours = await domain(where)
            theirs = await reference_query(reference, dialect, with_filter)
            assert [(k, float(n), round(float(s), 2)) for k, n, s in theirs] == [
                (k, n, round(s, 2)) for k, n, s in ours
            ], (ours[:2], theirs[:2])

        app = create_app(services)
        transport = httpx.ASGITransport(app=app)
        resource_id = to_global_id("Resource", resource.id)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            def through_graphql(where: Any) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    response = await client.post(
                        "/graphql",
                        json={
                            "query": AGGREGATE_QUERY,
                            "variables": {"r": resource_id, "w": where},
                        },
                    )
                    body = response.json()
                    if body.get("errors"):
                        raise RuntimeError(body["errors"])

                return call

            def through_domain(where: Any) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    await domain(where)

                return call

            def plain(with_filter: bool) -> Callable[[], Awaitable[None]]:
                async def call() -> None:
                    await reference_query(reference, dialect, with_filter)

                return call

            for label, where, with_filter in (
                ("COUNT+SUM by kecamatan, all visible rows", None, False),
                (f"COUNT+SUM by kecamatan, tahun = {FILTER_YEAR}", {"tahun": FILTER_YEAR}, True),
            ):
                mine, base = await paired(through_domain(where), plain(with_filter), repeats)
                yield median_figure(dialect, f"{label}, domain", mine, base)
                mine, base = await paired(through_graphql(where), plain(with_filter), repeats)
                yield median_figure(dialect, f"{label}, GraphQL", mine, base)
        yield await dashboard_figure(dialect, services, repeats)
    finally:
        await reference.close()
        await services.close()
        await drop()


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    rows = 300_000 if quick else 1_000_000
    repeats = 5 if quick else 9
    shutil.rmtree(ROOT, ignore_errors=True)
    started = time.perf_counter()
    write_catalogue(ROOT, rows)
    add_row_exemption(ROOT)
    (ROOT / "dashboard.yaml").write_text(yaml.safe_dump(DASHBOARD, sort_keys=False))
    yield {"figure": "generated", "rows": rows, "seconds": round(time.perf_counter() - started, 1)}
    try:
        for dialect in ("sqlite", "postgres"):
            async for result in run_backend(dialect, ROOT, rows, repeats):
                yield {"rows": rows, **result}
    finally:
        shutil.rmtree(ROOT, ignore_errors=True)
