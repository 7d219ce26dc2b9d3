"""Tables of apps that push rows: the app (one agency, one hashed token), the datasets it
may write, and the receipts that make a retried push answer without writing again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow


class App(Base):
    """A program of one agency (RT Online, UMKM Online) that pushes rows with its token.

    The token is kept only as its SHA-256 hash, like the people's bearer tokens."""

    __tablename__ = "apps"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AppDataset(Base):
    """A dataset (by slug, so a reload that recreates it keeps the grant) an app may write."""

    __tablename__ = "app_datasets"

    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    dataset_slug: Mapped[str] = mapped_column(String(120), primary_key=True)


class PushReceipt(Base):
    """The answer given to one push, under the app's Idempotency-Key.

    Written in the same transaction as the rows, unique per (app, key): a retry, on any server
    and after a restart, finds it and gets the same answer; a concurrent duplicate collides on
    the key and writes nothing. `request_hash` tells a retry from a different push reusing a key.
    """

    __tablename__ = "push_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer, default=200)
    answer: Mapped[dict[str, Any]] = mapped_column(JsonValue)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("app_id", "key", name="uq_push_receipts_app_key"),)
