"""The follows table: who follows what, confirmed or not, until they unsubscribe."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, UtcDateTime, utcnow


class FollowTarget(StrEnum):
    DATASET = "DATASET"
    AGENCY = "AGENCY"  # its datasets' data changes
    REQUEST = "REQUEST"  # each step of one request
    DIK = "DIK"  # exemptions that end (target_id: an agency's id, or ALL_AGENCIES)


# the DIK of every agency
ALL_AGENCIES = 0


class Follow(Base):
    """One address following one thing. A signed-in account's follow is confirmed at once;
    an anonymous visitor's only once they open the link mailed to them. Unsubscribing keeps
    the row (`ended_at`), so a later mail is never queued to it."""

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column(Integer)
    email: Mapped[str] = mapped_column(String(320))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the secret in the confirm and unsubscribe links (one click, no sign-in)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("target_kind", "target_id", "email"),
        Index("ix_follows_target", "target_kind", "target_id"),
    )

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None
