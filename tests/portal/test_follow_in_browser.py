"""Issue 24 in Chromium at a phone's 360 px: a visitor follows a dataset with the "Ikuti"
button, and a requester who filed from a dataset's page opens the receipt to print; every
page axe-clean with no sideways scroll, and on paper the receipt alone (no menus, no forms).

Screenshots go to $OPENDATA_SCREENSHOTS when set (to look at them), else to tmp_path."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.portal.conftest import add_user, layout_problems, open_page, screenshots_dir
from tests.portal.test_staff_in_browser import sign_in
from tests.web.server import ServerProcess

PHONE = 360
DBD = "/dataset/kasus-dbd-per-kecamatan"


@dataclass
class Phone:
    page: object
    base: str
    shots: Path
    problems: dict[str, object] = field(default_factory=dict)


@contextmanager
def on_a_phone(browser: object, server: ServerProcess, tmp_path: Path) -> Iterator[Phone]:
    """A fresh 360 px browser; afterwards no page asked another host, none had a problem."""
    context, page, traffic = open_page(browser, server.url, PHONE)
    phone = Phone(page, server.url, screenshots_dir(tmp_path))
    try:
        yield phone
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []
    assert phone.problems == {}


@pytest.mark.slow
def test_a_visitor_follows_a_dataset_on_a_phone(
    browser: object, portal_server: ServerProcess, tmp_path: Path
) -> None:
    with on_a_phone(browser, portal_server, tmp_path) as phone:
        page, base, shots, problems = phone.page, phone.base, phone.shots, phone.problems
        page.goto(base + DBD)  # type: ignore[attr-defined]
        follow = page.locator("section.follow")  # type: ignore[attr-defined]
        assert "Dapatkan surel saat datanya berubah" in follow.inner_text()
        assert page.locator('head link[rel=alternate][type="application/atom+xml"]').count() == 1  # type: ignore[attr-defined]
        assert follow.get_by_role("link", name="Umpan Atom").is_visible()
        button = follow.get_by_role("button", name="Ikuti")
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44  # a finger's tap target
        layout_problems(page, problems, "dataset")
        follow.get_by_label("Alamat surel Anda").fill(f"warga-{uuid.uuid4().hex[:8]}@contoh.id")
        page.screenshot(path=str(shots / "follow-dataset-360.png"), full_page=False)  # type: ignore[attr-defined]
        button.click()
        page.wait_for_url(re.compile(r"/ikuti\?"))  # type: ignore[attr-defined]
        assert "Hampir selesai" in page.locator("[role=status]").inner_text()  # type: ignore[attr-defined]
        page.screenshot(path=str(shots / "follow-sent-360.png"), full_page=True)  # type: ignore[attr-defined]
        layout_problems(page, problems, "follow")
        # the agency page with its PPID desk, its follow boxes and the DIK's
        page.goto(base + "/instansi/dinkes")  # type: ignore[attr-defined]
        assert page.locator("section.follow").count() == 2  # type: ignore[attr-defined]
        page.screenshot(path=str(shots / "agency-360.png"), full_page=True)  # type: ignore[attr-defined]
        layout_problems(page, problems, "agency")
        page.goto(base + "/")  # type: ignore[attr-defined]
        layout_problems(page, problems, "home")


@pytest.mark.slow
def test_a_requester_prints_the_receipt_on_a_phone(
    browser: object, portal_server: ServerProcess, tmp_path: Path
) -> None:
    email = f"warga-{uuid.uuid4().hex[:8]}@contoh.id"
    add_user(portal_server, email, "REQUESTER")
    with on_a_phone(browser, portal_server, tmp_path) as phone:
        page, base, shots, problems = phone.page, phone.base, phone.shots, phone.problems
        start = "/permohonan/baru?dataset=kasus-dbd-per-kecamatan"
        sign_in(page, base, email, start=start)
        page.get_by_label("Tujuan penggunaan informasi").fill("Liputan kesehatan")  # type: ignore[attr-defined]
        page.get_by_label("Alamat").fill("Jl. Ahmad Yani No. 21, Pontianak")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Kirim permohonan").click()  # type: ignore[attr-defined]
        page.wait_for_url(re.compile(r"/permohonan/DINKES/\d{4}/\d+$"))  # type: ignore[attr-defined]
        number = "/".join(page.url.rsplit("/", 3)[1:])  # type: ignore[attr-defined]
        page.get_by_role("link", name="Tanda bukti untuk dicetak atau disimpan").click()  # type: ignore[attr-defined]
        page.wait_for_url(re.compile(r"/tanda-bukti$"))  # type: ignore[attr-defined]
        receipt = page.locator("article.receipt")  # type: ignore[attr-defined]
        text = receipt.inner_text()
        assert "Tanda bukti penerimaan permohonan informasi publik" in text
        assert number in text and "Liputan kesehatan" in text
        page.screenshot(path=str(shots / "receipt-360.png"), full_page=True)  # type: ignore[attr-defined]
        layout_problems(page, problems, "receipt")
        page.emulate_media(media="print")  # type: ignore[attr-defined]
        assert receipt.is_visible()
        assert not page.locator("header.site").is_visible()  # type: ignore[attr-defined]
        assert not page.locator("footer.site").is_visible()  # type: ignore[attr-defined]
        assert not page.get_by_role("link", name="Surat resminya (PDF)").is_visible()  # type: ignore[attr-defined]
        page.screenshot(path=str(shots / "receipt-print.png"), full_page=True)  # type: ignore[attr-defined]
        # the dataset now says it was asked for
        page.emulate_media(media="screen")  # type: ignore[attr-defined]
        page.goto(base + DBD)  # type: ignore[attr-defined]
        assert re.search(r"diminta [1-9]\d* kali", page.locator("dl.facts").inner_text())  # type: ignore[attr-defined]
