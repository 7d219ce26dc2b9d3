"""The HTTP side: `/api/3/action/<name>` and `/api/action/<name>`, GET and POST.

Reads parameters from the query string or a JSON body, validates them against the action's
declared parameters, runs the action, and wraps the answer in CKAN's envelope
`{"help", "success", "result"}` or `{"help", "success": false, "error"}` with CKAN's status.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from opendata.errors import DomainError
from opendata.interop.ckan.actions import ACTIONS, ActionContext
from opendata.interop.ckan.errors import BAD_REQUEST, CkanError
from opendata.interop.ckan.params import parse_params
from opendata.request_scope import Parts, RequestScope
from opendata.urls import PublicUrls

log = logging.getLogger(__name__)


def _envelope(help_url: str, status: int, **body: Any) -> Response:
    return JSONResponse({"help": help_url, **body}, status_code=status)


def _grouped(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Repeated keys (`fields=a&fields=b`) become a list, as CKAN reads them."""
    raw: dict[str, Any] = {}
    for key, value in pairs:
        raw[key] = (
            [*raw[key], value]
            if isinstance(raw.get(key), list)
            else ([raw[key], value] if key in raw else value)
        )
    return raw


def _as_text(value: Any) -> str:
    """A JSON body's value as a query string carries it (lists and objects as JSON)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


async def _arguments(request: Request, max_bytes: int) -> list[tuple[str, Any]]:
    """Every argument as sent, in order: the query string's pairs for GET, the body's keys."""
    if request.method == "GET":
        return list(request.query_params.multi_items())
    return list((await _body_params(request, max_bytes)).items())


async def _body_params(request: Request, max_bytes: int) -> dict[str, Any]:
    body = await request.body()
    if len(body) > max_bytes:
        raise CkanError(
            BAD_REQUEST,
            f"Isi permintaan lebih dari {max_bytes} bita.",
            f"The request body is larger than {max_bytes} bytes.",
        )
    if not body.strip():
        return {}
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict((await request.form()).items())
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise CkanError(
            BAD_REQUEST,
            "Isi permintaan harus berupa objek JSON.",
            "The request body must be a JSON object.",
        )
    return parsed


class CkanEndpoint:
    def __init__(self, services: Parts) -> None:
        self.services = services

    async def api_version(self, request: Request) -> Response:
        """`/api/3`: the API level, as CKAN answers it (clients probe it before calling)."""
        return JSONResponse({"version": 3})

    async def handle(self, request: Request) -> Response:
        name = request.path_params["action"]
        urls = PublicUrls.for_request(request)
        help_url = urls.route("ckan_action", action="help_show", name=name)
        try:
            action = ACTIONS.get(name)
            if action is None:
                raise CkanError(
                    BAD_REQUEST,
                    f"Aksi '{name[:80]}' tidak dikenal.",
                    f"Action name not known: {name[:80]}",
                )
            sent = await _arguments(request, self.services.settings.limits.max_body_bytes)
            params = parse_params(action.params, _grouped(sent), action.strict, action.open_prefix)
            context = ActionContext(
                RequestScope.of(self.services),
                urls,
                path=request.url.path,
                arguments=tuple((key, _as_text(value)) for key, value in sent),
            )
            # the action's reads, one after another, on one session (`Database.shared_reads`)
            async with self.services.database.shared_reads():
                result = await action.handler(context, params)
        except DomainError as error:
            failure = CkanError.from_domain(error)
            return _envelope(help_url, failure.status, success=False, error=failure.body())
        except CkanError as failure:
            return _envelope(help_url, failure.status, success=False, error=failure.body())
        return _envelope(help_url, 200, success=True, result=result)
