"""The portal in Chromium: every page at phone and desktop width (complete, accessible,
offline), search through the form, withheld values never shown, a requester's whole visit.

All browser tests live in this one module: the browser is module-scoped, because sync
Playwright holds an event loop in the test thread while it runs and the async tests of the
other modules need that thread's loop back."""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote_plus

import pytest

from tests.portal.catalog import SECRET_ROW_PLACE, SECRETS
from tests.portal.conftest import (
    WIDTHS,
    Browsing,
    layout_problems,
    open_page,
)
from tests.web.server import ServerProcess

PAGES = (
    "/",
    "/cari",
    "/cari?q=demam+berdarah",
    "/cari?q=zzzz+tidak+ada",
    "/dataset/kasus-dbd-per-kecamatan",
    "/dataset/register-pasien-tbc",
    "/dataset/register-pasien-tbc?res=register&col=kecamatan&val=Sungai+Raya",  # few rows, listed
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
    problems: dict[str, object] = {}
    try:
        for path in PAGES:
            response = page.goto(portal_server.url + path)  # type: ignore[attr-defined]
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.lang") == "id"  # type: ignore[attr-defined]
            layout_problems(page, problems, path)
    finally:
        context.close()  # type: ignore[attr-defined]
    assert problems == {}
    assert traffic.foreign == []


@pytest.mark.slow
def test_graphiql_works_with_no_internet_and_opens_each_pages_query(
    browser: object, portal_server: ServerProcess
) -> None:
    context, page, traffic = open_page(browser, portal_server.url, 1280)
    try:
        page.goto(portal_server.url + "/dataset/kasus-dbd-per-kecamatan")  # type: ignore[attr-defined]
        page.get_by_role("link", name="Kueri GraphQL").click()  # type: ignore[attr-defined]
        page.wait_for_selector(".graphiql-editors", timeout=15000)  # type: ignore[attr-defined]
        assert "Loading..." not in page.inner_text("#graphiql")  # type: ignore[attr-defined]
        editor = page.locator(".graphiql-query-editor").inner_text()  # type: ignore[attr-defined]
        assert "dataset(slug: $slug)" in editor
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
    page.get_by_text("Saring baris").first.click()
    page.get_by_label("Kecamatan memuat").first.fill("Sungai Kakap")
    page.get_by_role("button", name="Saring", exact=True).first.click()
    # the empty boxes of the form are left out of the address the page ends at
    page.wait_for_url(re.compile(r"\?kasus\.kecamatan\.contains=Sungai\+Kakap#res-1$"))
    cells = page.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert cells and set(cells) == {"Sungai Kakap"}
    href = page.locator("a[download]").first.get_attribute("href")
    assert href.split("?")[0].endswith(".csv") and "Sungai+Kakap" in href


TBC = "/dataset/register-pasien-tbc"
PAGES_NEAR_SECRETS = (
    "/",
    "/cari",
    "/cari?q=tuberkulosis",
    "/cari?topic=kesehatan",
    TBC,
    f"{TBC}?res=register&sort=kecamatan",
    f"{TBC}?res=register&sort=umur&dir=desc",
    f"{TBC}?res=register&col=status_pengobatan&val=putus+berobat",
    f"{TBC}?res=register&p=2",
    "/dataset/memo-internal-uji",
    "/instansi/dinkes",
    "/permohonan/baru?dataset=register-pasien-tbc",
)


@pytest.mark.slow
def test_withheld_values_never_appear_in_any_page(phone: Browsing) -> None:
    page = phone.page
    seen = {}
    for path in PAGES_NEAR_SECRETS:
        response = page.goto(phone.url(path))  # type: ignore[attr-defined]
        html = page.content()  # type: ignore[attr-defined]
        seen[path] = [secret for secret in SECRETS if secret in html]
        assert response.status == 200, path
    # sorting or filtering on a withheld column is refused, and says nothing of its values
    for path in (f"{TBC}?res=register&sort=nik", f"{TBC}?res=register&col=nik&val=6112"):
        response = page.goto(phone.url(path))  # type: ignore[attr-defined]
        assert response.status == 400, path
        seen[path] = [s for s in SECRETS if s in page.content()]  # type: ignore[attr-defined]
    for link in page.goto(phone.url(TBC)) and page.locator("a[download]").all():  # type: ignore[attr-defined]
        csv_text = page.request.get(phone.url(link.get_attribute("href"))).text()  # type: ignore[attr-defined]
        seen[f"csv {link.get_attribute('href')}"] = [s for s in SECRETS if s in csv_text]
    assert {path: found for path, found in seen.items() if found} == {}
    # asking for a secret by name finds nothing (the page echoes only what was typed)
    for secret in SECRETS:
        page.goto(phone.url(f"/cari?q={quote_plus(secret)}"))  # type: ignore[attr-defined]
        assert page.locator(".results .cards li").count() == 0, secret  # type: ignore[attr-defined]
        assert secret not in page.locator(".facets").inner_text()  # type: ignore[attr-defined]
    page.goto(phone.url(f"{TBC}?res=register&col=kecamatan&val={quote_plus(SECRET_ROW_PLACE)}"))  # type: ignore[attr-defined]
    nothing = page.locator(".resource .alert").first.inner_text()  # type: ignore[attr-defined]
    assert "Tidak ada baris tabel ini yang cocok dengan filter tersebut." in nothing
    assert "0 baris" in page.locator(".resource").first.inner_text()  # type: ignore[attr-defined]
    # the page says what is withheld, in plain words
    page.goto(phone.url(TBC))  # type: ignore[attr-defined]
    notice = page.locator(".notice").inner_text()  # type: ignore[attr-defined]
    assert "Pasal 17 huruf h" in notice and "NIK pasien" in notice  # the field's title
    assert page.locator("td.withheld").count() > 0  # type: ignore[attr-defined]


@pytest.mark.slow
def test_requester_signs_up_files_a_request_and_finds_it_again(
    browser: object, portal_server: ServerProcess
) -> None:
    email = f"warga-{uuid.uuid4().hex[:8]}@contoh.id"
    nik, address, phone_number = "6112345678901234", "Jl. Rahasiaku No. 7", "0812-7777-1234"
    context, page, traffic = open_page(browser, portal_server.url, 360)
    base = portal_server.url
    try:
        page.goto(base + "/dataset/kasus-dbd-per-kecamatan")  # type: ignore[attr-defined]
        page.get_by_role("link", name="Tanyakan data ini kepada instansi").click()  # type: ignore[attr-defined]
        page.locator(".alert.info").get_by_role("link", name="daftar").click()  # type: ignore[attr-defined]
        page.get_by_label("Nama").fill("Sari Wartawati")  # type: ignore[attr-defined]
        page.get_by_label("Surel").fill(email)  # type: ignore[attr-defined]
        page.get_by_label("Kata sandi").fill("kata-sandi-panjang")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Daftar").click()  # type: ignore[attr-defined]
        # back on the prefilled form, now signed in
        page.wait_for_url(re.compile(r"/permohonan/baru\?dataset=kasus-dbd"))  # type: ignore[attr-defined]
        asked = page.get_by_label("Informasi yang Anda minta").input_value()  # type: ignore[attr-defined]
        assert "kasus-dbd-per-kecamatan" in asked
        assert page.get_by_label("Instansi").input_value() == "dinkes"  # type: ignore[attr-defined]
        page.get_by_label("Tujuan penggunaan informasi").fill("Liputan tentang DBD")  # type: ignore[attr-defined]
        page.get_by_label("NIK (16 angka").fill(nik)  # type: ignore[attr-defined]
        page.get_by_label("Alamat").fill(address)  # type: ignore[attr-defined]
        page.get_by_label("Telepon").fill(phone_number)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Kirim permohonan").click()  # type: ignore[attr-defined]
        page.wait_for_url(re.compile(r"/permohonan/DINKES/\d{4}/\d+$"))  # type: ignore[attr-defined]
        request_path = page.url[len(base) :]  # type: ignore[attr-defined]
        assert "Sisa 10 hari kerja" in page.inner_text("main")  # type: ignore[attr-defined]
        # signed out and in again, the request is under "my requests"
        page.get_by_role("button", name="Keluar").click()  # type: ignore[attr-defined]
        page.goto(base + "/saya")  # type: ignore[attr-defined]
        page.wait_for_url(re.compile("/masuk"))  # type: ignore[attr-defined]
        page.get_by_label("Surel").fill(email)  # type: ignore[attr-defined]
        page.get_by_label("Kata sandi").fill("kata-sandi-panjang")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Masuk").click()  # type: ignore[attr-defined]
        page.wait_for_url(re.compile("/saya$"))  # type: ignore[attr-defined]
        page.get_by_role("link", name=request_path.removeprefix("/permohonan/")).click()  # type: ignore[attr-defined]
        assert "Sari Wartawati" in page.inner_text("main")  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []

    # anyone else: the register and the request page never show who asked
    context, page, _ = open_page(browser, portal_server.url, 1280)
    try:
        for path in ("/permohonan", request_path, "/permohonan?agency=dinkes"):
            page.goto(base + path)  # type: ignore[attr-defined]
            html = page.content()  # type: ignore[attr-defined]
            assert request_path.removeprefix("/permohonan/") in html
            for personal in ("Sari Wartawati", email, nik, address, phone_number):
                assert personal not in html, (path, personal)
    finally:
        context.close()  # type: ignore[attr-defined]
