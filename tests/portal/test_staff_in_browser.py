"""The staff pages in Chromium: an officer signs in, finds a request in the queue, refuses it
in part with a Pasal 17 basis and an attachment, and downloads the PDF notice; an anonymous
visitor and another agency's officer see neither the act page nor the private attachment.
The queue and act pages pass axe-core and fit a 360 px phone.

Sync Playwright holds an event loop in the test thread: the browser is module-scoped
(conftest) and closed before the async tests of other modules run."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.portal.conftest import (
    PASSWORD,
    WIDTHS,
    add_user,
    graphql,
    layout_problems,
    open_page,
    screenshots_dir,
)
from tests.web.server import ServerProcess

FILE = """mutation($input: FileRequestInput!) { fileInformationRequest(input: $input) {
  registrationNumber } }"""
ATTACHMENT = b"%PDF-1.4\n% rekap penerima bantuan per desa\n%%EOF\n"


@dataclass
class Staff:
    officer: str
    other_officer: str
    number: str  # the one the officer answers
    untouched: str  # still waiting: its act page shows every form


@pytest.fixture(scope="module")
def staff(portal_server: ServerProcess) -> Staff:
    """A DINKES officer who registered a walk-in request, and a BPBD officer."""
    tag = uuid.uuid4().hex[:6]
    officer = f"ppid-{tag}@dinkes.go.id"
    other = f"ppid-{tag}@bpbd.go.id"
    token = add_user(portal_server, officer, "OFFICER", "dinkes")
    add_user(portal_server, other, "OFFICER", "bpbd")

    def file() -> str:
        filed = graphql(
            portal_server,
            token,
            FILE,
            {
                "input": {
                    "agency": "dinkes",
                    "informationRequested": "Daftar penerima bantuan gizi 2025 per desa",
                    "purpose": "Penelitian gizi anak",
                    "deliveryForm": "SOFT_COPY",
                    "requester": {"name": "Rahmat Pemohon", "address": "Jl. Rahasia No. 9"},
                }
            },
        )
        return str(filed["fileInformationRequest"]["registrationNumber"])

    return Staff(officer, other, file(), file())


def sign_in(page: object, base: str, email: str, start: str = "/petugas") -> None:
    """From a staff page to the sign-in form and back, as a new officer would."""
    page.goto(base + start)  # type: ignore[attr-defined]
    page.locator("main").get_by_role("link", name="Masuk").click()  # type: ignore[attr-defined]
    page.get_by_label("Surel").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Kata sandi").fill(PASSWORD)  # type: ignore[attr-defined]
    page.locator("main").get_by_role("button", name="Masuk").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(re.escape(start) + "$"))  # type: ignore[attr-defined]


@pytest.mark.slow
def test_an_officer_refuses_in_part_from_the_queue_and_nobody_else_sees_it(
    browser: object, portal_server: ServerProcess, staff: Staff, tmp_path: Path
) -> None:
    base = portal_server.url
    act_path = f"/petugas/permohonan/{staff.number}"
    upload = tmp_path / "rekap-per-desa.pdf"
    upload.write_bytes(ATTACHMENT)
    context, page, traffic = open_page(browser, base, 360)
    steps = 0  # what a new officer does, from the queue to the notice in hand
    try:
        sign_in(page, base, staff.officer)
        page.get_by_role("link", name=staff.number).click()  # type: ignore[attr-defined]
        steps += 1
        page.wait_for_url(re.compile(re.escape(act_path) + "$"))  # type: ignore[attr-defined]
        main = page.locator("main")  # type: ignore[attr-defined]
        assert "Rahmat Pemohon" in main.inner_text()  # the requester, to staff
        page.get_by_label("Diberikan sebagian").check()  # type: ignore[attr-defined]
        page.get_by_label("Isi pemberitahuan").fill(  # type: ignore[attr-defined]
            "Rekap per desa diberikan; daftar nama penerima dikecualikan."
        )
        page.get_by_label(re.compile("Pasal 17 huruf h")).check()  # type: ignore[attr-defined]
        page.get_by_label(re.compile("Uji konsekuensi")).fill(  # type: ignore[attr-defined]
            "Nama penerima bantuan gizi adalah data pribadi anak."
        )
        page.locator("#answer-files").set_input_files(str(upload))  # type: ignore[attr-defined]
        page.get_by_role("button", name="Kirim pemberitahuan tertulis").click()  # type: ignore[attr-defined]
        steps += 6
        page.wait_for_url(re.compile(r"\?done=answer$"))  # type: ignore[attr-defined]
        assert "Pemberitahuan tertulis telah dicatat" in main.inner_text()
        assert "Diberikan sebagian" in main.inner_text()
        with page.expect_download() as download_info:  # type: ignore[attr-defined]
            page.get_by_role("link", name="Surat pemberitahuan tertulis (PDF)").click()  # type: ignore[attr-defined]
        steps += 1
        letter = Path(download_info.value.path())
        assert letter.read_bytes().startswith(b"%PDF")
        text = "".join(p.extract_text() for p in PdfReader(letter).pages)
        assert staff.number in text and "huruf h" in text
        attachment_href = page.get_by_role("link", name="rekap-per-desa.pdf").get_attribute("href")  # type: ignore[attr-defined]
        assert page.request.get(base + attachment_href).body() == ATTACHMENT  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []
    # a new officer, with no GraphQL: sign in (3), open the request from the queue (1),
    # decision, text, basis, consequence test, file, send (6), the PDF (1)
    print(f"\nsteps from the queue to the PDF notice: {steps} (+3 to sign in)")
    assert steps <= 8

    context, page, _ = open_page(browser, base, 1280)
    try:
        refused = page.goto(base + act_path)  # type: ignore[attr-defined]
        assert refused.status == 401
        assert "Rahmat Pemohon" not in page.content()  # type: ignore[attr-defined]
        assert page.request.get(base + attachment_href).status == 404  # type: ignore[attr-defined]
        sign_in(page, base, staff.other_officer)
        refused = page.goto(base + act_path)  # type: ignore[attr-defined]
        assert refused.status == 403
        html = page.content()  # type: ignore[attr-defined]
        assert "Rahmat Pemohon" not in html and "Jl. Rahasia" not in html
        assert page.request.get(base + attachment_href).status == 404  # type: ignore[attr-defined]
        assert page.request.get(base + act_path + "/surat/notice.pdf").status == 403  # type: ignore[attr-defined]
        page.goto(base + "/petugas")  # type: ignore[attr-defined]
        assert staff.number not in page.content()  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_the_queue_and_act_pages_are_accessible_and_fit_the_window(
    browser: object, portal_server: ServerProcess, staff: Staff, width: int, tmp_path: Path
) -> None:
    shots = screenshots_dir(tmp_path)
    context, page, traffic = open_page(browser, portal_server.url, width)
    problems: dict[str, object] = {}
    try:
        sign_in(page, portal_server.url, staff.officer)
        for name, path in (
            ("queue", "/petugas"),
            ("act", f"/petugas/permohonan/{staff.untouched}"),
            ("objections", "/petugas/keberatan"),
            ("objection-register", "/petugas/keberatan/register"),
        ):
            response = page.goto(portal_server.url + path)  # type: ignore[attr-defined]
            assert response.status == 200, path
            page.screenshot(path=str(shots / f"staff-{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]
            layout_problems(page, problems, path)
    finally:
        context.close()  # type: ignore[attr-defined]
    assert problems == {}
    assert traffic.foreign == []
