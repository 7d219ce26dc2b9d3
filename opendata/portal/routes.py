"""The portal's routes, named so every link and redirect comes from one place."""

from __future__ import annotations

from pathlib import Path

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


def portal_routes() -> list[BaseRoute]:
    return [
        Route("/", catalogue.home, name="home"),
        Route("/cari", catalogue.search, name="search"),
        Route("/dataset/{slug:str}", catalogue.dataset, name="dataset"),
        Route("/instansi/{slug:str}", catalogue.agency, name="agency"),
        Route("/permohonan", requests.register, name="register"),
        Route("/permohonan/baru", requests.new_request, name="new_request"),
        Route("/permohonan/baru", requests.file_request, methods=["POST"], name="file_request"),
        Route(
            "/permohonan/{agency:str}/{year:int}/{number:str}",
            requests.request_page,
            name="request",
        ),
        Route(
            "/permohonan/{agency:str}/{year:int}/{number:str}",
            requests.request_action,
            methods=["POST"],
            name="request_action",
        ),
        Route("/saya", requests.my_requests, name="my_requests"),
        Route("/daftar", accounts.sign_up_form, name="sign_up"),
        Route("/daftar", accounts.sign_up, methods=["POST"], name="sign_up_post"),
        Route("/masuk", accounts.sign_in_form, name="sign_in"),
        Route("/masuk", accounts.sign_in, methods=["POST"], name="sign_in_post"),
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
        Route(f"{STAFF_REQUEST}", staff_act.act_page, name="staff_act"),
        Route(f"{STAFF_REQUEST}", staff_act.act, methods=["POST"], name="staff_act_post"),
        Route(f"{STAFF_REQUEST}/surat/{{kind:str}}.pdf", staff_act.letter, name="staff_letter"),
        Route("/petugas/permohonan/baru", staff_register.staff_register, name="staff_register"),
        Route(
            "/petugas/permohonan/baru",
            staff_register.staff_register_post,
            methods=["POST"],
            name="staff_register_post",
        ),
        Route("/petugas/keberatan", staff_objections.staff_objections, name="staff_objections"),
        Route(
            "/petugas/keberatan",
            staff_objections.staff_objections_post,
            methods=["POST"],
            name="staff_objections_post",
        ),
        Route("/petugas/pengecualian", staff_exemptions.staff_exemptions, name="staff_exemptions"),
        Route(
            "/petugas/pengecualian",
            staff_exemptions.staff_exemptions_post,
            methods=["POST"],
            name="staff_exemptions_post",
        ),
        Route("/petugas/pekerjaan", staff_jobs.staff_jobs, name="staff_jobs"),
        Route(
            "/petugas/pekerjaan",
            staff_jobs.staff_jobs_post,
            methods=["POST"],
            name="staff_jobs_post",
        ),
        Mount("/static", gzipped(StaticFiles(directory=STATIC)), name="static"),
    ]
