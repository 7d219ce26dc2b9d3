"""One page request: the visitor, its request scope for the resolvers, and rendering.

Handlers call the same resolver functions GraphQL calls, with one request scope per page
request, so one visibility function decides what both show. Domain refusals become a
page that explains them in the visitor's language with the matching status, never a 500.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from opendata import urls
from opendata.calendar_store import refresh_calendar
from opendata.errors import BadUserInput, DomainError
from opendata.information_requests.citations import citation_globals
from opendata.interop.conditional import not_modified
from opendata.portal.exemption_words import exemption_reason
from opendata.portal.i18n import LANGUAGES, translations
from opendata.portal.page_cache import KeyFacts, PageCache, PageFacts, page_cache_of
from opendata.portal.visitor import CSRF_FIELD, Visitor, check_address, remember, visitor_of
from opendata.request_scope import Parts, RequestScope
from opendata.web.response_cache import CachedResponse

TEMPLATES = Path(__file__).parent / "templates"
# The portal loads nothing from another host and runs no script: the browser enforces it too.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Pages the layout links to when the app has them (the dashboard and staff issues add them).
OPTIONAL_NAV = ("dashboard", "statistics", "staff", "staff_data", "steward")

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
    # the templates ship with the code: no file is looked at again on each page
    auto_reload=False,
)
environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
environment.globals.update(urls.template_globals(urls.path), **citation_globals())
environment.globals["exemption_reason"] = exemption_reason


def marks(highlight: str) -> Markup:
    """A search highlight: already-escaped text whose only markup is <mark>; anything else
    that looks like a tag is escaped again."""
    return Markup(re.sub(r"<(?!/?mark>)", "&lt;", highlight))


environment.filters["marks"] = marks


@lru_cache(maxsize=64)
def _quoted_query(text: str) -> str:
    """A query's text as a link's parameter (`urlencode` with `quote`): the pages' few fixed
    queries, each some hundred characters, quoted once rather than three times a page."""
    return quote(text, safe="")


@dataclass
class ApiLink:
    """A GraphQL query that fetches what the page shows ("API untuk halaman ini")."""

    query: str
    variables: dict[str, Any] = field(default_factory=dict)

    def _params(self, key: str) -> str:
        # %20, not +: GraphiQL reads its URL with decodeURIComponent
        params = f"{key}={_quoted_query(self.query)}"
        if self.variables:
            variables = json.dumps(self.variables, separators=(",", ":"))
            params += "&variables=" + quote(variables, safe="")
        return params

    @property
    def json_url(self) -> str:
        return urls.path("graphql") + "?" + self._params("query")

    @property
    def graphiql_url(self) -> str:
        return urls.path("graphql") + "?" + self._params("q")


@dataclass
class Page:
    request: Request
    services: Parts
    visitor: Visitor
    # what the resolvers read, with this page request's DataLoaders: made once per request
    scope: RequestScope
    # an anonymous visitor's page the page cache keeps under this key, once rendered
    cache: PageCache | None = None
    cache_key: str | None = None
    # a kept-kind page's generation, calendar version and own facts, read before anything
    facts: KeyFacts | None = None
    # where this page's parts that no visitor changes are kept, and under which key
    parts: tuple[PageCache, str] | None = None

    def url(self, name: str, /, **params: Any) -> str:
        """A route's path (`opendata.urls.path`): parameters it does not take are the query."""
        return urls.path(name, **params)

    def with_query(self, **changes: Any) -> str:
        """This page's URL with some query parameters changed (None removes one)."""
        params = dict(self.request.query_params.multi_items())
        for key, value in changes.items():
            params.pop(key, None)
            if value is not None and value != "":
                params[key] = str(value)
        return self.request.url.path + ("?" + urlencode(params) if params else "")

    def gettext(self, message: str, **variables: Any) -> str:
        text = translations(self.visitor.language).gettext(message)
        return text % variables if variables else text

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        if self.cache is not None and self.cache_key is not None and status == 200:
            # rendered for every anonymous visitor: a stand-in for this visitor's token
            anyone = replace(self.visitor, csrf_token=self.cache.stand_in)
            stored = self.cache.put(self.cache_key, self._html(template, anyone, context))
            return self.cached(stored)
        html = self._html(template, self.visitor, context)
        response = HTMLResponse(html, status_code=status)
        return self._finish(response)

    async def kept_part(
        self, name: str, template: str, context: Callable[[], Awaitable[dict[str, Any]]]
    ) -> Markup:
        """A part of the page the same for every visitor, rendered from `template` with what
        `context` reads, or as kept under the page's key (`page_cache`). It is rendered for
        an anonymous visitor without a token: nothing in it may name the visitor."""
        if self.parts is not None:
            store, key = self.parts
            found = store.part(key, name)
            if found is not None:
                return Markup(found)
        anyone = Visitor(self.visitor.language, self.visitor.formats, None, "")
        html = self._html(template, anyone, await context())
        if self.parts is not None:
            store, key = self.parts
            store.keep_part(key, name, html)
        return Markup(html)

    def cached(self, stored: CachedResponse) -> Response:
        """A kept page for this visitor: its own token written in, an ETag, 304 on a match."""
        assert self.cache is not None
        token = self.visitor.csrf_token
        etag = self.cache.etag_for(stored, token)
        if not_modified(self.request.headers, etag):
            response = Response(status_code=304)
        else:
            response = HTMLResponse(self.cache.body_for(stored, token))
        response.headers["ETag"] = etag
        # the language follows the cookie and Accept-Language; the token follows the cookie
        response.headers["Vary"] = "Cookie, Accept-Language"
        return self._finish(response)

    def _html(self, template: str, visitor: Visitor, context: dict[str, Any]) -> str:
        language = visitor.language
        gettext, ngettext = _translators(language)
        routes = {getattr(route, "name", None) for route in self.request.app.routes}
        return environment.get_template(template).render(
            page=self,
            visitor=visitor,
            viewer=visitor.viewer,
            lang=language,
            fmt=visitor.formats,
            pick=visitor.formats.pick,
            csrf_field=CSRF_FIELD,
            optional_nav=[name for name in OPTIONAL_NAV if name in routes],
            gettext=gettext,
            ngettext=ngettext,
            # what the i18n extension's `_` would call through `gettext`, called directly: its
            # alias takes the context, and Jinja copies the whole context for each call in a loop
            _=gettext,
            **context,
        )

    def _finish(self, response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store" if self.visitor.session else "no-cache"
        response.headers["Content-Language"] = self.visitor.language
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        return remember(self.request, self.visitor, response)

    def redirect(self, url: str) -> Response:
        """POST-redirect-GET."""
        return remember(self.request, self.visitor, RedirectResponse(url, status_code=303))

    def refusal(self, error: DomainError) -> Response:
        return self.render(
            "error.html",
            status=error.http_status,
            error=error,
            message=self.visitor.formats.pick(error.message_id, error.message_en),
        )


def _format(text: str, variables: dict[str, Any]) -> str:
    return text % variables if variables else text


@lru_cache(maxsize=len(LANGUAGES))
def _translators(language: str) -> tuple[Callable[..., str], Callable[..., str]]:
    """The templates' gettext and ngettext in one language, made once, not once per page."""
    catalog = translations(language)

    def gettext(message: str, **variables: Any) -> str:
        return _format(catalog.gettext(message), variables)

    def ngettext(one: str, many: str, n: int, **variables: Any) -> str:
        return _format(catalog.ngettext(one, many, n), {"num": n, **variables})

    return gettext, ngettext


def shown_beside_the_form(error: DomainError) -> bool:
    """Whether a form's page shows this refusal beside what was typed: not a refused access
    (401/403), which `@page` answers with its own page."""
    return error.code not in ("UNAUTHENTICATED", "FORBIDDEN")


def form_text(form: FormData, name: str) -> str:
    """A form field's text, trimmed: "" when it is missing or is a file."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_texts(form: FormData, names: Iterable[str]) -> dict[str, str]:
    """The named fields' texts, to act on and to show again beside a refusal."""
    return {name: form_text(form, name) for name in names}


def form_date(text: str | None, field: str) -> date | None:
    """A date typed as YYYY-MM-DD (None when empty); anything else is refused in both
    languages under the API's argument name `field`."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadUserInput(
            "Tanggal harus berbentuk TTTT-BB-HH.", "The date must be YYYY-MM-DD.", field=field
        ) from None


def form_rupiah(text: str | None, field: str) -> int | None:
    """A sum of rupiah as people type it ("50.000", "50,000", "50000"; None when empty);
    anything else is refused in both languages under the API's argument name `field`."""
    raw = (text or "").replace(".", "").replace(",", "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        raise BadUserInput(
            "Biaya harus berupa angka rupiah.", "The fee must be a number of rupiah.", field=field
        )
    return int(raw)


Handler = Callable[[Page], Awaitable[Response]]


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint from a page handler."""
    return _endpoint(handler, None)


def cached_page(
    facts: PageFacts,
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A page the same for every anonymous visitor: kept rendered in the page cache
    (`opendata.portal.page_cache`), keyed by the generation, the calendar and `facts`."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        return _endpoint(handler, facts)

    return decorate


def _endpoint(
    handler: Handler, facts: PageFacts | None
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        services: Parts = request.app.state.services
        # a page's reads run one after another: one session for them all
        async with services.database.shared_reads():
            return await _answer(request, services)

    async def _answer(request: Request, services: Parts) -> Response:
        visitor = await visitor_of(request, services)
        address = request.client.host if request.client else ""
        store = None
        if facts is not None and request.method == "GET":
            store = page_cache_of(request, services)
        if store is not None and not store.enabled:
            store = None
        cache = store if visitor.session is None else None  # whole pages: anonymous only
        if facts is None:
            await refresh_calendar(services)  # another server may have changed it
        scope = RequestScope.of(services, visitor.viewer, address, str(request.base_url))
        current = Page(request, services, visitor, scope)
        try:
            check_address(request)
            if facts is not None:
                # kept or not, the key's facts (which the handler may show) refresh the
                # calendar too, in the same statement
                current.facts = await facts.read(request, services)
            if store is not None and current.facts is not None:
                key = store.key(request, visitor.language, current.facts)
                current.parts = (store, key)
            if cache is not None and current.parts is not None:
                current.cache = cache
                stored = cache.get(key)
                if stored is not None:
                    return current.cached(stored)
                current.cache_key = key
            return await handler(current)
        except DomainError as error:
            current.cache = None  # a refusal is never kept
            return current.refusal(error)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint
