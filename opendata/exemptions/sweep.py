"""Expiry without anyone acting (Pasal 20): the sweep that re-publishes lapsed content.

Visibility already ignores an exemption once its `expiresOn` has passed in regency time
(`visibility.active_clause`), so rows, counts and downloads are public again at midnight in
Asia/Pontianak. The search index is built ahead of time, though: the sweep marks each lapsed
exemption (`lapsed_at`, kept in the history) and re-indexes its dataset in the same unit of
work, so the now-public values become searchable. It runs when the server starts, then on
a schedule (`Settings.exemption_sweep_seconds`, and just after each regency midnight), and
from `opendata exemptions sweep`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from opendata.catalogue.changes import record_catalogue_change
from opendata.db.base import utcnow
from opendata.db.models import Exemption
from opendata.follows.notify import queue_exemptions_ended
from opendata.lifespan_task import running_until_shutdown
from opendata.parts import HasIndex
from opendata.regency_time import REGENCY_TZ, regency_now, regency_today

logger = logging.getLogger("opendata.exemptions.sweep")

# After midnight, wait this long before sweeping, so clocks a little behind agree it is the
# new day.
AFTER_MIDNIGHT = timedelta(seconds=5)


@dataclass
class SweepResult:
    lapsed_ids: list[int] = field(default_factory=list)
    dataset_ids: list[int] = field(default_factory=list)


async def sweep_expired(services: HasIndex, *, today: date | None = None) -> SweepResult:
    """Mark exemptions past their expiry date as lapsed and re-index their datasets."""
    today = today or regency_today()
    result = SweepResult()
    async with services.database.write() as session:
        lapsed = list(
            await session.scalars(
                select(Exemption)
                .where(
                    Exemption.lapsed_at.is_(None),
                    Exemption.revoked_at.is_(None),
                    Exemption.expires_on.is_not(None),
                    Exemption.expires_on < today,
                )
                .order_by(Exemption.id)
                .with_for_update()
            )
        )
        if not lapsed:
            return result
        moment = utcnow()
        for exemption in lapsed:
            exemption.lapsed_at = moment
        await session.flush()
        result.lapsed_ids = [e.id for e in lapsed]
        result.dataset_ids = sorted({e.dataset_id for e in lapsed})
        await record_catalogue_change(services, session, result.dataset_ids)
        await queue_exemptions_ended(session, lapsed, today)  # the DIK watch (issue 24)
    logger.info(
        "exemption sweep: %d lapsed, %d datasets re-indexed",
        len(result.lapsed_ids),
        len(result.dataset_ids),
    )
    return result


def seconds_until_next_sweep(interval: float, now: datetime | None = None) -> float:
    """The schedule's interval, or less if regency midnight (when expiries happen) comes first."""
    now = now or regency_now()
    local = now.astimezone(REGENCY_TZ)
    next_midnight = datetime.combine(
        local.date() + timedelta(days=1), datetime.min.time(), REGENCY_TZ
    )
    until_midnight = (next_midnight - local + AFTER_MIDNIGHT).total_seconds()
    return max(0.0, min(interval, until_midnight))


async def _sweep_logged(services: HasIndex) -> None:
    try:
        await sweep_expired(services)
    except Exception:  # the server must keep serving; the next sweep retries
        logger.exception("exemption sweep failed; retrying at the next interval")


async def _sweep_forever(parts: HasIndex, interval: float) -> None:
    while True:
        await asyncio.sleep(seconds_until_next_sweep(interval))
        await _sweep_logged(parts)


@contextlib.asynccontextmanager
async def scheduled_sweeps(parts: HasIndex, interval: float) -> AsyncIterator[None]:
    """For the app's lifespan: one sweep before serving, then every `interval` seconds (and
    just after midnight) until shutdown."""
    await _sweep_logged(parts)
    async with running_until_shutdown(_sweep_forever(parts, interval), "exemption-sweep"):
        yield
