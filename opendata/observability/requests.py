"""Every HTTP request: a request id (`X-Request-Id`, taken from the proxy when it is a plain
token, made here otherwise), one access line, and the request metrics.

The access line names the route's *template* (`/dataset/{slug}`), never the path or query
string a person typed: a token, a NIK or an e-mail address in a URL never reaches the log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opendata.observability.logs import REQUEST_ID
from opendata.observability.metrics import Metrics

access_log = logging.getLogger("opendata.access")
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
UNMATCHED = "(unmatched)"


def request_id_of(scope: Scope) -> str:
    """The proxy's X-Request-Id when it is a plain token of up to 64 characters, else new."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            given = value.decode("latin-1")
            if _PLAIN_ID.fullmatch(given):
                return given
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The path template of the route that answered (Starlette puts it in the scope)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else UNMATCHED


class ObservedRequests:
    """ASGI middleware: request id, access line, request metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        token = REQUEST_ID.set(request_id)
        status = 500  # what the client gets when the app raises before answering
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            method = str(scope.get("method", ""))
            access_log.info(
                "%s %s %s %d %.1f ms",
                request_id,
                method,
                route,
                status,
                seconds * 1000,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                },
            )
            self.metrics.observe_request(method, route, status, seconds)
            REQUEST_ID.reset(token)
