"""Request tables: the register, its timeline, objections, disputes and number counters.

A request keeps a snapshot of the requester's identity as registered (Pasal 22(4) records
name and address at registration); those columns are private and never in the public register.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, MappedColumn, mapped_column

from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow


class InformationRequest(Base):
    """One permohonan informasi publik, from registration to the Commission's decision."""

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    registration_year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    registration_number: Mapped[str] = mapped_column(String(80), unique=True)

    # private: the requester as registered
    requester_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_email: Mapped[str | None] = mapped_column(String(320))
    requester_phone: Mapped[str | None] = mapped_column(String(40))
    requester_address: Mapped[str | None] = mapped_column(String(500))
    requester_identity_number: Mapped[str | None] = mapped_column(String(40))

    # public: what the register shows
    information_requested: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    delivery_form: Mapped[str] = mapped_column(String(12))  # VIEW | SOFT_COPY | HARD_COPY
    channel: Mapped[str] = mapped_column(String(12))  # ONLINE | OFFICER
    status: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_on: Mapped[date] = mapped_column(Date)  # regency date of receipt
    answer_due_on: Mapped[date] = mapped_column(Date)  # 10 working days, +7 when extended
    extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(20))
    answer: Mapped[str | None] = mapped_column(Text)
    exemptions_cited: Mapped[list[str]] = mapped_column(JsonValue, default=list)
    consequence_test: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_late: Mapped[bool] = mapped_column(default=False)
    # the notice's contents beyond its text (Pasal 21, 22(7))
    fee_amount: Mapped[int | None] = mapped_column(Integer)  # rupiah; None: nothing charged
    fee_basis: Mapped[str | None] = mapped_column(String(200))
    fee_payment: Mapped[str | None] = mapped_column(String(500))  # how to pay (22(7)(g))
    held_by: Mapped[str | None] = mapped_column(String(500))  # NOT_HELD
    expected_on: Mapped[date | None] = mapped_column(Date)  # NOT_YET_DOCUMENTED
    exemption_expires_on: Mapped[date | None] = mapped_column(Date)  # refusals under 17a-17f
    decision_reference: Mapped[str | None] = mapped_column(String(200))
    # fulfilment: the day the information was actually given, and in which form
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivered_form: Mapped[str | None] = mapped_column(String(12))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # the due date of whoever is now expected to act (kept for the `overdue` register filter)
    due_on: Mapped[date | None] = mapped_column(Date)
    due_party: Mapped[str | None] = mapped_column(String(12))
    # the notice's fee when an upheld ground-f objection revised it (`fee_amount` is then the
    # revised one, shown everywhere); None: never revised
    fee_original_amount: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # when the request was entered, beside `received_at` (when it arrived): they differ when an
    # officer registers paperwork received earlier (information_requests/backdating.py)
    registered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # public: the dataset the request was filed from (its page's "ask for more"), if any
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("datasets.id"), index=True)

    __table_args__ = (
        UniqueConstraint(
            "agency_id", "registration_year", "sequence", name="uq_information_requests_number"
        ),
        Index("ix_information_requests_received_at", "received_at"),
        Index("ix_information_requests_status_due_on", "status", "due_on"),
    )


def _of_request(*, one_to_one: bool = False) -> MappedColumn[int]:
    """The request a row belongs to: the row goes with it; indexed, or unique if one per request."""
    owner = ForeignKey("information_requests.id", ondelete="CASCADE")
    return mapped_column(owner, unique=True) if one_to_one else mapped_column(owner, index=True)


class RequestEvent(Base):
    """One step in a request's timeline: when, to which status, by which role, and why."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = _of_request()
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    action: Mapped[str] = mapped_column(String(30))  # FILE, EXTEND, ANSWER, ...
    status: Mapped[str] = mapped_column(String(20))  # the status after this step
    note: Mapped[str | None] = mapped_column(Text)
    actor_role: Mapped[str | None] = mapped_column(String(12))
    # private: who acted (officers are accountable; never shown in the public register)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # facts the report reads: decision, bases, grounds, outcome
    detail: Mapped[dict[str, Any]] = mapped_column(JsonValue, default=dict)


class Objection(Base):
    """One keberatan to the PPID's superior (Pasal 35-36); a request may carry several."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = _of_request()
    # the objection register number `<ACRONYM>/KEB/<YEAR>/<000001>`, per agency and year filed
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    registration_year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    registration_number: Mapped[str] = mapped_column(String(80), unique=True)
    grounds: Mapped[list[str]] = mapped_column(JsonValue, default=list)
    reason: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    filed_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(10))  # UPHELD | REJECTED
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_on: Mapped[date | None] = mapped_column(Date)
    # UPHELD on ground f (UNREASONABLE_FEE): the fee the superior set instead (0: none)
    revised_fee: Mapped[int | None] = mapped_column(Integer)


class Dispute(Base):
    """The sengketa at the Komisi Informasi (Pasal 37-38), as recorded by an officer."""

    __tablename__ = "disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = _of_request(one_to_one=True)
    filed_on: Mapped[date] = mapped_column(Date)
    case_number: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(20))  # DisputeOutcome
    summary: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # the day the parties received the decision: the court window counts from it (Pasal 48(1))
    received_on: Mapped[date | None] = mapped_column(Date)


class RequestClock(Base):
    """One statutory clock of a request: who must act, counted from which day, until when.

    Kept as rows so that a calendar change can recompute every running clock (and write
    that in the timeline), and so the register filters overdue duties in SQL.
    """

    __tablename__ = "request_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = _of_request()
    kind: Mapped[str] = mapped_column(String(24))  # ClockKind
    party: Mapped[str] = mapped_column(String(12))  # Party
    objection_id: Mapped[int | None] = mapped_column(
        ForeignKey("objections.id", ondelete="CASCADE")
    )
    started_on: Mapped[date] = mapped_column(Date)  # day 1 is the first working day after it
    working_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    # a date set by a decision (the superior's answer) instead of counted: never recomputed
    fixed: Mapped[bool] = mapped_column(default=False)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_request_clocks_running_due_on", "stopped_at", "due_on"),)


class SequenceCounter(Base):
    """The last sequence one register issued per agency and year: numbers without gaps
    (`numbering.next_sequence`). Each register is a table of these columns."""

    __abstract__ = True

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)


class ObjectionCounter(SequenceCounter):
    """The objection register's counter."""

    __tablename__ = "objection_counters"


class RegistrationCounter(SequenceCounter):
    """The request register's counter."""

    __tablename__ = "registration_counters"


class CourtCase(Base):
    """A gugatan against the Commission's decision at the PTUN or Pengadilan Negeri (Pasal
    47-48), filed by either party and recorded by an officer; the report counts them."""

    __tablename__ = "court_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = _of_request(one_to_one=True)
    filed_by: Mapped[str] = mapped_column(String(12))  # CourtFiler
    court: Mapped[str] = mapped_column(String(200))
    case_number: Mapped[str] = mapped_column(String(120))
    filed_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))  # CourtOutcome
    summary: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
