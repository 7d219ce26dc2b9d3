"""Token buckets per client, so one scraper cannot starve everyone.

Anonymous clients are keyed by address, authenticated ones by their token (hashed). A bearer
string counts as a token only once it has authenticated on this server: until then it is
charged to the client's address, so inventing a new string per request buys no new bucket.
The client's address is what uvicorn puts in the ASGI scope: the peer's, or the
`X-Forwarded-For` client's when the peer is a proxy that `opendata serve
--forwarded-allow-ips` trusts (a forged header from anyone else is ignored).

Each door has its own buckets (`door`: GraphQL, the open-data doors, the pages and files).

**Shared on PostgreSQL.** With several servers on one PostgreSQL database the buckets live
in the database (`rate_limit_buckets`, an UNLOGGED table: a crash only refills them), so a
client limited through one server is limited through every other. Redis would do the same
but is not part of the stack a regency runs; PostgreSQL already is. The cost is one
statement per request: an `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` in autocommit
that refills and takes a token atomically on the database's clock (one round trip: it
costs what a `SELECT 1` on the same pool costs, `python bench/run.py rate_limit`; one row
lock per client, so concurrent requests of one client queue on it and others never wait),
and every `SWEEP_EVERY` requests a `DELETE` of the rows that have refilled (a full bucket
is the same as no row). If the statement fails (the
database is away), the process's own buckets decide, so the limiter never fails a request.

**Per process on SQLite** (one server): buckets in memory. Memory is bounded: a bucket that
has refilled is the same as no bucket and is dropped, and at most `MAX_TRACKED_CLIENTS`
buckets and `MAX_KNOWN_TOKENS` token hashes are kept (least recently seen go first).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Boolean, Float, String, text
from sqlalchemy.orm import Mapped, mapped_column
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from opendata.config import RateLimits
from opendata.db.base import Base
from opendata.db.engine import Database
from opendata.errors import RateLimited
from opendata.parts import HasDatabaseAndSettings
from opendata.web.errors import error_body

log = logging.getLogger(__name__)

MAX_TRACKED_CLIENTS = 20_000
MAX_KNOWN_TOKENS = 20_000
SWEEP_EVERY = 1000
WARN_EVERY_SECONDS = 60.0


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateBucket(Base):
    """One client's bucket at one door, shared by every server (PostgreSQL only)."""

    __tablename__ = "rate_limit_buckets"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated: Mapped[float] = mapped_column(Float)  # the database's clock, epoch seconds
    allowed: Mapped[bool] = mapped_column(Boolean)  # whether the last request took a token


# Refill, then take a token if there is one, in one statement on the database's clock (the
# servers' clocks may differ). In DO UPDATE every `b.` is the row before this request.
_REFILLED = "LEAST(:burst, b.tokens + (excluded.updated - b.updated) * :rate)"
TAKE_TOKEN = text(
    f"""INSERT INTO rate_limit_buckets AS b (key, tokens, updated, allowed)
    VALUES (:key, :burst - 1, EXTRACT(EPOCH FROM clock_timestamp()), true)
    ON CONFLICT (key) DO UPDATE SET
        tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,
        allowed = {_REFILLED} >= 1,
        updated = excluded.updated
    RETURNING allowed, tokens"""
)
FORGET_REFILLED = text(
    "DELETE FROM rate_limit_buckets "
    "WHERE updated < EXTRACT(EPOCH FROM clock_timestamp()) - :horizon"
)


def _token_key(token: str) -> str:
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:24]


class RateLimiter:
    def __init__(
        self,
        limits: RateLimits,
        clock: Callable[[], float] | None = None,
        *,
        shared: Database | None = None,
        door: str = "",
    ) -> None:
        self.limits = limits
        self._clock = clock or time.monotonic
        # PostgreSQL: the buckets every server shares; None: this process's only
        self._shared = shared.side_engine if shared is not None else None
        self.door = door
        self._warned_at = -math.inf
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

    async def retry_after(self, key: str) -> float | None:
        """Take one token; None if allowed, else seconds until one is available."""
        if not self.limits.enabled:
            return None
        if self._shared is not None:
            try:
                return await self._shared_retry_after(key)
            except Exception:  # the database is away: this process's buckets decide
                now = time.monotonic()
                if now - self._warned_at > WARN_EVERY_SECONDS:  # a line a minute, not a flood
                    self._warned_at = now
                    log.warning("shared rate limit unavailable; using this process's buckets")
        return self.local_retry_after(key)

    async def _shared_retry_after(self, key: str) -> float | None:
        assert self._shared is not None
        rate, burst = self._shape(key)
        self._calls += 1
        async with self._shared.connect() as connection:
            row = (
                await connection.execute(
                    TAKE_TOKEN, {"key": f"{self.door}|{key}"[:80], "rate": rate, "burst": burst}
                )
            ).one()
            if self._calls % SWEEP_EVERY == 0:
                await connection.execute(FORGET_REFILLED, {"horizon": self._refill_horizon()})
        allowed, tokens = row
        return None if allowed else (1.0 - tokens) / rate

    def _refill_horizon(self) -> float:
        """Seconds after which any bucket has refilled whole."""
        limits = self.limits
        return max(
            limits.anonymous_burst / limits.anonymous_rate, limits.token_burst / limits.token_rate
        )

    def local_retry_after(self, key: str) -> float | None:
        """The same, in this process's memory."""
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


def limiter_for(services: HasDatabaseAndSettings, door: str) -> RateLimiter:
    """A door's limiter: shared with every server on PostgreSQL, this process's on SQLite."""
    return RateLimiter(services.settings.rate_limits, shared=services.database, door=door)


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
        wait = await limiter.retry_after(limiter.client_key(None, client[0] if client else ""))
        if wait is None:
            await app(scope, receive, send)
        else:
            await _refusal(wait, as_json)(scope, receive, send)

    return limited
