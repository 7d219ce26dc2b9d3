"""Opaque bearer tokens: shown once, stored only as SHA-256 hashes, ending and revocable.

A token is 32 random bytes; hashing it with SHA-256 (no salt needed for random secrets)
lets us look it up in one indexed query while a database leak reveals no usable token.
Every token ends: it expires after its lifetime (`Settings.token_lifetime`), a user keeps
at most `MAX_ACTIVE_TOKENS` (signing in again retires the oldest), and `signOut` or
`opendata users revoke` end them at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.credentials import hash_secret, live_owner, revoke_live
from opendata.accounts.models import AccessToken, User
from opendata.accounts.viewer import Role, Viewer
from opendata.db.base import utcnow
from opendata.db.engine import Database

TOKEN_PREFIX = "odt_"
MAX_TOKEN_LENGTH = 200
DEFAULT_TOKEN_LIFETIME = timedelta(days=30)
# Devices a person may be signed in on at once; a new sign-in retires the oldest token.
MAX_ACTIVE_TOKENS = 10
# Ended tokens are kept this long (so "revoked" can still be told apart), then deleted.
KEEP_ENDED_FOR = timedelta(days=30)


async def issue_token(
    session: AsyncSession,
    user_id: int,
    *,
    now: datetime | None = None,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
) -> str:
    """A new token for the user, inside the caller's transaction; only its hash is stored."""
    moment = now or utcnow()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        AccessToken(
            user_id=user_id,
            token_hash=hash_secret(token),
            created_at=moment,
            expires_at=moment + lifetime,
        )
    )
    await session.flush()
    await _retire_old_tokens(session, user_id, moment)
    return token


async def _retire_old_tokens(session: AsyncSession, user_id: int, moment: datetime) -> None:
    """Revoke all but the newest MAX_ACTIVE_TOKENS; delete the user's long-ended rows."""
    older = (
        select(AccessToken.id)
        .where(
            AccessToken.user_id == user_id,
            AccessToken.revoked_at.is_(None),
            AccessToken.expires_at > moment,
        )
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
        .offset(MAX_ACTIVE_TOKENS)
    )
    retired = list(await session.scalars(older))
    if retired:
        await session.execute(
            update(AccessToken).where(AccessToken.id.in_(retired)).values(revoked_at=moment)
        )
    cutoff = moment - KEEP_ENDED_FOR
    await session.execute(
        delete(AccessToken).where(
            AccessToken.user_id == user_id,
            (AccessToken.expires_at < cutoff) | (AccessToken.revoked_at < cutoff),
        )
    )


def viewer_of(user: User, token_id: int | None = None) -> Viewer:
    return Viewer(
        user_id=user.id,
        role=Role(user.role),
        agency_id=user.agency_id,
        name=user.name,
        email=user.email,
        token_id=token_id,
    )


async def viewer_for_token(
    database: Database, token: str, *, now: datetime | None = None
) -> Viewer | None:
    """The viewer a bearer token stands for, or None if unknown, ended or disabled."""
    found = await live_owner(
        database, AccessToken, AccessToken.token_hash, token, MAX_TOKEN_LENGTH, AccessToken.id, now
    )
    return viewer_of(*found) if found is not None else None


async def revoke_token(database: Database, token: str, *, now: datetime | None = None) -> bool:
    """Revoke one token; True if it was active."""
    return await _revoke(database, AccessToken.token_hash == hash_secret(token), now)


async def revoke_token_id(
    database: Database, token_id: int, *, now: datetime | None = None
) -> bool:
    """Revoke the token a request authenticated with (`signOut`); True if it was active."""
    return await _revoke(database, AccessToken.id == token_id, now)


async def revoke_all_tokens(
    database: Database, user_id: int, *, now: datetime | None = None
) -> int:
    """Revoke every token of a user (a lost device, a departed officer)."""
    return await revoke_live(database, AccessToken, AccessToken.user_id == user_id, now)


async def _revoke(database: Database, which: ColumnElement[bool], now: datetime | None) -> bool:
    return bool(await revoke_live(database, AccessToken, which, now))
