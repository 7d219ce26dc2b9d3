"""One row per tick a source was pulled at: what happened, for the steward to see."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, UtcDateTime, utcnow


class PullOutcome(StrEnum):
    RUNNING = "RUNNING"  # fetching now (or its server died: the job's retry takes it over)
    PUBLISHED = "PUBLISHED"  # a new version is public
    SUBMITTED = "SUBMITTED"  # a new version waits in the steward's review queue
    UNCHANGED = "UNCHANGED"  # the same bytes as the last fetch: no new version
    FAILED = "FAILED"  # fetch, file or check failed: the published version is untouched


class SourceAttempt(Base):
    """A pull of one source at one tick; the unique (source, tick) makes a tick run once."""

    __tablename__ = "source_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("dataset_sources.id", ondelete="CASCADE"))
    tick: Mapped[datetime] = mapped_column(UtcDateTime)
    job_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(12), default=PullOutcome.RUNNING.value)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    http_status: Mapped[int | None] = mapped_column(Integer)
    bytes: Mapped[int | None] = mapped_column(Integer)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    version_number: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("source_id", "tick", name="uq_source_attempts_source_tick"),
        Index("ix_source_attempts_source_started", "source_id", "started_at"),
    )
