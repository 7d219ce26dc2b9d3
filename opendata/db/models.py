"""Catalogue and exemption tables: agencies, datasets, resources, rows, exemptions, meta.

Accounts and information requests keep their tables beside their domain
(`opendata.accounts.models`, `opendata.information_requests.models`); all share `Base`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow


class Agency(Base):
    """A public body (OPD) that publishes datasets and answers requests."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    # the letterhead (kop surat) of its letters: office address and how to reach its PPID
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(320))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # when its PPID desk receives people in person (agency.yaml `opening_hours`)
    opening_hours: Mapped[str | None] = mapped_column(String(500))


class Dataset(Base):
    """A published dataset: a Frictionless data package with our UU KIP properties."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    title_en: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JsonValue, default=list)
    topics: Mapped[list[str]] = mapped_column(JsonValue, default=list)
    license: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(20))
    modified: Mapped[date | None] = mapped_column(Date)
    # the day it was first issued, set once (opendata.catalogue.dates.first_issued)
    issued: Mapped[date | None] = mapped_column(Date)
    temporal_start: Mapped[int | None] = mapped_column(Integer)
    temporal_end: Mapped[int | None] = mapped_column(Integer)
    # datapackage `minimumCellSize`: the smallest group a figure over personal data may show
    minimum_cell_size: Mapped[int | None] = mapped_column(Integer)
    # the number of the version published through the service (opendata.publishing), if
    # any: a catalogue load leaves such a dataset alone unless forced (README, "Which wins")
    published_version: Mapped[int | None] = mapped_column(Integer)
    # datapackage `publicationMode` (opendata.catalogue.publication): ROWS or AGGREGATES
    publication_mode: Mapped[str] = mapped_column(String(20), default="ROWS", server_default="ROWS")
    # datapackage `updateFrequency` (DCAT frequency word), null when not declared
    update_frequency: Mapped[str | None] = mapped_column(String(20))
    source_path: Mapped[str] = mapped_column(String(500), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    agency: Mapped[Agency] = relationship(lazy="raise")

    __table_args__ = (
        Index("ix_datasets_title", "title"),
        Index("ix_datasets_modified", "modified"),
    )

    @property
    def years(self) -> list[int]:
        """The years the data covers (the `year` facet)."""
        if self.temporal_start is None:
            return []
        end = self.temporal_end if self.temporal_end is not None else self.temporal_start
        return list(range(self.temporal_start, end + 1))


class TabularColumns:
    """One tabular resource's shape and rows: a dataset's `Resource`, and each resource of
    a dataset version (`opendata.publishing.models.VersionResource`)."""

    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(500), default="")
    format: Mapped[str] = mapped_column(String(40), default="csv")
    mediatype: Mapped[str | None] = mapped_column(String(100))
    # what the page calls it (the data package's `title`, `title_en`); its name when absent
    title: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    # [{"name": ..., "type": ..., "title": ...}] in declared order
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue, default=list)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    row_table: Mapped[str] = mapped_column(String(63), default="")


class Resource(TabularColumns, Base):
    """A file of a dataset; tabular ones keep their field schema, and their rows in a typed table.

    `row_table` names the table of the current version (`opendata.catalogue.tables`);
    `cursor_key` hides row positions inside its cursors (`opendata.catalogue.row_cursors`).
    """

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id", ondelete="CASCADE"))
    cursor_key: Mapped[str] = mapped_column(String(32), default="")

    __table_args__ = (
        UniqueConstraint("dataset_id", "name", name="uq_resources_dataset_name"),
        Index("ix_resources_dataset_id", "dataset_id"),
        # the largest resource, read before every query that may scan rows (0039)
        Index("ix_resources_row_count", "row_count"),
    )


class Exemption(Base):
    """A decided Pasal 17 exemption (a DIK entry). Never deleted: revoked or expired ones stay."""

    __tablename__ = "exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))  # DATASET | FIELD | ROW
    field: Mapped[str | None] = mapped_column(String(200))
    row_filter: Mapped[dict[str, Any] | None] = mapped_column(JsonValue)
    basis: Mapped[str] = mapped_column(String(12))  # PASAL_17A..PASAL_17J
    consequence_test: Mapped[str] = mapped_column(Text)
    public_interest: Mapped[str | None] = mapped_column(Text)
    decision_reference: Mapped[str | None] = mapped_column(String(300))
    decided_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    # "catalog" (from a datapackage file) or "api" (added through addExemption)
    source: Mapped[str] = mapped_column(String(10), default="api")
    source_key: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(200))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    # set by the expiry sweep once the expiry date has passed (regency time)
    lapsed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Meta(Base):
    """Small key/value facts about the store: catalogue generation, index generation."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


class DatasetFacet(Base):
    """One facet value of a dataset (agency, topic, format, year, category).

    Kept by the loader so that filters and facet counts are plain, portable SQL on both
    databases (no JSON-array dialects).
    """

    __tablename__ = "dataset_facets"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)

    __table_args__ = (Index("ix_dataset_facets_facet_value", "facet", "value"),)


class CatalogueChange(Base):
    """One catalogue generation and the datasets it changed: the durable change log.

    Written in the same transaction as the change (`record_catalogue_change`), so it exists
    exactly when the change does. An index kept outside the database (whoosh) replays the
    log up to the database's generation before it answers a search: a process that wrote
    the database and died before touching the index leaves nothing behind that could leak.
    """

    __tablename__ = "catalogue_changes"

    generation: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    dataset_ids: Mapped[list[int]] = mapped_column(JSON)
