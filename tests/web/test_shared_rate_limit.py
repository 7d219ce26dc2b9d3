"""The rate limiter's buckets (issue 25): shared by every limiter on one PostgreSQL database
(the servers), per door; per process on SQLite."""

from __future__ import annotations

import pytest

from opendata.config import RateLimits
from opendata.db.engine import Database
from opendata.services import Services
from opendata.web.rate_limit import RateLimiter

LIMITS = RateLimits(enabled=True, anonymous_rate=0.01, anonymous_burst=3)


async def test_one_client_has_one_bucket_per_door_across_servers(services: Services) -> None:
    one, other = (RateLimiter(LIMITS, shared=services.database, door="pages") for _ in range(2))
    graphql = RateLimiter(LIMITS, shared=services.database, door="graphql")
    key = one.client_key(None, "198.51.100.7")
    assert [await one.retry_after(key) for _ in range(3)] == [None, None, None]
    wait = await other.retry_after(key)
    shared = services.database.is_postgres
    assert (wait is not None) == shared  # the other server knows on PostgreSQL only
    if wait is not None:
        assert 0 < wait <= 1 / LIMITS.anonymous_rate
    assert await graphql.retry_after(key) is None  # another door, another bucket
    assert await other.retry_after(other.client_key(None, "198.51.100.8")) is None


async def test_with_the_database_away_the_process_buckets_still_limit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    away = Database("postgresql+asyncpg://postgres@127.0.0.1:1/gone")  # nothing listens there
    try:
        limiter = RateLimiter(
            RateLimits(enabled=True, anonymous_rate=0.01, anonymous_burst=2), shared=away
        )
        key = limiter.client_key(None, "198.51.100.9")
        answers = [await limiter.retry_after(key) for _ in range(4)]
    finally:
        await away.dispose()
    assert answers[:2] == [None, None] and None not in answers[2:]
    assert caplog.text.count("shared rate limit unavailable") == 1  # said once, not per request
