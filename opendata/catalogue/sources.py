"""A dataset's declared source: the URL the service fetches its rows from, and how often.

Declared in the data package (`"source": {"url", "format", "schedule", "review", "resource"}`,
docs/catalog-format.md) or set by the steward (`opendata.pull.declare`); one per dataset. It
lives with the catalogue because the descriptor declares it; fetching is `opendata.pull`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, UtcDateTime, utcnow

SOURCE_FORMATS = ("csv", "json")
# a year of minutes: a schedule is at most yearly, at least every minute
MAX_SCHEDULE_MINUTES = 366 * 24 * 60
MAX_URL_LENGTH = 2000
CATALOGUE_DECLARED = "catalog"


@dataclass(frozen=True)
class SourceSpec:
    """What a descriptor or the steward declares; validated by `read_source`."""

    url: str
    format: str
    schedule_minutes: int
    # True: each fetched version waits for the steward; False: published when no check blocks
    review: bool = True
    # which resource of the dataset the fetched file replaces (None: the dataset's only one)
    resource: str | None = None


def _schedule(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("schedule: a whole number of minutes")
    try:
        minutes = int(str(value).strip())
    except ValueError as error:
        raise ValueError("schedule: a whole number of minutes") from error
    if not 1 <= minutes <= MAX_SCHEDULE_MINUTES:
        raise ValueError(f"schedule: minutes from 1 to {MAX_SCHEDULE_MINUTES}")
    return minutes


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host; other schemes (file:, ftp:, gopher:) never."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("url: an absolute http:// or https:// address")
    if len(url) > MAX_URL_LENGTH or parts.username or parts.password:
        raise ValueError(f"url: at most {MAX_URL_LENGTH} characters, without a password")
    return url.strip()


def read_source(raw: Any) -> SourceSpec | None:
    """The `source` property of a descriptor; None when absent. ValueError names the problem."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ValueError("a mapping {url, format, schedule, review, resource}")
    url = raw.get("url")
    if not isinstance(url, str):
        raise ValueError("url: an absolute http:// or https:// address")
    fmt = str(raw.get("format") or "csv").lower()
    if fmt not in SOURCE_FORMATS:
        raise ValueError(f"format: one of {', '.join(SOURCE_FORMATS)}")
    review = raw.get("review", True)
    if not isinstance(review, bool):
        raise ValueError("review: true or false")
    resource = raw.get("resource")
    if resource is not None and not isinstance(resource, str):
        raise ValueError("resource: the name of one of the dataset's resources")
    return SourceSpec(check_url(url), fmt, _schedule(raw.get("schedule")), review, resource)


def filled_resource(spec: SourceSpec, resources: list[str]) -> str | None:
    """The resource the fetched file replaces: the named one, or the dataset's only one;
    None when it names none of `resources` (or names none and there are several)."""
    filled = spec.resource or (resources[0] if len(resources) == 1 else None)
    return filled if filled in resources else None


class DatasetSource(Base):
    """The source a dataset is fetched from; the pull attempts are `opendata.pull.models`."""

    __tablename__ = "dataset_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(String(MAX_URL_LENGTH))
    format: Mapped[str] = mapped_column(String(10))
    schedule_minutes: Mapped[int] = mapped_column(Integer)
    review: Mapped[bool] = mapped_column(Boolean, default=True)
    resource: Mapped[str | None] = mapped_column(String(200))
    # "catalog" (the descriptor's `source`) or "api" (set by the steward)
    declared_in: Mapped[str] = mapped_column(String(10), default="api")
    # who answers for the versions it brings: the steward or producer who declared it through
    # the service; each pull submits as them (a catalogue-declared source waits for one)
    declared_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @property
    def spec(self) -> SourceSpec:
        return SourceSpec(self.url, self.format, self.schedule_minutes, self.review, self.resource)


async def store_source(
    session: AsyncSession,
    dataset_id: int,
    spec: SourceSpec | None,
    *,
    declared_in: str,
    actor: str | None,
    user_id: int | None = None,
) -> DatasetSource | None:
    """Set (or with None, remove) the dataset's source; the stored row, if any."""
    row = await session.scalar(select(DatasetSource).where(DatasetSource.dataset_id == dataset_id))
    if spec is None:
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    if row is None:
        row = DatasetSource(dataset_id=dataset_id)
        session.add(row)
    row.url, row.format, row.schedule_minutes = spec.url, spec.format, spec.schedule_minutes
    row.review, row.resource = spec.review, spec.resource
    row.declared_in, row.updated_by, row.updated_at = declared_in, actor, utcnow()
    if user_id is not None:  # a reload of the descriptor keeps the person who answers for it
        row.declared_by_user_id = user_id
    await session.flush()
    return row


async def sync_catalogue_source(
    session: AsyncSession, dataset_id: int, spec: SourceSpec | None, actor: str
) -> None:
    """A loaded descriptor's `source`: set it, or remove the one an earlier load declared.

    A source set through the service is the steward's: a descriptor without `source` leaves it.
    """
    if spec is None:
        stored = await session.scalar(
            select(DatasetSource.declared_in).where(DatasetSource.dataset_id == dataset_id)
        )
        if stored != CATALOGUE_DECLARED:
            return
    await store_source(session, dataset_id, spec, declared_in=CATALOGUE_DECLARED, actor=actor)
