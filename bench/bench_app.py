"""The app under benchmark, plus a plain Starlette JSON endpoint over the same database.

Run as a subprocess: `python bench/bench_app.py --port P --data-dir D [--no-cache]`.
`/plain/dataset/{slug}` returns what the typical `dataset(slug:)` GraphQL query returns,
from the same domain functions, so the ratio measures the GraphQL layer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.memory_probe import start_if_asked
from opendata.app import create_app
from opendata.catalogue import queries
from opendata.cli import event_loop_factory
from opendata.config import RateLimits, Settings
from opendata.cycle_collector import settle_for_serving
from opendata.public_ids import to_global_id
from opendata.services import Services, open_services
from opendata.visibility.policy import load_policy


def plain_endpoint(services: Services) -> Route:
    async def dataset(request: Request) -> Response:
        slug = request.path_params["slug"]
        async with services.database.session() as session:
            found = await queries.dataset_by_slug(session, slug)
            if found is None:
                return JSONResponse({"error": "not found"}, status_code=404)
            agency = (await queries.agencies_by_ids(session, [found.agency_id]))[0]
            resources = (await queries.resources_by_dataset_ids(session, [found.id]))[0]
            policy = await load_policy(session, found.id)
        assert agency is not None
        body: dict[str, Any] = {
            "id": to_global_id("Dataset", found.id),
            "slug": found.slug,
            "title": found.title,
            "description": found.description,
            "agency": {"name": agency.name, "acronym": agency.acronym},
            "topics": found.topics,
            "keywords": found.keywords,
            "license": found.license,
            "category": found.category,
            "access": policy.access,
            "modified": found.modified.isoformat() if found.modified else None,
            "resources": [
                {
                    "id": to_global_id("Resource", r.id),
                    "name": r.name,
                    "format": r.format.upper(),
                    "fields": [
                        {
                            "name": f["name"],
                            "title": f.get("title"),
                            "type": f["type"],
                            "withheld": policy.field_withheld(f["name"]),
                        }
                        for f in r.fields
                    ],
                }
                for r in resources
            ],
            "exemptions": [{"basis": e.basis, "scope": e.scope} for e in policy.exemptions],
        }
        return JSONResponse({"data": {"dataset": body}})

    return Route("/plain/dataset/{slug}", dataset)


def bench_settings() -> tuple[argparse.Namespace, Settings]:
    """The command line every bench server takes, and the settings it means."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    settings = Settings(
        data_dir=Path(args.data_dir),
        database_url=args.database_url,
        rate_limits=RateLimits(enabled=False),
        response_cache_entries=0
        if args.no_cache or os.environ.get("OPENDATA_BENCH_NO_CACHE") == "1"
        else 2048,
    )
    return args, settings


async def main() -> None:
    args, settings = bench_settings()
    services = await open_services(settings)
    if os.environ.get("OPENDATA_BENCH_POOL_NO_OVERFLOW") == "1":
        # diagnostics: the same 20 connections at most, but never closed and reopened
        pool: Any = services.database.engine.pool
        pool._pool.maxsize, pool._overflow, pool._max_overflow = 20, -20, 0
    app = create_app(services)
    app.router.routes.append(plain_endpoint(services))
    probe = start_if_asked()  # noqa: F841 (kept alive by the loop) diagnostics only
    await serve_as_deployed(app, args.port)


async def serve_as_deployed(app: Starlette, port: int) -> None:
    """Serves a bench server's app on `port`, its start-up objects settled as `opendata
    serve` settles them (`cycle_collector`)."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    settle_for_serving()
    await uvicorn.Server(config).serve()


def run_as_deployed(server: Coroutine[Any, Any, None]) -> None:
    """Runs a bench server on the event loop `opendata serve` runs on (uvloop), so its
    figures are the deployed server's."""
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        runner.run(server)


if __name__ == "__main__":
    run_as_deployed(main())
