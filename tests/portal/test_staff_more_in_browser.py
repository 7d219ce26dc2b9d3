"""The staff pages in Chromium, each as the staff member it is for: complete, accessible
(axe-core: no serious or critical violation), no sideways scroll at phone and desktop width,
and usable without JavaScript: a walk-in is registered and an exemption previewed.

Screenshots at 360 px go to $OPENDATA_SCREENSHOTS when set (to look at them), else tmp_path.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

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


@dataclass(frozen=True)
class Staff:
    officer: str
    superior: str
    admin: str
    objection: str


@pytest.fixture(scope="module")
def staff(portal_server: ServerProcess) -> Staff:
    """Dinkes staff, and an objection waiting for its superior (filed through the API)."""
    tag = uuid.uuid4().hex[:6]
    officer_email, superior_email = f"ppid-{tag}@dinkes.test", f"atasan-{tag}@dinkes.test"
    officer = add_user(portal_server, officer_email, "OFFICER", "dinkes")
    add_user(portal_server, superior_email, "SUPERIOR", "dinkes")
    admin_email = f"admin-{tag}@kuburaya.test"
    add_user(portal_server, admin_email, "ADMIN")
    requester = add_user(portal_server, f"warga-{tag}@contoh.id", "REQUESTER")
    filed = graphql(
        portal_server,
        requester,
        "mutation($i: FileRequestInput!) { fileInformationRequest(input: $i) { id } }",
        {
            "i": {
                "agency": "dinkes",
                "informationRequested": "Register pasien TBC lengkap",
                "purpose": "Penelitian",
                "deliveryForm": "SOFT_COPY",
                "requester": {"name": "Warga", "address": "Jl. Uji 1"},
            }
        },
    )["fileInformationRequest"]["id"]
    graphql(
        portal_server,
        officer,
        "mutation($i: AnswerRequestInput!) { answerInformationRequest(input: $i) { id } }",
        {
            "i": {
                "id": filed,
                "decision": "REFUSED",
                "answer": "Memuat data pribadi pasien.",
                "exemptions": ["PASAL_17H"],
                "consequenceTest": "Pasien dapat dikenali.",
            }
        },
    )
    objected = graphql(
        portal_server,
        requester,
        "mutation($i: FileObjectionInput!) { fileObjection(input: $i) "
        "{ objection { registrationNumber } } }",
        {
            "i": {
                "requestId": filed,
                "grounds": ["REFUSED_UNDER_EXEMPTION"],
                "reason": "Rekap tanpa NIK tidak memuat data pribadi.",
            }
        },
    )
    number = objected["fileObjection"]["objection"]["registrationNumber"]
    return Staff(officer_email, superior_email, admin_email, number)


PAGES = {
    "officer": ("/petugas/permohonan/baru", "/petugas/pengecualian?dataset=register-pasien-tbc"),
    "superior": ("/petugas/keberatan",),
    "admin": ("/petugas/pekerjaan", "/petugas/pengecualian", "/petugas/keberatan"),
}


def sign_in(page: object, base: str, email: str) -> None:
    page.goto(base + "/masuk")  # type: ignore[attr-defined]
    page.get_by_label("Surel").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Kata sandi").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Masuk").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile("/saya$"))  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_each_staff_page_is_accessible_and_fits_for_the_staff_member_it_is_for(
    browser: object, portal_server: ServerProcess, staff: Staff, width: int, tmp_path: Path
) -> None:
    folder = screenshots_dir(tmp_path)
    problems: dict[str, object] = {}
    for role, paths in PAGES.items():
        context, page, traffic = open_page(browser, portal_server.url, width)
        try:
            sign_in(page, portal_server.url, getattr(staff, role))
            for path in paths:
                response = page.goto(portal_server.url + path)  # type: ignore[attr-defined]
                assert response.status == 200, (role, path)
                assert page.evaluate("document.documentElement.lang") == "id"  # type: ignore[attr-defined]
                layout_problems(page, problems, f"{role} {path}")
                if width == 360:
                    name = role + path.replace("/", "-").replace("?", "-").replace("=", "-")
                    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
        finally:
            context.close()  # type: ignore[attr-defined]
        assert traffic.foreign == []
    assert problems == {}


@pytest.mark.slow
def test_an_officer_previews_an_exemption_and_registers_a_walk_in_without_javascript(
    browser: object, portal_server: ServerProcess, staff: Staff, tmp_path: Path
) -> None:
    folder = screenshots_dir(tmp_path)
    context, page, traffic = open_page(browser, portal_server.url, 360)
    base = portal_server.url
    problems: dict[str, object] = {}
    try:
        sign_in(page, base, staff.officer)
        page.goto(base + "/petugas/pengecualian")  # type: ignore[attr-defined]
        page.get_by_label("Dataset").select_option("kasus-dbd-per-kecamatan")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Pilih", exact=True).click()  # type: ignore[attr-defined]
        page.get_by_label("Baris yang cocok", exact=True).check()  # type: ignore[attr-defined]
        page.get_by_label("Baris yang kolomnya").select_option("kecamatan")  # type: ignore[attr-defined]
        page.get_by_label("bernilai").fill("Kubu")  # type: ignore[attr-defined]
        page.get_by_label("Dasar (UU KIP Pasal 17)").select_option("PASAL_17H")  # type: ignore[attr-defined]
        page.get_by_label("Uji konsekuensi").fill("Kasus di kecamatan kecil dapat dikenali.")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Pratinjau yang akan hilang").click()  # type: ignore[attr-defined]
        preview = page.locator(".notice").inner_text()  # type: ignore[attr-defined]
        assert "Baris disembunyikan\n2" in preview and "belum ada yang disimpan" in preview
        layout_problems(page, problems, "preview")
        page.screenshot(path=str(folder / "officer-exemption-preview.png"), full_page=True)  # type: ignore[attr-defined]

        page.goto(base + "/petugas/permohonan/baru")  # type: ignore[attr-defined]
        page.get_by_label("Nama").fill("Ibu Rahmawati")  # type: ignore[attr-defined]
        page.get_by_label("Alamat").fill("Jl. Adisucipto Km 9")  # type: ignore[attr-defined]
        page.get_by_label("Surat").check()  # type: ignore[attr-defined]
        page.get_by_label("Informasi yang diminta").fill("Jumlah kasus DBD per desa 2024")  # type: ignore[attr-defined]
        page.get_by_label("Tujuan penggunaan informasi").fill("Tugas kuliah")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Catat permohonan").click()  # type: ignore[attr-defined]
        # the new request's act page (built by the staff queue's branch)
        page.wait_for_url(re.compile(r"/petugas/permohonan/DINKES/\d{4}/\d+$"))  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []
    assert problems == {}
