"""Who is looking at a page: the language, the signed-in person if any, and the CSRF token.

People sign in with a server-side session (`opendata.accounts.sessions`) named by an HttpOnly,
SameSite=Lax cookie, Secure when the page was reached over HTTPS. Every form carries a CSRF
token: the session's own once signed in, before that a random one kept in its own cookie
(double submit). `/graphql` never reads these cookies: programs use bearer tokens.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from opendata.accounts.sessions import SESSION_COOKIE, SESSION_LIFETIME, SignedIn, signed_in
from opendata.accounts.viewer import Viewer
from opendata.errors import Forbidden, LengthRequired, TooLarge
from opendata.inputs import check_address as checked_address
from opendata.inputs import checked_text, text_problem
from opendata.portal.i18n import LANGUAGE_COOKIE, LANGUAGES, Formats, choose_language
from opendata.request_scope import Parts

CSRF_COOKIE = "od_csrf"
CSRF_FIELD = "csrf_token"
# form bodies are small: a request text, a purpose, a few choices
MAX_FORM_BYTES = 64 * 1024


@dataclass
class Visitor:
    language: str
    formats: Formats
    session: SignedIn | None
    csrf_token: str
    # a CSRF cookie to set on the response (first visit to a form, anonymous)
    new_csrf_cookie: bool = False

    @property
    def viewer(self) -> Viewer | None:
        return self.session.viewer if self.session else None


async def visitor_of(request: Request, services: Parts) -> Visitor:
    language = choose_language(request)
    secret = request.cookies.get(SESSION_COOKIE, "")
    usable = secret and text_problem(secret, multiline=False) is None
    session = await signed_in(services.database, secret) if usable else None
    if session is not None:
        return Visitor(language, Formats(language), session, session.csrf_token)
    token = request.cookies.get(CSRF_COOKIE, "")
    fresh = not (20 <= len(token) <= 100)
    if fresh:
        token = secrets.token_urlsafe(32)
    return Visitor(language, Formats(language), None, token, new_csrf_cookie=fresh)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def remember(request: Request, visitor: Visitor, response: Response) -> Response:
    """Cookies every page answer carries: the chosen language, a new CSRF cookie."""
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            visitor.language,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=_secure(request),
        )
    if visitor.new_csrf_cookie:
        response.set_cookie(
            CSRF_COOKIE,
            visitor.csrf_token,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
    return response


def start_session(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    # a fresh anonymous token after signing out: the old one is not reused
    response.delete_cookie(CSRF_COOKIE)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


async def checked_form(
    request: Request, visitor: Visitor, *, max_files: int = 0, max_bytes: int = MAX_FORM_BYTES
) -> FormData:
    """The posted form, refused unless its CSRF token is this visitor's. Only forms that
    upload documents pass `max_files` and a larger `max_bytes` (the attachments' limits)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        # browsers always say; without it a chunked body could fill the disk before the check
        raise LengthRequired(
            "Formulir harus menyebutkan ukurannya (Content-Length).",
            "The form must state its size (Content-Length).",
        )
    if int(declared) > max_bytes:
        limit = _size(max_bytes)
        raise TooLarge(
            f"Formulir terlalu besar: paling banyak {limit}. Kirim berkas yang lebih kecil "
            "atau lebih sedikit.",
            f"The form is too large: at most {limit}. Send smaller or fewer files.",
        )
    form = await request.form(max_files=max_files, max_fields=50)
    for name, value in form.multi_items():
        checked_text(name, field=None, multiline=False)
        if isinstance(value, str):
            checked_text(value, field=name if name.isidentifier() else None)
    given = form.get(CSRF_FIELD)
    if (
        visitor.new_csrf_cookie
        or not isinstance(given, str)
        or not secrets.compare_digest(given, visitor.csrf_token)
    ):
        raise Forbidden(
            "Formulir kedaluwarsa atau tidak sah; muat ulang halaman lalu kirim lagi.",
            "The form has expired or is not valid; reload the page and send it again.",
        )
    return form


def check_address(request: Request) -> None:
    """The path's parameters and the query string follow the one input rule (no NUL or
    control character: opendata/inputs.py); forms are checked in `checked_form`."""
    checked_address(request.path_params, request.query_params.multi_items())


def _size(limit: int) -> str:
    """A byte limit as people read it: 64 kB, 50 MB."""
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    return f"{limit // 1024} kB"
