"""What an administrator does to an account from the command line: disable it (it can no
longer sign in, and its tokens, app sessions and portal sessions stop working, since every
credential check asks for an enabled account), enable it again, and lift a sign-in lock
(the failed attempts counted against the account, from every address)."""

from __future__ import annotations

from sqlalchemy import delete

from opendata.accounts.models import SignInAttempt
from opendata.accounts.service import _key, _user_by_email, normalise_email
from opendata.accounts.sessions import revoke_all_sessions
from opendata.accounts.tokens import viewer_of
from opendata.accounts.viewer import Viewer
from opendata.db.base import utcnow
from opendata.db.engine import Database


async def set_disabled(database: Database, email: str, *, disabled: bool) -> Viewer:
    """Disable or enable an account; disabling also ends its portal sessions."""
    async with database.write() as session:
        user = await _user_by_email(session, email)
        if disabled and user.disabled_at is None:
            user.disabled_at = utcnow()
        elif not disabled:
            user.disabled_at = None
    if disabled:
        await revoke_all_sessions(database, user.id)
    return viewer_of(user)


async def unlock_sign_in(database: Database, email: str) -> int:
    """Forget the account's failed sign-ins (from every address); how many were counted."""
    async with database.write() as session:
        await _user_by_email(session, email)
        result = await session.execute(
            delete(SignInAttempt).where(
                SignInAttempt.account_key == _key("account", normalise_email(email)),
                SignInAttempt.succeeded.is_(False),
            )
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
