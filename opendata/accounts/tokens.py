"""Opaque bearer tokens: shown once, stored only as SHA-256 hashes, ending and revocable.

A token is 32 random bytes; hashing it with SHA-256 (no salt needed for random secrets)
lets us look it up in one indexed query while a database leak reveals no usable token.
Every token ends: it expires after its lifetime (`Settings.token_lifetime`), a user keeps
at most `MAX_ACTIVE_TOKENS` (signing in again retires the oldest), and `signOut` or
`opendata users revoke` end them at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
            token_hash=hash_token(token),
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
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    async with database.session() as session:
        found = (
            await session.execute(
                select(User, AccessToken.id)
                .join(AccessToken, AccessToken.user_id == User.id)
                .where(
                    AccessToken.token_hash == hash_token(token),
                    AccessToken.revoked_at.is_(None),
                    AccessToken.expires_at > (now or utcnow()),
                    User.disabled_at.is_(None),
                )
            )
        ).one_or_none()
    return viewer_of(found[0], found[1]) if found is not None else None


async def revoke_token(database: Database, token: str, *, now: datetime | None = None) -> bool:
    """Revoke one token; True if it was active."""
    return await _revoke(database, AccessToken.token_hash == hash_token(token), now)


async def revoke_token_id(
    database: Database, token_id: int, *, now: datetime | None = None
) -> bool:
    """Revoke the token a request authenticated with (`signOut`); True if it was active."""
    return await _revoke(database, AccessToken.id == token_id, now)


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


async def _revoke(database: Database, which: object, now: datetime | None) -> bool:
    async with database.write() as session:
        result = await session.execute(
            update(AccessToken)
            .where(which, AccessToken.revoked_at.is_(None))  # type: ignore[arg-type]
            .values(revoked_at=now or utcnow())
        )
    return bool(getattr(result, "rowcount", 0))
