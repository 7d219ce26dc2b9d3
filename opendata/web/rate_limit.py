"""Token buckets per client, so one scraper cannot starve everyone.

Anonymous clients are keyed by address, authenticated ones by their token (hashed). A bearer
string counts as a token only once it has authenticated on this server: until then it is
charged to the client's address, so inventing a new string per request buys no new bucket.
The buckets live in this process: with several servers each enforces its own share.

Memory is bounded: a bucket that has refilled is the same as no bucket and is dropped, and
at most `MAX_TRACKED_CLIENTS` buckets and `MAX_KNOWN_TOKENS` token hashes are kept (least
recently seen go first).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from opendata.config import RateLimits
from opendata.errors import RateLimited
from opendata.web.errors import error_body

MAX_TRACKED_CLIENTS = 20_000
MAX_KNOWN_TOKENS = 20_000
SWEEP_EVERY = 1000


@dataclass
class Bucket:
    tokens: float
    updated: float


def _token_key(token: str) -> str:
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:24]


class RateLimiter:
    def __init__(self, limits: RateLimits, clock: Callable[[], float] | None = None) -> None:
        self.limits = limits
        self._clock = clock or time.monotonic
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._known_tokens: OrderedDict[str, None] = OrderedDict()
        self._calls = 0

    def client_key(self, token: str | None, address: str) -> str:
        """The bucket a request is charged to: its token's once that token has
        authenticated here, otherwise its address."""
        if token:
            key = _token_key(token)
            if key in self._known_tokens:
                self._known_tokens.move_to_end(key)
                return key
        return "addr:" + address

    def token_authenticated(self, token: str) -> None:
        """Called once a token has proved valid: its later requests get their own bucket."""
        key = _token_key(token)
        self._known_tokens[key] = None
        self._known_tokens.move_to_end(key)
        if len(self._known_tokens) > MAX_KNOWN_TOKENS:
            self._known_tokens.popitem(last=False)

    def retry_after(self, key: str) -> float | None:
        """Take one token; None if allowed, else seconds until one is available."""
        if not self.limits.enabled:
            return None
        rate, burst = self._shape(key)
        now = self._clock()
        bucket = self._buckets.pop(key, None) or Bucket(tokens=burst, updated=now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        self._buckets[key] = bucket
        self._calls += 1
        if self._calls % SWEEP_EVERY == 0:
            self._drop_refilled(now)
        if len(self._buckets) > MAX_TRACKED_CLIENTS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / rate

    def _shape(self, key: str) -> tuple[float, float]:
        if key.startswith("token:"):
            return self.limits.token_rate, float(self.limits.token_burst)
        return self.limits.anonymous_rate, float(self.limits.anonymous_burst)

    def _drop_refilled(self, now: float) -> None:
        """Forget buckets that are full again (oldest first: the LRU order is by last use)."""
        for key, bucket in list(self._buckets.items()):
            rate, burst = self._shape(key)
            if bucket.tokens + (now - bucket.updated) * rate < burst:
                break
            del self._buckets[key]

    @property
    def tracked(self) -> int:
        return len(self._buckets)


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


REFUSAL_ID = "Terlalu banyak permintaan; coba lagi sebentar lagi."
REFUSAL_EN = "Too many requests; try again shortly."


def _refusal(wait: float, as_json: bool) -> Response:
    """429 with Retry-After, in both languages: the API's JSON error shape, or plain text."""
    headers = {"Retry-After": retry_after_header(wait), "Cache-Control": "no-store"}
    if as_json:
        body = {"errors": [error_body(REFUSAL_ID, REFUSAL_EN, "RATE_LIMITED")]}
        return JSONResponse(body, status_code=RateLimited.http_status, headers=headers)
    return PlainTextResponse(
        f"{REFUSAL_ID}\n{REFUSAL_EN}\n", status_code=RateLimited.http_status, headers=headers
    )


def rate_limited_routes(
    limiter: RateLimiter, routes: Sequence[BaseRoute], *, as_json: bool = False
) -> list[BaseRoute]:
    """`routes`, each charging the client's address a token before it answers (pages,
    downloads, attachments: the doors GraphQL and the harvesting API already limit)."""
    for route in routes:
        if isinstance(route, Route):
            route.app = _limited(limiter, route.app, as_json)
    return list(routes)


def _limited(limiter: RateLimiter, app: ASGIApp, as_json: bool) -> ASGIApp:
    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        wait = limiter.retry_after(limiter.client_key(None, client[0] if client else ""))
        if wait is None:
            await app(scope, receive, send)
        else:
            await _refusal(wait, as_json)(scope, receive, send)

    return limited
