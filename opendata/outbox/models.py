"""The job table: one row per job, from enqueue until done, failed or held; never deleted."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow


class JobStatus(StrEnum):
    PENDING = "PENDING"  # waiting for run_after, or for a retry
    RUNNING = "RUNNING"  # claimed by a worker until locked_until (its lease)
    DONE = "DONE"
    FAILED = "FAILED"  # every attempt failed: kept for admins, retried only by hand
    HELD = "HELD"  # could not run as configured (no SMTP server): kept, retried by hand


class OutboxJob(Base):
    """A job: its kind picks the handler, its payload is plain JSON."""

    __tablename__ = "outbox_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonValue, default=dict)
    # jobs that must happen once per fact (a reminder) carry a key; a second enqueue is a no-op
    dedupe_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    run_after: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_outbox_jobs_status_run_after", "status", "run_after"),)
