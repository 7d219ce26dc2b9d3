"""What bearer tokens and portal sessions share: a random secret stored only as its SHA-256
hash, on a row (`user_id`, `expires_at`, `revoked_at`) that is live until it ends or is
revoked, and that speaks for its user only while the user is enabled."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update

from opendata.accounts.models import User
from opendata.db.base import utcnow
from opendata.db.engine import Database


def hash_secret(secret: str) -> str:
    """No salt: the secrets are random, and the hash must be found by an indexed lookup."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


async def live_owner(
    database: Database,
    credential: Any,
    hashed: Any,
    secret: str,
    max_length: int,
    detail: Any,
    now: datetime | None = None,
) -> tuple[User, Any] | None:
    """The enabled user whose live `credential` row has `secret` in its `hashed` column, with
    the row's `detail` column; None for an empty, overlong, unknown or ended secret."""
    if not secret or len(secret) > max_length:
        return None
    async with database.session() as session:
        found = (
            await session.execute(
                select(User, detail)
                .join(credential, credential.user_id == User.id)
                .where(
                    hashed == hash_secret(secret),
                    credential.revoked_at.is_(None),
                    credential.expires_at > (now or utcnow()),
                    User.disabled_at.is_(None),
                )
            )
        ).first()
    return None if found is None else (found[0], found[1])


async def revoke_live(
    database: Database, credential: Any, which: ColumnElement[bool], now: datetime | None
) -> int:
    """End every live `credential` row `which` picks; how many were live."""
    async with database.write() as session:
        result = await session.execute(
            update(credential)
            .where(which, credential.revoked_at.is_(None))
            .values(revoked_at=now or utcnow())
        )
    return int(getattr(result, "rowcount", 0))
