"""Every public page in Chromium at phone and desktop width: complete, accessible, offline."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import WIDTHS, axe_violations, open_page, sideways_overflow
from tests.web.server import ServerProcess

PAGES = (
    "/",
    "/cari",
    "/cari?q=demam+berdarah",
    "/cari?q=zzzz+tidak+ada",
    "/dataset/kasus-dbd-per-kecamatan",
    "/dataset/register-pasien-tbc",
    "/dataset/memo-internal-uji",
    "/instansi/dinkes",
    "/permohonan",
    "/permohonan/baru?dataset=kasus-dbd-per-kecamatan",
    "/daftar",
    "/masuk",
    "/tenggat?start=2026-03-13&days=10",
)
HOME_BUDGET_BYTES = 150 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_complete_accessible_and_fits_the_window(
    browser: object, portal_server: ServerProcess, width: int
) -> None:
    context, page, traffic = open_page(browser, portal_server.url, width)
    problems = {}
    try:
        for path in PAGES:
            response = page.goto(portal_server.url + path)  # type: ignore[attr-defined]
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.lang") == "id"  # type: ignore[attr-defined]
            overflow = sideways_overflow(page)
            violations = axe_violations(page)
            if overflow > 0 or violations:
                problems[path] = {"overflow_px": overflow, "axe": violations}
    finally:
        context.close()  # type: ignore[attr-defined]
    assert problems == {}
    assert traffic.foreign == []


@pytest.mark.slow
def test_graphiql_works_with_no_internet(browser: object, portal_server: ServerProcess) -> None:
    context, page, traffic = open_page(browser, portal_server.url, 1280)
    try:
        page.goto(portal_server.url + "/graphql")  # type: ignore[attr-defined]
        page.wait_for_selector(".graphiql-editors", timeout=15000)  # type: ignore[attr-defined]
        assert "Loading..." not in page.inner_text("#graphiql")  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []
    assert any("/static/vendor/graphiql/graphiql.js" in url for url in traffic.requests)


@pytest.mark.slow
def test_home_page_is_under_150_kb_transferred(
    browser: object, portal_server: ServerProcess
) -> None:
    context, page, _ = open_page(browser, portal_server.url, 360)
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body())))  # type: ignore[attr-defined]
    try:
        page.goto(portal_server.url + "/", wait_until="load")  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
    assert 0 < sum(sizes) < HOME_BUDGET_BYTES


@pytest.mark.slow
def test_search_through_the_form_finds_the_dengue_figures(phone: object) -> None:
    page = phone.page  # type: ignore[attr-defined]
    page.goto(phone.url("/"))  # type: ignore[attr-defined]
    page.get_by_label("Cari data").fill("demam berdarah")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"/cari\?q=demam\+berdarah"))
    page.get_by_role("link", name=re.compile("Demam Berdarah")).first.click()
    page.wait_for_url(re.compile("/dataset/kasus-dbd-per-kecamatan"))
    # filter the table to one kecamatan, without JavaScript's help: a GET form
    page.get_by_label("Kolom").first.select_option("kecamatan")
    page.get_by_label("sama dengan").first.fill("Sungai Kakap")
    page.get_by_role("button", name="Saring").first.click()
    cells = page.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert cells and set(cells) == {"Sungai Kakap"}
    assert page.locator("a[download]").first.get_attribute("href").endswith(".csv")
