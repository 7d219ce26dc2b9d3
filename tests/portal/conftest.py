"""One real server and one Chromium for the whole portal test session.

The server is `opendata serve` on a free loopback port over SQLite, with the portal test
catalogue (every kind of exemption) loaded. The browser is Debian's Chromium driven by
Playwright; every page a test opens records each request, and any request to another host is
refused and reported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from opendata.accounts.sessions import open_session
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.portal.visitor import SESSION_COOKIE
from opendata.services import Services
from tests.portal.catalog import portal_catalog
from tests.web.server import ServerProcess

CHROMIUM = os.environ.get("OPENDATA_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (360, 1280)
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "kata-sandi-petugas"  # every account add_user makes


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("portal")
    server = ServerProcess(root / "data")
    server.run("catalog", "load", str(portal_catalog(root / "catalog")))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium for one module: sync Playwright runs its own event loop in this thread, so it
    must be closed before the async tests of other modules run."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (.ci/run installs the chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@dataclass
class Traffic:
    """Every request a page made; requests to other hosts are aborted and kept here."""

    own_host: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@dataclass
class Browsing:
    page: object
    traffic: Traffic
    base: str

    def url(self, path: str) -> str:
        return self.base + path


def open_page(browser: object, base: str, width: int) -> tuple[object, object, Traffic]:
    own_host = urlsplit(base).netloc
    traffic = Traffic(own_host)
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 800},
        locale="id-ID",
        # the pages forbid every script; the tests still inject axe-core
        bypass_csp=True,
    )

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        traffic.requests.append(url)
        host = urlsplit(url).netloc
        if url.startswith("data:") or host == own_host:
            route.continue_()  # type: ignore[attr-defined]
        else:
            traffic.foreign.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    return context, context.new_page(), traffic


@pytest.fixture
def phone(browser: object, portal_server: ServerProcess) -> Iterator[Browsing]:
    """A fresh phone-sized browser context (no cookies shared with other tests)."""
    context, page, traffic = open_page(browser, portal_server.url, 360)
    yield Browsing(page, traffic, portal_server.url)
    context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == [], f"requests to another host: {traffic.foreign}"


def axe_violations(page: object) -> list[dict[str, object]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def sideways_overflow(page: object) -> int:
    """How many pixels the page is wider than the window (0 = no sideways scroll)."""
    return int(
        page.evaluate(  # type: ignore[attr-defined]
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
    )


def layout_problems(page: object, problems: dict[str, object], name: str) -> None:
    """Note under `name` the page's sideways scroll and serious axe-core violations, if any,
    once the page has loaded: measured while its stylesheet is still coming (a busy machine,
    right after a form's answer), an unstyled form is wider than the phone."""
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    overflow = sideways_overflow(page)
    violations = axe_violations(page)
    if overflow > 0 or violations:
        problems[name] = {"overflow_px": overflow, "axe": violations}


def screenshots_dir(tmp_path: Path) -> Path:
    """$OPENDATA_SCREENSHOTS when set (to look at them afterwards), else the test's tmp_path."""
    chosen = Path(os.environ.get("OPENDATA_SCREENSHOTS") or tmp_path)
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def add_user(server: ServerProcess, email: str, role: str, agency: str | None = None) -> str:
    """A new account with PASSWORD, made by the CLI; its bearer token (the CLI's last line)."""
    args = ["users", "add", "--email", email, "--name", email.split("@")[0], "--role", role]
    args += ["--password", PASSWORD] + (["--agency", agency] if agency else [])
    return server.run(*args).stdout.strip().splitlines()[-1]


def graphql(server: ServerProcess, token: str, query: str, variables: dict[str, object]) -> dict:  # type: ignore[type-arg]
    """The `data` of a GraphQL call to the running server as the token's user; no errors."""
    response = httpx.post(
        server.url + "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def portal_as(
    services: Services, viewer: Viewer | None = None, app: Starlette | None = None
) -> httpx.AsyncClient:
    """The portal in the test process as `viewer` (None: anonymous), signed in by a real
    session cookie; `app` when the test changed the app's routes."""
    cookies = {}
    if viewer is not None:
        secret, _ = await open_session(services.database, viewer.user_id)
        cookies[SESSION_COOKIE] = secret
    transport = httpx.ASGITransport(app=app or create_app(services))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=cookies)


def csrf_of(html: str) -> str:
    """The CSRF token of the page's form, which every POST must send back."""
    found = CSRF_INPUT.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)
