"""The observability doors and middleware, for opendata.app."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from opendata.observability.health import Readiness, healthz
from opendata.observability.metrics import CONTENT_TYPE, Metrics
from opendata.observability.requests import ObservedRequests
from opendata.request_scope import Parts
from opendata.urls import PATHS

HEALTHZ, READYZ, METRICS = PATHS["healthz"], PATHS["readyz"], PATHS["metrics"]


def observability_routes(parts: Parts, metrics: Metrics) -> list[Route]:
    readiness = Readiness.of(parts)

    async def scrape(_: Request) -> Response:
        payload = await metrics.render(parts.database, parts.search)
        return Response(payload, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})

    return [
        Route(HEALTHZ, healthz, name="healthz"),
        Route(READYZ, readiness.respond, name="readyz"),
        Route(METRICS, scrape, name="metrics"),
    ]


def observability_middleware(metrics: Metrics) -> Middleware:
    return Middleware(ObservedRequests, metrics=metrics)
