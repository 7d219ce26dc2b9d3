"""Account resolvers: sign up, sign in (with the client's address for rate limits), sign out,
viewer. Tokens last `Settings.token_lifetime`."""

from __future__ import annotations

from opendata.accounts import service
from opendata.accounts.models import User
from opendata.accounts.service import AuthResult
from opendata.accounts.tokens import revoke_token_id
from opendata.db.models import Agency
from opendata.errors import Unauthenticated
from opendata.request_scope import RequestScope
from opendata.resolvers import catalogue as resolve_catalogue


async def sign_up(scope: RequestScope, name: str, email: str, password: str) -> AuthResult:
    return await service.sign_up(
        scope.database,
        name=name,
        email=email,
        password=password,
        lifetime=scope.settings.token_lifetime,
    )


async def sign_in(scope: RequestScope, email: str, password: str) -> AuthResult:
    return await service.sign_in(
        scope.database,
        email=email,
        password=password,
        client_address=scope.client_address,
        lifetime=scope.settings.token_lifetime,
    )


async def sign_out(scope: RequestScope) -> bool:
    """Revoke the token this request came with."""
    viewer = scope.viewer
    if viewer is None or viewer.token_id is None:
        raise Unauthenticated(
            "Keluar memerlukan token yang masih berlaku.", "Signing out needs a valid token."
        )
    return await revoke_token_id(scope.database, viewer.token_id)


async def agency_of(scope: RequestScope, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    return await resolve_catalogue.agency_by_id(scope, agency_id)


async def own_account(scope: RequestScope) -> User | None:
    """The signed-in person's own account row (their kept NIK, address and phone prefill
    their next request form); None when nobody is signed in."""
    viewer = scope.viewer
    if viewer is None:
        return None
    async with scope.database.session() as session:
        return await session.get(User, viewer.user_id)
