"""Builds the Starlette app: routes, middleware, lifespan. Wiring only."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from opendata.background import background_tasks
from opendata.config import Settings, settings_from_env
from opendata.cycle_collector import settle_for_serving
from opendata.interop.cors import OpenDoorsCORS
from opendata.interop.robots import robots
from opendata.interop.routes import interop_routes
from opendata.observability.logs import configure_logging
from opendata.observability.metrics import Metrics
from opendata.observability.routes import observability_middleware, observability_routes
from opendata.portal.routes import graphiql, portal_routes, wants_graphiql
from opendata.services import Services, open_services
from opendata.urls import PATHS
from opendata.web.attachments import AttachmentEndpoint
from opendata.web.download import DataPackageEndpoint, DownloadEndpoint
from opendata.web.graphql.build import build_schema
from opendata.web.graphql.endpoint import GraphQLEndpoint
from opendata.web.push import PushEndpoint
from opendata.web.rate_limit import limiter_for, rate_limited_routes
from opendata.web.report_files import ReportEndpoint
from opendata.web.security_headers import SecurityHeaders


def create_app(services: Services) -> Starlette:
    """The app over already-opened services (the CLI and tests open and close them)."""
    schema = build_schema(services.settings.limits)
    graphql = GraphQLEndpoint(schema, services)
    download = DownloadEndpoint(services)
    datapackages = DataPackageEndpoint(services)
    # pages, downloads and attachments: one token bucket per client, like the other doors
    limiter = limiter_for(services, "pages")
    metrics = Metrics()

    async def graphql_or_graphiql(request: Request) -> Response:
        if wants_graphiql(request):
            return await graphiql(request)
        return await graphql.handle(request)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            for start in background_tasks(services):
                await stack.enter_async_context(start())
            yield

    app = Starlette(
        routes=[
            *observability_routes(services, metrics),
            Route(PATHS["robots"], robots, name="robots"),
            Route(PATHS["graphql"], graphql_or_graphiql, methods=["GET", "POST"], name="graphql"),
            *rate_limited_routes(
                limiter,
                [
                    *(
                        Route(PATHS[name], download.handle, name=name)
                        for name in ("download_csv", "download_jsonl", "download_xlsx")
                    ),
                    *(
                        Route(PATHS[name], datapackages.handle, name=name)
                        for name in ("download_datapackage", "dataset_datapackage")
                    ),
                    Route(PATHS["report"], ReportEndpoint(services).handle, name="report"),
                    Route(
                        PATHS["push"], PushEndpoint(services).handle, methods=["POST"], name="push"
                    ),
                ],
                as_json=True,
            ),
            *interop_routes(services),
            *rate_limited_routes(limiter, portal_routes()),
            *rate_limited_routes(
                limiter,
                [
                    Route(
                        PATHS["attachment"], AttachmentEndpoint(services).handle, name="attachment"
                    )
                ],
                as_json=True,
            ),
        ],
        middleware=[
            observability_middleware(metrics),
            Middleware(SecurityHeaders, public_url=services.settings.public_url),
            Middleware(OpenDoorsCORS, origins=services.settings.cors_origins),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.schema = schema
    app.state.metrics = metrics
    return app


async def app_from_settings(settings: Settings | None = None) -> Starlette:
    services = await open_services(settings or settings_from_env())
    return create_app(services)


def worker_app() -> ASGIApp:
    """For `opendata serve --workers N` (uvicorn's factory, in each worker process): the app
    over services opened from the environment at start-up, the schema already prepared by
    the parent process."""
    configure_logging()  # a spawned process: the parent's log setup is not inherited
    inner: list[Starlette] = []

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        services = await open_services(settings_from_env(), migrate=False)
        app = create_app(services)
        inner.append(app)
        settle_for_serving()
        try:
            async with app.router.lifespan_context(app):
                yield
        finally:
            await services.close()

    async def forward(scope: Scope, receive: Receive, send: Send) -> None:
        await inner[0](scope, receive, send)

    return Starlette(routes=[Mount("/", app=forward)], lifespan=lifespan)
