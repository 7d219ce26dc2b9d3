"""What the steward sees of the sources: each one's last attempt, its result and message, and
the last failure (so an UNCHANGED fetch after a failure does not hide it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Role, Viewer
from opendata.catalogue.sources import DatasetSource
from opendata.copying import copied
from opendata.db.models import Agency, Dataset
from opendata.parts import HasDatabase
from opendata.pull.access import require_manager
from opendata.pull.models import PullOutcome, SourceAttempt


@dataclass(frozen=True)
class AttemptView:
    tick: datetime
    outcome: PullOutcome
    started_at: datetime
    finished_at: datetime | None
    http_status: int | None
    version_number: int | None
    message: str
    message_en: str

    @classmethod
    def of(cls, row: SourceAttempt) -> AttemptView:
        """The attempt's own columns, its outcome as the enum."""
        return copied(cls, row, outcome=PullOutcome(row.outcome))


@dataclass(frozen=True)
class SourceStatus:
    dataset_slug: str
    dataset_title: str
    agency_slug: str
    url: str
    format: str
    schedule_minutes: int
    review: bool
    last_attempt: AttemptView | None
    last_failure: AttemptView | None


async def _latest(
    session: AsyncSession, source_ids: list[int], *, failed: bool
) -> dict[int, AttemptView]:
    """Per source, its attempt of the latest tick (of the latest failed tick, with `failed`)."""
    latest = select(SourceAttempt.source_id, func.max(SourceAttempt.tick).label("tick")).where(
        SourceAttempt.source_id.in_(source_ids)
    )
    if failed:
        latest = latest.where(SourceAttempt.outcome == PullOutcome.FAILED.value)
    ticks = latest.group_by(SourceAttempt.source_id).subquery()
    rows = await session.scalars(
        select(SourceAttempt).join(
            ticks,
            (ticks.c.source_id == SourceAttempt.source_id) & (ticks.c.tick == SourceAttempt.tick),
        )
    )
    return {row.source_id: AttemptView.of(row) for row in rows}


async def source_statuses(parts: HasDatabase, viewer: Viewer | None) -> list[SourceStatus]:
    """Every source the viewer manages (the steward: all; a producer: their agency's), by
    agency and dataset, with its last attempt and last failure."""
    who = require_manager(viewer)
    query = (
        select(DatasetSource, Dataset.slug, Dataset.title, Agency.slug)
        .join(Dataset, Dataset.id == DatasetSource.dataset_id)
        .join(Agency, Agency.id == Dataset.agency_id)
        .where(Dataset.removed_at.is_(None))
        .order_by(Agency.slug, Dataset.slug)
    )
    if who.role is Role.PRODUCER:
        query = query.where(Dataset.agency_id == who.agency_id)
    async with parts.database.session() as session:
        rows = (await session.execute(query)).all()
        ids = [source.id for source, *_ in rows]
        last = await _latest(session, ids, failed=False)
        failures = await _latest(session, ids, failed=True)
    return [
        SourceStatus(
            dataset_slug,
            title,
            agency_slug,
            source.url,
            source.format,
            source.schedule_minutes,
            source.review,
            last.get(source.id),
            failures.get(source.id),
        )
        for source, dataset_slug, title, agency_slug in rows
    ]
