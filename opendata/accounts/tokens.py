"""Opaque bearer tokens: shown once, stored only as SHA-256 hashes, revocable.

A token is 32 random bytes; hashing it with SHA-256 (no salt needed for random secrets)
lets us look it up in one indexed query while a database leak reveals no usable token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import AccessToken, User
from opendata.accounts.viewer import Role, Viewer
from opendata.db.base import utcnow
from opendata.db.engine import Database

TOKEN_PREFIX = "odt_"
MAX_TOKEN_LENGTH = 200


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def issue_token(session: AsyncSession, user_id: int, *, now: datetime | None = None) -> str:
    """A new token for the user, inside the caller's transaction; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        AccessToken(user_id=user_id, token_hash=hash_token(token), created_at=now or utcnow())
    )
    await session.flush()
    return token


def viewer_of(user: User) -> Viewer:
    return Viewer(
        user_id=user.id,
        role=Role(user.role),
        agency_id=user.agency_id,
        name=user.name,
        email=user.email,
    )


async def viewer_for_token(database: Database, token: str) -> Viewer | None:
    """The viewer a bearer token stands for, or None if unknown, revoked or disabled."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    async with database.session() as session:
        user = (
            await session.execute(
                select(User)
                .join(AccessToken, AccessToken.user_id == User.id)
                .where(
                    AccessToken.token_hash == hash_token(token),
                    AccessToken.revoked_at.is_(None),
                    User.disabled_at.is_(None),
                )
            )
        ).scalar_one_or_none()
    return viewer_of(user) if user is not None else None


async def revoke_token(database: Database, token: str, *, now: datetime | None = None) -> bool:
    """Revoke one token; True if it was active."""
    async with database.write() as session:
        result = await session.execute(
            update(AccessToken)
            .where(AccessToken.token_hash == hash_token(token), AccessToken.revoked_at.is_(None))
            .values(revoked_at=now or utcnow())
        )
    return bool(getattr(result, "rowcount", 0))


async def revoke_all_tokens(
    database: Database, user_id: int, *, now: datetime | None = None
) -> int:
    """Revoke every token of a user (a lost device, a departed officer)."""
    async with database.write() as session:
        result = await session.execute(
            update(AccessToken)
            .where(AccessToken.user_id == user_id, AccessToken.revoked_at.is_(None))
            .values(revoked_at=now or utcnow())
        )
    return int(getattr(result, "rowcount", 0))
