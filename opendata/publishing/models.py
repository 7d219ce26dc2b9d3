"""Versions of a dataset: what a producer submitted, what the steward decided, and its rows.

A version never changes after it is reviewed (only its state moves: SUBMITTED -> RETURNED or
PUBLISHED -> SUPERSEDED, and back to PUBLISHED on a rollback). Its rows live in their own
typed tables (`opendata.catalogue.tables`), kept while the version exists, so an older
version stays downloadable and a rollback is a swap of table names, not a reload.

A version is keyed by dataset slug and agency: a new dataset has no `datasets` row until its
first version is published (nothing about it is public before the steward approves).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow
from opendata.db.models import TabularColumns


class VersionState(StrEnum):
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    PUBLISHED = "PUBLISHED"
    SUPERSEDED = "SUPERSEDED"


# the states of a version that was public at some time (listed and downloadable by anyone)
PUBLIC_STATES = (VersionState.PUBLISHED.value, VersionState.SUPERSEDED.value)


class VersionSource(StrEnum):
    """How the version came in: the GraphQL/pages upload, an app's push, a scheduled pull,
    or the dataset as a catalogue load left it (recorded before its first service version)."""

    UPLOAD = "upload"
    PUSH = "push"
    PULL = "pull"
    CATALOGUE = "catalogue"


class DatasetVersion(Base):
    """One submitted version of a dataset and its review."""

    __tablename__ = "dataset_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_slug: Mapped[str] = mapped_column(String(120))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    # set once published (the `datasets` row exists from then on)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))  # VersionState
    source: Mapped[str] = mapped_column(String(10), default=VersionSource.UPLOAD.value)
    # the data package descriptor as submitted (resource paths point into the staging folder)
    descriptor: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    staging_path: Mapped[str] = mapped_column(String(500), default="")
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_by: Mapped[str] = mapped_column(String(200), default="")
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    comment: Mapped[str | None] = mapped_column(Text)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    # [CheckResult as JSON]: the results at submission, re-run when an exemption or an
    # acceptance changes what passes
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue, default=list)
    # [{"kind", "field", "reason", "by", "at"}]: checks a steward accepted, with the reason
    accepted: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue, default=list)
    # VersionChanges as JSON against the version published when this one was submitted
    changes: Mapped[dict[str, Any] | None] = mapped_column(JsonValue)

    resources: Mapped[list[VersionResource]] = relationship(
        lazy="selectin", order_by="VersionResource.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("dataset_slug", "number", name="uq_dataset_versions_slug_number"),
        Index("ix_dataset_versions_state", "state"),
    )


class VersionResource(TabularColumns, Base):
    """One resource of a version: its schema, row count and the typed table of its rows."""

    __tablename__ = "version_resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("dataset_versions.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (
        UniqueConstraint("version_id", "name", name="uq_version_resources_version_name"),
    )
