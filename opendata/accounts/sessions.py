"""Server-side sessions for people signed in to the pages (programs use bearer tokens).

The cookie holds a random secret; the database keeps only its SHA-256 hash, the user, the
session's CSRF token and when it ends, so every app server sees the same sessions and a
session can be revoked (sign-out, or all of a user's sessions at once) like a token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from opendata.accounts.credentials import hash_secret, live_owner, revoke_live
from opendata.accounts.models import User
from opendata.accounts.tokens import viewer_of
from opendata.accounts.viewer import Viewer
from opendata.db.base import Base, UtcDateTime, utcnow
from opendata.db.engine import Database

SESSION_LIFETIME = timedelta(days=14)
# The cookie that carries a session's secret: the pages set it, attachment downloads read it.
SESSION_COOKIE = "od_session"
MAX_SECRET_LENGTH = 100


class PortalSession(Base):
    """One signed-in browser."""

    __tablename__ = "portal_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class SignedIn:
    """What a valid session cookie stands for."""

    viewer: Viewer
    csrf_token: str


async def open_session(
    database: Database, user_id: int, *, now: datetime | None = None
) -> tuple[str, SignedIn]:
    """A new session for the user: (the cookie's secret, shown once; what it stands for)."""
    moment = now or utcnow()
    secret = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    async with database.write() as session:
        user = await session.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        session.add(
            PortalSession(
                user_id=user_id,
                secret_hash=hash_secret(secret),
                csrf_token=csrf_token,
                created_at=moment,
                expires_at=moment + SESSION_LIFETIME,
            )
        )
        viewer = viewer_of(user)
    return secret, SignedIn(viewer, csrf_token)


async def signed_in(
    database: Database, secret: str, *, now: datetime | None = None
) -> SignedIn | None:
    """The session a cookie names, or None if unknown, expired, revoked or its user disabled."""
    found = await live_owner(
        database,
        PortalSession,
        PortalSession.secret_hash,
        secret,
        MAX_SECRET_LENGTH,
        PortalSession.csrf_token,
        now,
    )
    if found is None:
        return None
    user, csrf_token = found
    return SignedIn(viewer_of(user), csrf_token)


async def revoke_session(database: Database, secret: str, *, now: datetime | None = None) -> bool:
    """Sign out one browser; True if its session was live."""
    which = PortalSession.secret_hash == hash_secret(secret)
    return bool(await revoke_live(database, PortalSession, which, now))


async def revoke_all_sessions(
    database: Database, user_id: int, *, now: datetime | None = None
) -> int:
    """Sign a user out everywhere (a lost phone, a departed officer)."""
    return await revoke_live(database, PortalSession, PortalSession.user_id == user_id, now)
