"""Every link is a named route's output (opendata/urls.py): every page (pages.md), rendered for
whoever may see it, links only to paths the app routes to a named route; every static file it
names exists; and no template writes a path by hand. Both backends."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
from starlette.applications import Starlette
from starlette.routing import Match, Mount

from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.attachments.service import UploadedFile
from opendata.attachments.steps import answer_request
from opendata.catalogue.loader import load_catalog
from opendata.db.base import utcnow
from opendata.regency_time import regency_today
from opendata.services import Services
from opendata.urls import PATHS, STATIC_FILES, numbered, path
from tests.information_requests.builders import object_to
from tests.information_requests.helpers import make_desk, online
from tests.portal.catalog import portal_catalog
from tests.portal.conftest import portal_as

TEMPLATE_DIRS = [
    Path(__file__).parents[2] / "opendata" / package / "templates"
    for package in ("portal", "mail", "letters")
]
# an attribute whose value starts with a path: `href="/...`, `action='/...`, `src=/...`
LITERAL_PATH = re.compile(r"""=\s*["']?/""")
LINK_ATTRIBUTES = {"href", "action", "src"}
PDF = b"%PDF-1.7\n% pemberitahuan\n%%EOF\n"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in LINK_ATTRIBUTES and value]


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.found


def route_name(app: Starlette, link_path: str) -> str | None:
    """The name of the route the app sends this path to (any method), None if none."""
    scope = {"type": "http", "path": unquote(link_path), "root_path": "", "method": "GET"}
    for route in app.routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            return getattr(route, "name", None)
    return None


def unrouted(app: Starlette, html: str) -> list[str]:
    """The page's links to this site that no named route answers."""
    wrong = []
    for link in links_of(html):
        if link.startswith(("#", "data:", "mailto:")):
            continue
        parts = urlsplit(link)
        if parts.scheme and parts.netloc != "testserver":
            continue  # another site (a licence's text)
        if not parts.path.startswith("/") or not route_name(app, parts.path):
            wrong.append(link)
    return wrong


async def pages_for_everyone(
    services: Services, tmp_path: Path
) -> list[tuple[str, Viewer | None, int]]:
    """Each page of pages.md, one who may see it and its status, with a catalogue and one refused, objected
    request (a notice attached) so every section of every page has something to link to."""
    desk = await make_desk(services)
    assert (await load_catalog(services, portal_catalog(tmp_path / "catalog"))).ok
    record = await online(desk, utcnow())
    await answer_request(
        services,
        desk.officer,
        record.request.id,
        decision="REFUSED",
        answer="Ditolak",
        exemptions=["PASAL_17H"],
        consequence_test="Rahasia pribadi",
        attachments=[UploadedFile("pemberitahuan.pdf", PDF)],
        now=utcnow(),
    )
    await object_to(desk, record.request.id, utcnow())
    number = numbered(record.request.registration_number)
    year = regency_today().year
    return [
        (path("home"), None, 200),
        (path("search"), None, 200),
        (path("search", q="kasus", topic="kesehatan"), None, 200),
        (path("search", q="tidakadasamasekali"), None, 200),
        (path("dataset", slug="kasus-dbd-per-kecamatan"), None, 200),
        (path("dataset", slug="register-pasien-tbc"), None, 200),
        (path("dataset", slug="memo-internal-uji"), None, 200),
        (path("agency", slug="dinkes"), None, 200),
        (path("agency", slug="diskominfo"), None, 200),
        (path("register"), None, 200),
        (path("request", **number), None, 200),
        (path("new_request", dataset="kasus-dbd-per-kecamatan"), None, 200),
        (path("sign_up"), None, 200),
        (path("sign_in"), None, 200),
        (path("deadline", start="2026-03-02", days=10), None, 200),
        (path("dashboard"), None, 200),
        (path("statistics"), None, 200),
        (path("report", year=year, format="html"), None, 200),
        (path("graphql"), None, 200),  # GraphiQL
        ("/tidak-ada", None, 404),  # the error page
        (path("staff"), None, 401),  # the error page with its sign-in link
        (path("my_requests"), desk.requester, 200),
        (path("request", **number), desk.requester, 200),
        (path("staff"), desk.officer, 200),
        (path("staff_act", **number), desk.officer, 200),
        (path("staff_register"), desk.officer, 200),
        (path("staff_exemptions"), desk.officer, 200),
        (path("staff_exemptions", dataset="kasus-dbd-per-kecamatan"), desk.admin, 200),
        (path("staff_objections"), desk.superior, 200),
        (path("staff", lang="en"), desk.superior, 200),
        (path("staff_jobs"), desk.admin, 200),
    ]


async def test_every_page_links_only_to_named_routes(services: Services, tmp_path: Path) -> None:
    app = create_app(services)
    pages = await pages_for_everyone(services, tmp_path)
    problems: dict[str, object] = {}
    static: set[str] = set()
    for page_path, viewer, status in pages:
        async with await portal_as(services, viewer, app) as client:
            response = await client.get(page_path)
        if response.status_code != status:
            problems[page_path] = response.status_code
            continue
        if wrong := unrouted(app, response.text):
            problems[page_path] = wrong
        static |= {
            urlsplit(link).path
            for link in links_of(response.text)
            if route_name(app, urlsplit(link).path) == "static"
        }
    assert problems == {}
    assert static, "no page names a static file"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as client:
        missing = [link for link in sorted(static) if (await client.get(link)).status_code != 200]
    assert missing == []


def test_no_template_writes_a_path_by_hand() -> None:
    written = [
        f"{template.relative_to(folder.parents[1])}:{number}: {line.strip()}"
        for folder in TEMPLATE_DIRS
        for template in sorted(folder.iterdir())
        for number, line in enumerate(template.read_text().splitlines(), start=1)
        if LITERAL_PATH.search(line)
    ]
    assert written == [], "build links with url('route', ...) (opendata/urls.py):\n" + "\n".join(
        written
    )


def test_the_check_finds_a_path_written_by_hand() -> None:
    assert LITERAL_PATH.search('<a class="button" href="/permohonan/baru">')
    assert LITERAL_PATH.search("<form action='/cari'>")
    assert not LITERAL_PATH.search("<a href=\"{{ url('search') }}\">")
    assert unrouted(Starlette(), '<a href="/cari">') == ["/cari"]


async def test_every_route_is_named_and_at_its_path_in_the_table(services: Services) -> None:
    """A page's route at its name's path; a form's POST route (`<page>_post`) at its page's."""
    for route in create_app(services).routes:
        name = getattr(route, "name", None)
        at = route.path + STATIC_FILES if isinstance(route, Mount) else route.path  # type: ignore[attr-defined]
        assert name and at in PATHS.values(), f"unnamed or untabled route {route}"
        assert at == PATHS.get(name, at), name
