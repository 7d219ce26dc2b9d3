"""POST /api/push/<dataset>/<resource>?mode=append|replace: an app sends rows (contract v3).

The app token (`Authorization: Bearer`) is proved before a byte of the body is read, and the
body is bounded like the uploads (`attachments.rules.MAX_UPLOAD_BYTES`, 413 past it). JSON
(an array of row objects) or CSV (a header line); 200 {"rows": N, "version": K}, 401 for a
bad token, 403 for a dataset the app may not write, 409 CHECK_FAILED naming the check, line
and field, and the same Idempotency-Key again answers the same and adds nothing.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from opendata.apps.push import Push, PushMode, check_key, push_rows
from opendata.apps.registry import AppGrant, grant_for_token
from opendata.apps.rows import FORMATS
from opendata.attachments.rules import MAX_UPLOAD_BYTES
from opendata.errors import BadUserInput, DomainError
from opendata.request_scope import Parts
from opendata.web.bearer import bearer_token
from opendata.web.graphql.body import read_limited_body
from opendata.web.responses import RequestRefused, json_response

UNSUPPORTED_MEDIA_TYPE = 415


class PushEndpoint:
    def __init__(self, services: Parts) -> None:
        self.services = services

    async def handle(self, request: Request) -> Response:
        try:
            grant = await self._grant(request)
            push = Push(
                dataset=request.path_params["dataset"],
                resource=request.path_params["resource"],
                mode=_mode(request.query_params.get("mode", PushMode.APPEND.value)),
                key=check_key(request.headers.get("idempotency-key")),
                body_format=_format(request.headers.get("content-type", "")),
                body=await read_limited_body(request, MAX_UPLOAD_BYTES),
            )
            answer = await push_rows(self.services, grant, push)
        except RequestRefused as refused:
            return json_response(refused.body, status=refused.status, headers=refused.headers)
        except DomainError as error:
            body = {"message": error.message_id, "extensions": error.extensions()}
            return json_response({"errors": [body]}, status=error.http_status)
        return json_response(answer.as_json(), headers={"Cache-Control": "no-store"})

    async def _grant(self, request: Request) -> AppGrant:
        token = bearer_token(request)
        grant = await grant_for_token(self.services.database, token) if token else None
        if grant is None:
            raise RequestRefused(
                401,
                "Token aplikasi tidak ada, tidak valid atau sudah dicabut.",
                "The app token is missing, not valid or revoked.",
                "UNAUTHENTICATED",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return grant


def _mode(raw: str) -> PushMode:
    try:
        return PushMode(raw)
    except ValueError as error:
        raise BadUserInput(
            "Parameter mode harus append atau replace.",
            "The mode parameter must be append or replace.",
            field="mode",
        ) from error


def _format(content_type: str) -> str:
    media = content_type.partition(";")[0].strip().lower()
    found = {"application/json": "json", "text/csv": "csv"}.get(media)
    if found is None or found not in FORMATS:
        raise RequestRefused(
            UNSUPPORTED_MEDIA_TYPE,
            "Content-Type harus application/json atau text/csv.",
            "The Content-Type must be application/json or text/csv.",
            "BAD_USER_INPUT",
        )
    return found
