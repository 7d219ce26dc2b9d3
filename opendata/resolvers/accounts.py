"""Account resolvers: sign up, sign in (with the client's address for rate limits), sign out,
viewer. Tokens last `Settings.token_lifetime`."""

from __future__ import annotations

from opendata.accounts import service
from opendata.accounts.service import AuthResult
from opendata.accounts.tokens import revoke_token_id
from opendata.db.models import Agency
from opendata.errors import Unauthenticated
from opendata.resolvers import catalogue as resolve_catalogue
from opendata.resolvers.context import Info


async def sign_up(info: Info, name: str, email: str, password: str) -> AuthResult:
    services = info.context.services
    return await service.sign_up(
        services.database,
        name=name,
        email=email,
        password=password,
        lifetime=services.settings.token_lifetime,
    )


async def sign_in(info: Info, email: str, password: str) -> AuthResult:
    services = info.context.services
    return await service.sign_in(
        services.database,
        email=email,
        password=password,
        client_address=info.context.client_address,
        lifetime=services.settings.token_lifetime,
    )


async def sign_out(info: Info) -> bool:
    """Revoke the token this request came with."""
    viewer = info.context.viewer
    if viewer is None or viewer.token_id is None:
        raise Unauthenticated(
            "Keluar memerlukan token yang masih berlaku.", "Signing out needs a valid token."
        )
    return await revoke_token_id(info.context.services.database, viewer.token_id)


async def agency_of(info: Info, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    return await resolve_catalogue.agency_by_id(info, agency_id)
