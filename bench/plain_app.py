"""The anatomy server: opendata's app, plus plain Starlette endpoints on the raw driver.

Run as a subprocess: `python bench/plain_app.py --port P --data-dir D [--database-url U]`.

The `/plain/...` endpoints run the same SQL the app needs for the same answer (dataset,
agency, resources, exemptions; a resource's first rows, or on the dataset page every row
its chart counts, as the page reads them) straight on asyncpg or aiosqlite,
with no ORM, no GraphQL, no templates: the floor a request could cost on this machine.
`/plain/statements` answers how many statements and connection checkouts the app's engine
has made so far (a `before_cursor_execute` and a pool `checkout` counter).
"""

from __future__ import annotations

import html
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiosqlite
import asyncpg
from sqlalchemy import event
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bench.bench_app import bench_settings, run_as_deployed, serve_as_deployed
from opendata.app import create_app
from opendata.portal.preview import MAX_CHART_ROWS, PREVIEW_ROWS
from opendata.services import Services, open_services

COUNTS = {"statements": 0, "checkouts": 0}

DATASET_SQL = (
    "SELECT id, slug, agency_id, title, description, keywords, topics, license, category,"
    " modified, minimum_cell_size FROM datasets WHERE slug = ? AND removed_at IS NULL"
)
AGENCY_SQL = "SELECT id, slug, name, acronym FROM agencies WHERE id = ?"
RESOURCES_SQL = (
    "SELECT id, name, format, fields, row_count, row_table FROM resources"
    " WHERE dataset_id = ? ORDER BY position, id"
)
EXEMPTIONS_SQL = (
    "SELECT basis, scope, field FROM exemptions WHERE dataset_id = ? AND revoked_at IS NULL"
)


