"""Token buckets per client, so one scraper cannot starve everyone.

Anonymous clients are keyed by address, authenticated ones by their token (hashed). The
buckets live in this process: with several servers each enforces its own share.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from opendata.config import RateLimits

MAX_TRACKED_CLIENTS = 100_000


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, limits: RateLimits, clock: Callable[[], float] | None = None) -> None:
        self.limits = limits
        self._clock = clock or time.monotonic
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    @staticmethod
    def client_key(token: str | None, address: str) -> str:
        if token:
            return "token:" + hashlib.sha256(token.encode()).hexdigest()[:24]
        return "addr:" + address

    def retry_after(self, key: str) -> float | None:
        """Take one token; None if allowed, else seconds until one is available."""
        if not self.limits.enabled:
            return None
        is_token = key.startswith("token:")
        rate = self.limits.token_rate if is_token else self.limits.anonymous_rate
        burst = float(self.limits.token_burst if is_token else self.limits.anonymous_burst)
        now = self._clock()
        bucket = self._buckets.pop(key, None) or Bucket(tokens=burst, updated=now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        self._buckets[key] = bucket
        if len(self._buckets) > MAX_TRACKED_CLIENTS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / rate


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
