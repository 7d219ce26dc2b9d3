"""Scalar overrides: every DateTime the API answers is in UTC, the way it is stored.

Strawberry's own DateTime answers a value in whatever offset it carries: a walk-in filing
given `receivedAt` with `+07:00` came back in `+07:00` while an online one came back in UTC.
Statutory days are counted in regency time by the domain (`calendar.regency_date`), not by
the offset a client happens to read.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition


def utc_isoformat(value: datetime) -> str:
    if value.tzinfo is None:  # stored values are UTC (`db.base.UtcDateTime`)
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


UTC_DATETIME: ScalarDefinition = dataclasses.replace(DateTimeDefinition, serialize=utc_isoformat)

SCALAR_OVERRIDES = {datetime: UTC_DATETIME}
