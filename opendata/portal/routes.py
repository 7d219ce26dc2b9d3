"""The portal's routes, named so every link and redirect comes from one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route, request_response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from opendata.portal.graphiql import graphiql_html
from opendata.portal.pages import (
    accounts,
    catalogue,
    dashboard,
    deadline,
    requests,
    staff_act,
    staff_exemptions,
    staff_jobs,
    staff_objections,
    staff_queue,
    staff_register,
    statistics,
)

STATIC = Path(__file__).parent / "static"
STAFF_REQUEST = "/petugas/permohonan/{agency:str}/{year:int}/{number:str}"


def wants_graphiql(request: Request) -> bool:
    """A browser opening /graphql (GET, no `query`): GraphiQL rather than the API."""
    return request.method == "GET" and "query" not in request.query_params


async def graphiql(_: Request) -> Response:
    return HTMLResponse(graphiql_html())


def gzipped(app: ASGIApp) -> ASGIApp:
    """Compressed for the wire: the style sheets, the dashboard's chart library and its page
    (a phone on a slow network downloads a fifth of the bytes)."""
    return GZipMiddleware(app, minimum_size=1024, compresslevel=6)


def page_and_form(
    path: str,
    show: Callable[..., Any],
    submit: Callable[..., Any],
    name: str,
    submit_name: str | None = None,
) -> list[BaseRoute]:
    """A page and the form it posts to its own address (POST-redirect-GET); the POST route is
    named `<name>_post` unless `submit_name` says otherwise."""
    return [
        Route(path, show, name=name),
        Route(path, submit, methods=["POST"], name=submit_name or f"{name}_post"),
    ]


def portal_routes() -> list[BaseRoute]:
    return [
        Route("/", catalogue.home, name="home"),
        Route("/cari", catalogue.search, name="search"),
        Route("/dataset/{slug:str}", catalogue.dataset, name="dataset"),
        Route("/instansi/{slug:str}", catalogue.agency, name="agency"),
        Route("/permohonan", requests.register, name="register"),
        *page_and_form(
            "/permohonan/baru",
            requests.new_request,
            requests.file_request,
            "new_request",
            "file_request",
        ),
        *page_and_form(
            "/permohonan/{agency:str}/{year:int}/{number:str}",
            requests.request_page,
            requests.request_action,
            "request",
            "request_action",
        ),
        Route("/saya", requests.my_requests, name="my_requests"),
        *page_and_form("/daftar", accounts.sign_up_form, accounts.sign_up, "sign_up"),
        *page_and_form("/masuk", accounts.sign_in_form, accounts.sign_in, "sign_in"),
        Route("/keluar", accounts.sign_out, methods=["POST"], name="sign_out"),
        Route("/tenggat", deadline.deadline, name="deadline"),
        Route(
            "/dasbor",
            gzipped(request_response(dashboard.dashboard)),
            methods=["GET"],
            name="dashboard",
        ),
        Route("/dasbor/{panel:str}.csv", dashboard.dashboard_csv, name="dashboard_csv"),
        Route("/statistik", statistics.statistics, name="statistics"),
        Route("/statistik.csv", statistics.statistics_download, name="statistics_csv"),
        Route("/petugas", staff_queue.queue, name="staff"),
        *page_and_form(STAFF_REQUEST, staff_act.act_page, staff_act.act, "staff_act"),
        Route(f"{STAFF_REQUEST}/surat/{{kind:str}}.pdf", staff_act.letter, name="staff_letter"),
        *page_and_form(
            "/petugas/permohonan/baru",
            staff_register.staff_register,
            staff_register.staff_register_post,
            "staff_register",
        ),
        *page_and_form(
            "/petugas/keberatan",
            staff_objections.staff_objections,
            staff_objections.staff_objections_post,
            "staff_objections",
        ),
        *page_and_form(
            "/petugas/pengecualian",
            staff_exemptions.staff_exemptions,
            staff_exemptions.staff_exemptions_post,
            "staff_exemptions",
        ),
        *page_and_form(
            "/petugas/pekerjaan", staff_jobs.staff_jobs, staff_jobs.staff_jobs_post, "staff_jobs"
        ),
        Mount("/static", gzipped(StaticFiles(directory=STATIC)), name="static"),
    ]
