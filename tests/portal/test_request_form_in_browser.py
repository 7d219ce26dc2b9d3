"""The request form and the withdrawal in Chromium, at a phone's 390 px and on a desktop:
name and address in the open, a wrong NIK keeps everything typed, the page says what will be
public, and withdrawing asks first on a page that needs no script (issue 20, findings 10, 15).

Screenshots go to $OPENDATA_SCREENSHOTS when set (to look at them), else to tmp_path."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.portal.conftest import add_user, layout_problems, open_page, screenshots_dir
from tests.portal.test_staff_in_browser import sign_in
from tests.web.server import ServerProcess

ADDRESS, PHONE = "Jl. Ahmad Yani No. 21, Pontianak", "0812 9999 0000"
SIZES = {"phone": 390, "desktop": 1280}


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
def test_a_requester_files_keeps_what_was_typed_and_withdraws_after_confirming(
    browser: object, portal_server: ServerProcess, tmp_path: Path, size: str
) -> None:
    base = portal_server.url
    email = f"warga-{uuid.uuid4().hex[:8]}@contoh.id"
    add_user(portal_server, email, "REQUESTER")
    shots = screenshots_dir(tmp_path)
    problems: dict[str, object] = {}
    context, page, traffic = open_page(browser, base, SIZES[size])
    try:
        sign_in(page, base, email, start="/permohonan/baru?agency=dinkes")
        # name and address are on the page itself, not folded away
        assert page.locator("details").count() == 0  # type: ignore[attr-defined]
        assert page.get_by_label("Alamat").is_visible()  # type: ignore[attr-defined]
        assert page.get_by_label("Nama", exact=True).input_value() == email.split("@")[0]  # type: ignore[attr-defined]
        public = page.locator(".publication").inner_text()  # type: ignore[attr-defined]
        assert "Diumumkan dalam register publik" in public and "Tidak pernah diumumkan" in public
        page.get_by_label("Instansi").select_option("dinkes")  # type: ignore[attr-defined]
        page.get_by_label("Informasi yang Anda minta").fill("Jumlah kasus DBD per desa 2025")  # type: ignore[attr-defined]
        page.get_by_label("Tujuan penggunaan informasi").fill("Liputan kesehatan")  # type: ignore[attr-defined]
        page.get_by_label("Alamat").fill(ADDRESS)  # type: ignore[attr-defined]
        page.get_by_label("Telepon").fill(PHONE)  # type: ignore[attr-defined]
        page.get_by_label("NIK (16 angka").fill("1234")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Kirim permohonan").click()  # type: ignore[attr-defined]
        # refused for the NIK alone; the address and phone are still there and visible
        assert "NIK harus 16 angka" in page.locator("[role=alert]").inner_text()  # type: ignore[attr-defined]
        assert page.get_by_label("Alamat").input_value() == ADDRESS  # type: ignore[attr-defined]
        assert page.get_by_label("Telepon").input_value() == PHONE  # type: ignore[attr-defined]
        assert page.get_by_label("Telepon").is_visible()  # type: ignore[attr-defined]
        page.screenshot(path=str(shots / f"request-form-error-{size}.png"), full_page=True)  # type: ignore[attr-defined]
        layout_problems(page, problems, "form")
        page.get_by_label("NIK (16 angka").fill("6171010101900009")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Kirim permohonan").click()  # type: ignore[attr-defined]
        page.wait_for_url(re.compile(r"/permohonan/DINKES/\d{4}/\d+$"))  # type: ignore[attr-defined]
        request_url = page.url  # type: ignore[attr-defined]

        page.get_by_role("button", name="Cabut permohonan ini").click()  # type: ignore[attr-defined]
        main = page.locator("main")  # type: ignore[attr-defined]
        assert "Arti pencabutan" in main.inner_text()
        assert "tidak dapat dibatalkan" in main.inner_text()
        page.screenshot(path=str(shots / f"withdraw-confirm-{size}.png"), full_page=True)  # type: ignore[attr-defined]
        layout_problems(page, problems, "confirm")
        # "no": back to the request, nothing withdrawn
        page.get_by_role("link", name="Tidak, pertahankan permohonan").click()  # type: ignore[attr-defined]
        page.wait_for_url(request_url)  # type: ignore[attr-defined]
        assert "Cabut permohonan ini" in main.inner_text()
        page.get_by_role("button", name="Cabut permohonan ini").click()  # type: ignore[attr-defined]
        page.get_by_role("button", name="Ya, cabut permohonan ini").click()  # type: ignore[attr-defined]
        page.wait_for_url(request_url)  # type: ignore[attr-defined]
        assert "Permohonan dicabut oleh pemohon" in main.inner_text()
        assert "Cabut permohonan ini" not in main.inner_text()
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []
    assert problems == {}
