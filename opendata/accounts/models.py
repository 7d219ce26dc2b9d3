"""Account tables: users with their role and agency, bearer tokens, sign-in attempts.

Requesters' personal data (NIK, address, phone) lives here, asked for on the first request
(kip-rules §2) and never shown outside the requester and their agency's officers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base, UtcDateTime, utcnow


class User(Base):
    """A person who signs in: a requester, or an officer, superior or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # argon2 hash; None for accounts that sign in with a token only (created by the CLI)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))  # REQUESTER | OFFICER | SUPERIOR | ADMIN
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    identity_number: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    # staff: the jabatan and NIP their letters are signed with (`opendata users set-title`)
    title: Mapped[str | None] = mapped_column(String(200))
    employee_number: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AccessToken(Base):
    """An opaque bearer token, kept only as its SHA-256 hash so a database leak reveals none."""

    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SignInAttempt(Base):
    """One sign-in attempt, for rate limits per account and per client address.

    Both keys are SHA-256 hashes: the table says how often, never who or from where.
    """

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    address_key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_sign_in_attempts_account_at", "account_key", "at"),
        Index("ix_sign_in_attempts_address_at", "address_key", "at"),
    )
