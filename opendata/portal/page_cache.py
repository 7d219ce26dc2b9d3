"""Rendered catalogue pages kept per catalogue generation, for anonymous visitors (issue 26).

The home, search and dataset pages are the same for every visitor who is not signed in,
except for the CSRF token in their forms. They are rendered once with a stand-in token (a
random text per process, so no content can contain it), kept, and served with the visitor's
own token written in its place (escaped, as the template would have escaped it).

Keyed by everything the page depends on: the route, the path and query string, the
language, the host (links in the JSON-LD name it), the catalogue generation (every write
that changes what a page shows bumps it, on whichever server), the calendar's version, the
regency date (exemptions start and end at midnight without a write) and the page's own
facts the generation does not follow (how often a dataset was asked about). The generation
and the facts are read in one statement before the page reads anything, and every part of
the page is at least that new, so an entry never holds content older than its key says;
after an exemption, the next view already has a new key and renders again. Signed-in
visitors (staff, producers, requesters) never read or fill the kept pages.

Parts of a page that do not depend on the visitor (the dataset page's notices and tables,
`Page.kept_part`) are kept under the same key for every visitor, signed in or not: a
signed-in view renders only its own header and forms around them. The same key, read the
same way first, makes them exactly as fresh as the kept pages.

An ETag (of the stored page and the visitor's token) lets a browser revalidate: a match is
a 304 without a body. Memory is bounded like the GraphQL response cache (`ResponseCache`:
entries and bytes, no page over 256 kB kept); `response_cache_entries = 0` turns both off.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape
from sqlalchemy import ScalarSelect, Select, select
from starlette.requests import Request

from opendata.calendar_store import STORED_VERSION, calendar_of_version
from opendata.catalogue.changes import GENERATION
from opendata.db.engine import bounded
from opendata.regency_time import regency_today
from opendata.request_scope import Parts
from opendata.web.response_cache import CachedResponse, ResponseCache


def _no_params(_: Request) -> dict[str, Any]:
    return {}


@dataclass
class PageFacts:
    """What a page's key needs beyond the generation and the calendar: scalar subqueries
    (built once, with bound parameters) and the parameters a request gives them."""

    facts: Sequence[ScalarSelect[Any]] = ()
    params: Callable[[Request], dict[str, Any]] = _no_params
    # whether each of `facts` finds its few rows by a key (`db.engine.bounded`)
    by_key: bool = False
    # one statement for the generation, the calendar's version and the page's facts
    statement: Select[Any] = field(init=False)

    def __post_init__(self) -> None:
        both = select(GENERATION.scalar_subquery(), STORED_VERSION.scalar_subquery())
        statement = both.add_columns(*self.facts)
        self.statement = bounded(statement) if self.by_key or not self.facts else statement

    async def read(self, request: Request, services: Parts) -> KeyFacts:
        """The generation, the calendar (refreshed to the stored version) and the page's own
        facts, in one statement: a page kept or not reads them before anything else."""
        async with services.database.session() as session:
            found = await session.execute(self.statement, self.params(request))
            generation, version, *own = found.one()
            calendar = await calendar_of_version(services, session, version)
        return KeyFacts(int(generation or 0), calendar.version, tuple(own))


@dataclass(frozen=True)
class KeyFacts:
    """What `PageFacts.read` found: the page's key material besides the request."""

    generation: int
    calendar_version: int
    own: tuple[Any, ...]


NO_FACTS = PageFacts()


class PageCache:
    """Rendered anonymous pages with a stand-in CSRF token, bounded like `ResponseCache`."""

    def __init__(self, max_entries: int) -> None:
        self.store = ResponseCache(max_entries)
        self.stand_in = "csrf" + secrets.token_hex(16)  # survives HTML escaping unchanged

    @property
    def enabled(self) -> bool:
        return self.store.max_entries > 0

    @staticmethod
    def key(request: Request, language: str, facts: KeyFacts) -> str:
        """The page's key: the request's route, address, language and host, and its facts."""
        material = [
            getattr(request.scope.get("route"), "name", None),
            request.url.path,
            request.url.query,
            language,
            str(request.base_url),
            facts.generation,
            facts.calendar_version,
            str(regency_today()),
            [str(value) for value in facts.own],
        ]
        return hashlib.sha256(json.dumps(material).encode()).hexdigest()

    def get(self, key: str) -> CachedResponse | None:
        return self.store.get(key)

    def part(self, key: str, name: str) -> str | None:
        """A kept part of the page under `key`: the same for every visitor, signed in or not."""
        found = self.store.get(f"{key}:{name}")
        return None if found is None else found.body.decode()

    def keep_part(self, key: str, name: str, html: str) -> None:
        self.store.put(f"{key}:{name}", html.encode())

    def put(self, key: str, html: str) -> CachedResponse:
        return self.store.put(key, html.encode())

    def body_for(self, entry: CachedResponse, csrf_token: str) -> bytes:
        """The stored page with this visitor's token in place of the stand-in."""
        return entry.body.replace(self.stand_in.encode(), str(escape(csrf_token)).encode())

    @staticmethod
    def etag_for(entry: CachedResponse, csrf_token: str) -> str:
        material = (entry.etag + csrf_token).encode()
        return '"' + hashlib.sha256(material).hexdigest()[:32] + '"'


def page_cache_of(request: Request, services: Parts) -> PageCache:
    """The app's page cache (one per app, made on its first page)."""
    state = request.app.state
    cache = getattr(state, "page_cache", None)
    if cache is None:
        cache = PageCache(services.settings.response_cache_entries)
        state.page_cache = cache
    return cache
