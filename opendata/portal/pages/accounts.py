"""Sign up, sign in, sign out: the accounts domain checks; the portal opens a session.

`accounts.service` signs people in by handing out a bearer token; a browser keeps a
server-side session instead, so that token is revoked at once (nothing usable is left over).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from opendata.accounts import service as accounts
from opendata.accounts.sessions import SESSION_COOKIE, open_session, revoke_session
from opendata.accounts.tokens import revoke_token
from opendata.errors import DomainError, RateLimited
from opendata.portal.page import Page, page
from opendata.portal.visitor import checked_form, end_session, start_session
from opendata.urls import path


def _next_path(value: object) -> str:
    """Only a path on this site: never an open redirect."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return value
    return path("my_requests")


def _blank_form(template: str) -> Callable[[Request], Awaitable[Response]]:
    """The page of the sign-up or sign-in form, empty, carrying where to go once signed in."""

    async def blank_form(current: Page) -> Response:
        target = _next_path(current.request.query_params.get("next"))
        return current.render(template, values={}, next_path=target)

    return page(blank_form)


async def _signed_in_response(current: Page, result: accounts.AuthResult, target: str) -> Response:
    await revoke_token(current.services.database, result.token)
    secret, _ = await open_session(current.services.database, result.viewer.user_id)
    response = current.redirect(target)
    start_session(current.request, response, secret)
    return response


async def _after_attempt(
    current: Page,
    template: str,
    values: dict[str, str],
    next_value: object,
    attempt: Awaitable[accounts.AuthResult],
) -> Response:
    """Signed in, on to where the person was going; or the form again with its problem
    (400, unless the refusal is the sign-in throttle's own)."""
    target = _next_path(next_value)
    try:
        result = await attempt
    except DomainError as error:
        status = error.http_status if isinstance(error, RateLimited) else 400
        return current.render(
            template, status=status, values=values, problem=error, next_path=target
        )
    return await _signed_in_response(current, result, target)


sign_up_form = _blank_form("sign_up.html")
sign_in_form = _blank_form("sign_in.html")


@page
async def sign_up(current: Page) -> Response:
    form = await checked_form(current.request, current.visitor)
    values = {key: str(form.get(key) or "") for key in ("name", "email")}
    attempt = accounts.sign_up(
        current.services.database,
        name=values["name"],
        email=values["email"],
        password=str(form.get("password") or ""),
    )
    return await _after_attempt(current, "sign_up.html", values, form.get("next"), attempt)


@page
async def sign_in(current: Page) -> Response:
    form = await checked_form(current.request, current.visitor)
    values = {"email": str(form.get("email") or "")}
    attempt = accounts.sign_in(
        current.services.database,
        email=values["email"],
        password=str(form.get("password") or ""),
        client_address=current.request.client.host if current.request.client else "",
    )
    return await _after_attempt(current, "sign_in.html", values, form.get("next"), attempt)


@page
async def sign_out(current: Page) -> Response:
    await checked_form(current.request, current.visitor)
    secret = current.request.cookies.get(SESSION_COOKIE, "")
    if secret:
        await revoke_session(current.services.database, secret)
    # the home page says so: a shared phone's next user sees the account is closed
    response = current.redirect(current.url("home", signed_out=1))
    end_session(response)
    return response
