"""The portal's routes, at their paths in `opendata.urls.PATHS` (by name), so every link and
redirect comes from one place."""

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
    follows,
    receipt,
    requests,
    staff_act,
    staff_calendar,
    staff_data,
    staff_exemptions,
    staff_jobs,
    staff_objection_register,
    staff_objections,
    staff_queue,
    staff_register,
    staff_report,
    statistics,
    steward,
)
from opendata.urls import PATHS, mount_prefix

STATIC = Path(__file__).parent / "static"


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
    name: str,
    show: Callable[..., Any],
    submit: Callable[..., Any],
    submit_name: str | None = None,
) -> list[BaseRoute]:
    """A page and the form it posts to its own address (POST-redirect-GET); the POST route is
    named `<name>_post` unless `submit_name` says otherwise."""
    return [
        Route(PATHS[name], show, name=name),
        Route(PATHS[name], submit, methods=["POST"], name=submit_name or f"{name}_post"),
    ]


def page(name: str, show: Callable[..., Any], methods: list[str] | None = None) -> Route:
    return Route(PATHS[name], show, name=name, methods=methods)


def portal_routes() -> list[BaseRoute]:
    return [
        page("home", catalogue.home),
        page("search", catalogue.search),
        page("dataset", catalogue.dataset),
        page("agency", catalogue.agency),
        page("register", requests.register),
        *page_and_form("new_request", requests.new_request, requests.file_request, "file_request"),
        *page_and_form("request", requests.request_page, requests.request_action, "request_action"),
        page("my_requests", requests.my_requests),
        *page_and_form("sign_up", accounts.sign_up_form, accounts.sign_up),
        *page_and_form("sign_in", accounts.sign_in_form, accounts.sign_in),
        page("sign_out", accounts.sign_out, ["POST"]),
        page("deadline", deadline.deadline),
        page("dashboard", gzipped(request_response(dashboard.dashboard)), ["GET"]),
        page("dashboard_csv", dashboard.dashboard_csv),
        page("statistics", statistics.statistics),
        page("statistics_csv", statistics.statistics_download),
        page("staff", staff_queue.queue),
        *page_and_form("staff_act", staff_act.act_page, staff_act.act),
        page("staff_letter", staff_act.letter),
        *page_and_form(
            "staff_register", staff_register.staff_register, staff_register.staff_register_post
        ),
        *page_and_form(
            "staff_objections",
            staff_objections.staff_objections,
            staff_objections.staff_objections_post,
        ),
        page("staff_objection_register", staff_objection_register.staff_objection_register),
        *page_and_form("staff_report", staff_report.staff_report, staff_report.staff_report_post),
        *page_and_form(
            "staff_exemptions",
            staff_exemptions.staff_exemptions,
            staff_exemptions.staff_exemptions_post,
        ),
        *page_and_form("staff_jobs", staff_jobs.staff_jobs, staff_jobs.staff_jobs_post),
        *page_and_form(
            "staff_calendar", staff_calendar.staff_calendar, staff_calendar.staff_calendar_post
        ),
        *page_and_form("staff_data", staff_data.staff_data, staff_data.staff_data_post),
        page("staff_data_version", staff_data.staff_data_version),
        page("steward", steward.steward),
        *page_and_form(
            "steward_version", steward.steward_version, steward.steward_version_post
        ),
        *page_and_form(
            "steward_dataset", steward.steward_dataset, steward.steward_dataset_post
        ),
        *page_and_form("follow", follows.follow_page, follows.follow_post),
        *page_and_form("follow_confirm", follows.confirm_page, follows.confirm_post),
        *page_and_form("unfollow", follows.unfollow_page, follows.unfollow_post),
        page("request_receipt", receipt.receipt),
        Mount(mount_prefix("static"), gzipped(StaticFiles(directory=STATIC)), name="static"),
    ]