class PlainDatabase:
    """The raw driver: an asyncpg pool, or one aiosqlite connection (its own thread)."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.url = url
        self.data_dir = data_dir
        self.pool: asyncpg.Pool | None = None
        self.sqlite: aiosqlite.Connection | None = None

    async def open(self) -> None:
        if self.url.startswith("postgresql"):
            dsn = self.url.replace("postgresql+asyncpg://", "postgresql://", 1)
            self.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
        else:
            path = self.url.split("///", 1)[1] if self.url else str(self.data_dir / "opendata.db")
            self.sqlite = await aiosqlite.connect(path)

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        if self.pool is not None:
            parts = sql.split("?")
            text = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
            return [tuple(r) for r in await self.pool.fetch(text, *args)]
        assert self.sqlite is not None
        async with self.sqlite.execute(sql, args) as cursor:
            return [tuple(r) for r in await cursor.fetchall()]

    async def dataset(self, slug: str) -> dict[str, Any] | None:
        found = await self.fetch(DATASET_SQL, slug)
        if not found:
            return None
        d = found[0]
        agency = (await self.fetch(AGENCY_SQL, d[2]))[0]
        resources = await self.fetch(RESOURCES_SQL, d[0])
        exemptions = await self.fetch(EXEMPTIONS_SQL, d[0])
        withheld = {e[2] for e in exemptions if e[1] == "FIELD"}

        def fields(raw: Any) -> list[dict[str, Any]]:
            declared = json.loads(raw) if isinstance(raw, str) else raw
            return [
                {
                    "name": f["name"],
                    "title": f.get("title"),
                    "type": f["type"],
                    "withheld": f["name"] in withheld,
                }
                for f in declared
            ]

        return {
            "id": d[0],
            "slug": d[1],
            "title": d[3],
            "description": d[4],
            "agency": {"slug": agency[1], "name": agency[2], "acronym": agency[3]},
            "keywords": json.loads(d[5]) if isinstance(d[5], str) else d[5],
            "topics": json.loads(d[6]) if isinstance(d[6], str) else d[6],
            "license": d[7],
            "category": d[8],
            "modified": str(d[9]) if d[9] else None,
            "resources": [
                {
                    "id": r[0],
                    "name": r[1],
                    "format": r[2].upper(),
                    "fields": fields(r[3]),
                    "rowCount": r[4],
                    "table": r[5],
                }
                for r in resources
            ],
            "exemptions": [{"basis": e[0], "scope": e[1]} for e in exemptions],
        }

    async def first_rows(self, table: str, count: int) -> list[tuple[Any, ...]]:
        return await self.fetch(f'SELECT * FROM "{table}" ORDER BY _id LIMIT {int(count) + 1}')


def plain_routes(plain: PlainDatabase) -> list[Route]:
    async def dataset(request: Request) -> Response:
        found = await plain.dataset(request.path_params["slug"])
        if found is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse({"data": {"dataset": found}})

    async def rows(request: Request) -> Response:
        found = await plain.dataset(request.path_params["slug"])
        assert found is not None
        answers = []
        for resource in found["resources"]:
            names = [f["name"] for f in resource["fields"]]
            body = await plain.first_rows(resource["table"], 100)
            edges = [{"node": dict(zip(names, row[1:], strict=False))} for row in body[:100]]
            answers.append({"rows": {"totalCount": resource["rowCount"], "edges": edges}})
        text = json.dumps({"data": {"dataset": {"resources": answers}}}, default=str)
        return Response(text, media_type="application/json")

    async def page(request: Request) -> Response:
        """The dataset page's reads: each resource's rows in key order, every one (up to
        MAX_CHART_ROWS) where the page draws a chart of them, PREVIEW_ROWS shown in a
        table and every one counted per value of the first text field (the chart's bars)."""
        found = await plain.dataset(request.path_params["slug"])
        assert found is not None
        parts = [f"<html><body><h1>{html.escape(found['title'])}</h1>"]
        parts.append(f"<p>{html.escape(found['description'] or '')}</p>")
        for resource in found["resources"]:
            fields = resource["fields"]
            head = "".join(f"<th>{html.escape(f['name'])}</th>" for f in fields)
            parts.append(f"<h2>{html.escape(resource['name'])}</h2><table><tr>{head}</tr>")
            charted = resource["rowCount"] <= MAX_CHART_ROWS
            count = MAX_CHART_ROWS if charted else PREVIEW_ROWS
            rows = await plain.first_rows(resource["table"], count)
            for row in rows[:PREVIEW_ROWS]:
                cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in row[1:])
                parts.append(f"<tr>{cells}</tr>")
            parts.append(f"</table><p>{resource['rowCount']}</p>")
            text = next((i for i, f in enumerate(fields, 1) if f["type"] == "string"), None)
            if charted and text is not None:
                bars = Counter(str(row[text]) for row in rows[:count])
                parts.append("<ol>")
                parts += [f"<li>{html.escape(k)} {n}</li>" for k, n in bars.most_common()]
                parts.append("</ol>")
        return HTMLResponse("".join(parts) + "</body></html>")

    async def statements(_: Request) -> Response:
        return JSONResponse(COUNTS)

    return [
        Route("/plain/dataset/{slug}", dataset),
        Route("/plain/rows/{slug}", rows),
        Route("/plain/page/{slug}", page),
        Route("/plain/statements", statements),
    ]


def count_statements(services: Services) -> None:
    engine = services.database.engine.sync_engine

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(*_: Any) -> None:
        COUNTS["statements"] += 1

    @event.listens_for(engine.pool, "checkout")
    def _checkout(*_: Any) -> None:
        COUNTS["checkouts"] += 1


async def main() -> None:
    args, settings = bench_settings()
    services = await open_services(settings)
    count_statements(services)
    plain = PlainDatabase(services.database.url, Path(args.data_dir))
    await plain.open()
    app = create_app(services)
    app.router.routes.extend(plain_routes(plain))
    if os.environ.get("OPENDATA_BENCH_PROFILE"):
        from pyinstrument import Profiler  # diagnostics only, installed outside the project

        with Profiler(async_mode="enabled") as profiler:
            await serve_as_deployed(app, args.port)
        Path(os.environ["OPENDATA_BENCH_PROFILE"]).write_text(profiler.output_text())
    else:
        await serve_as_deployed(app, args.port)


if __name__ == "__main__":
    run_as_deployed(main())
