"""Issued letters: each official letter is a record written when its step happens.

A letter (surat) has its own number per agency and year, the day of its step, the addressee
as registered, its signatory as they were when they signed (name, jabatan, NIP) and the
agency's letterhead as it was then. Printing reads this row, so a reprint is the same letter
whoever downloads it and whatever changed since (a new jabatan, a moved office).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow
from opendata.information_requests.models import SequenceCounter


class LetterKind(StrEnum):
    """The letters a step issues (`lifecycle.Step.letters`)."""

    RECEIPT = "RECEIPT"  # tanda bukti penerimaan permohonan
    EXTENSION = "EXTENSION"  # pemberitahuan perpanjangan waktu
    NOTICE = "NOTICE"  # surat pemberitahuan tertulis
    OBJECTION_RECEIPT = "OBJECTION_RECEIPT"  # tanda bukti penerimaan keberatan
    OBJECTION_ANSWER = "OBJECTION_ANSWER"  # tanggapan atasan PPID atas keberatan


# letters about one objection: one of each per objection
OBJECTION_LETTERS = frozenset({LetterKind.OBJECTION_RECEIPT, LetterKind.OBJECTION_ANSWER})


class IssuedLetter(Base):
    """One letter as issued: number, date, addressee, signatory and letterhead, frozen."""

    __tablename__ = "issued_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("information_requests.id", ondelete="CASCADE"), index=True
    )
    objection_id: Mapped[int | None] = mapped_column(
        ForeignKey("objections.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(24))  # LetterKind
    # the nomor surat `<ACRONYM>/SRT/<YEAR>/<000001>`, per agency and year of the letter
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the moment of its step
    issued_on: Mapped[date] = mapped_column(Date)  # the regency (WIB) day of its step
    addressee_name: Mapped[str] = mapped_column(String(200))
    addressee_address: Mapped[str | None] = mapped_column(String(500))
    # who took the step, as they were then; no user: issued by the system to the requester's
    # own online step, which no officer signed
    signatory_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_title: Mapped[str | None] = mapped_column(String(200))
    signatory_employee_number: Mapped[str | None] = mapped_column(String(40))  # NIP
    # the agency as it was: name, address, phone, email, website
    letterhead: Mapped[dict[str, Any]] = mapped_column(JsonValue, default=dict)
    # what the letter states that a later step or calendar change may move (ISO dates, fee)
    facts: Mapped[dict[str, Any]] = mapped_column(JsonValue, default=dict)
    # when this row was written: later than `issued_at` for a step taken before letters
    # were issued as records (issued on its first print, see issuing.py)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("request_id", "kind", "objection_id", name="uq_issued_letters_subject"),
    )


class LetterCounter(SequenceCounter):
    """The letter register's counter."""

    __tablename__ = "letter_counters"
