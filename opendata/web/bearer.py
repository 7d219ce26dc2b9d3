"""Who is asking, from the `Authorization: Bearer` header (GraphQL and attachment downloads)."""

from __future__ import annotations

from starlette.requests import Request

from opendata.accounts.tokens import viewer_for_token
from opendata.accounts.viewer import Viewer
from opendata.db.engine import Database
from opendata.web.responses import RequestRefused


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise RequestRefused(
            401,
            "Header Authorization harus berbentuk 'Bearer <token>'.",
            "The Authorization header must be 'Bearer <token>'.",
            "UNAUTHENTICATED",
        )
    return token.strip()


async def authenticate(database: Database, token: str | None) -> Viewer | None:
    if token is None:
        return None
    viewer = await viewer_for_token(database, token)
    if viewer is None:
        raise RequestRefused(
            401,
            "Token tidak valid atau sudah dicabut.",
            "The token is not valid or has been revoked.",
            "UNAUTHENTICATED",
        )
    return viewer
