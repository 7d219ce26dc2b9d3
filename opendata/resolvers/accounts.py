"""Account resolvers: sign up, sign in (with the client's address for rate limits), viewer."""

from __future__ import annotations

from opendata.accounts import service
from opendata.accounts.service import AuthResult
from opendata.db.models import Agency
from opendata.resolvers import catalogue as resolve_catalogue
from opendata.resolvers.context import Info


async def sign_up(info: Info, name: str, email: str, password: str) -> AuthResult:
    return await service.sign_up(
        info.context.services.database, name=name, email=email, password=password
    )


async def sign_in(info: Info, email: str, password: str) -> AuthResult:
    return await service.sign_in(
        info.context.services.database,
        email=email,
        password=password,
        client_address=info.context.client_address,
    )


async def agency_of(info: Info, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    return await resolve_catalogue.agency_by_id(info, agency_id)
