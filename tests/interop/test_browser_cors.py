"""A page on another origin calls /graphql in a real browser (Chromium through Playwright)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop.conftest import PUBLIC, harvest_catalog
from tests.web.server import ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
# Flags for a closed network (no background connections) and a root user in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE = (
    """<!doctype html><html><body><p id="answer">waiting</p><script>
fetch(API + "/graphql", {
  method: "POST",
  headers: {"Content-Type": "application/json"},
  body: JSON.stringify({query: '{ dataset(slug: "SLUG") { title } }'}),
}).then(r => r.json())
  .then(body => { document.getElementById("answer").textContent = body.data.dataset.title; })
  .catch(error => { document.getElementById("answer").textContent = "refused: " + error; });
</script></body></html>"""
).replace("SLUG", PUBLIC)


class _StaticSite:
    """Another origin: the page above on its own loopback port."""

    def __init__(self, folder: Path, api: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(PAGE.replace("fetch(API", f'fetch("{api}"'))
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> _StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, ServerProcess]]:
    """The API allows one site's origin; a second site is not on its list."""
    root = tmp_path_factory.mktemp("browser")
    api = ServerProcess(root / "data")
    with (
        _StaticSite(root / "allowed", api.url) as allowed,
        _StaticSite(root / "other", api.url) as other,
    ):
        api.env["OPENDATA_CORS_ORIGINS"] = allowed.origin
        api.run("catalog", "load", str(harvest_catalog(root / "catalog")))
        api.start()
        try:
            yield allowed.origin, other.origin, api
        finally:
            api.stop()


def _answer_seen_by_page(origin: str) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(origin + "/index.html")
            page.wait_for_function("document.getElementById('answer').textContent !== 'waiting'")
            return page.text_content("#answer") or ""
        finally:
            browser.close()


def test_a_page_on_an_allowed_origin_reads_the_graphql_answer(
    sites: tuple[str, str, ServerProcess],
) -> None:
    allowed, _, _ = sites
    assert _answer_seen_by_page(allowed) == "Cakupan Imunisasi Dasar"


def test_a_page_on_another_origin_is_refused_by_the_browser(
    sites: tuple[str, str, ServerProcess],
) -> None:
    _, other, _ = sites
    assert _answer_seen_by_page(other).startswith("refused: TypeError")
