"""The attachment table: what was uploaded, to which request and step, and who may read it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from opendata.db.base import Base, UtcDateTime, utcnow
from opendata.information_requests.models import InformationRequest


class AttachmentStage(StrEnum):
    """The step a document belongs to."""

    REQUEST = "REQUEST"  # given with the request (a scanned letter, an ID card)
    NOTICE = "NOTICE"  # the written notice (Pasal 22(7)) and what it gives
    FULFILMENT = "FULFILMENT"  # the information delivered
    OBJECTION_ANSWER = "OBJECTION_ANSWER"  # the superior's answer (Pasal 36)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("information_requests.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(300))
    # an officer may publish a document to everyone (e.g. a granted dataset extract)
    public: Mapped[bool] = mapped_column(default=False)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    request: Mapped[InformationRequest] = relationship(lazy="raise")
