"""The objection register page and the annual report's narrative form (issue 20, findings 12
and 13), over HTTP on both databases: who opens them, what each role sees, and the refusal
that names who a page is for."""

from __future__ import annotations

from opendata.services import Services
from tests.information_requests.builders import object_to, refuse
from tests.information_requests.helpers import NIK, make_desk, walk_in, wib
from tests.portal.conftest import portal_as
from tests.portal.test_staff_more import objected, post_form, refused

REGISTER = "/petugas/keberatan/register"


async def test_the_officer_and_superior_read_the_register_an_admin_without_names(
    services: Services,
) -> None:
    desk = await make_desk(services)
    number, objection = await objected(desk)  # pending, online requester "wartawan"
    lapsed = (await walk_in(desk, wib(2026, 3, 30))).request
    await refuse(desk, lapsed.id, wib(2026, 3, 31))
    await object_to(desk, lapsed.id, wib(2026, 4, 1), by=desk.officer, reason="Tidak jelas.")
    for viewer in (desk.officer, desk.superior):
        async with await portal_as(services, viewer) as staff:
            page = await staff.get(f"{REGISTER}?year=2026")
            this_year = await staff.get(REGISTER)
        assert page.status_code == 200, viewer.role
        assert "DISKOMINFO/KEB/2026/000001" in page.text and lapsed.registration_number in page.text
        assert "Lewat batas tanpa tanggapan" in page.text and "Tidak jelas." in page.text
        assert "Siti Aminah" in page.text  # the agency's own staff see who objected
        assert objection in this_year.text and number in this_year.text
    async with await portal_as(services, desk.admin) as admin:
        overview = await admin.get(f"{REGISTER}?year=2026&lang=en")
    assert overview.status_code == 200 and "Lapsed without an answer" in overview.text
    assert "DISKOMINFO/KEB/2026/000001" in overview.text
    for private in ("Siti Aminah", "wartawan", NIK, "Jl. Merdeka 1", "0812000000"):
        assert private not in overview.text
    assert await refused(services, [None, desk.requester], REGISTER) == [401, 403]


async def test_a_refusal_names_who_the_page_is_for(services: Services) -> None:
    desk = await make_desk(services)
    async with await portal_as(services, desk.officer) as officer:
        jobs = await officer.get("/petugas/pekerjaan")
    assert jobs.status_code == 403 and "Halaman ini hanya untuk admin." in jobs.text
    assert "hanya untuk petugas PPID" not in jobs.text
    async with await portal_as(services, desk.requester) as requester:
        register = await requester.get(REGISTER)
    assert "hanya untuk petugas PPID, atasan PPID dan admin" in register.text


async def test_an_admin_writes_the_narrative_the_printed_report_shows(services: Services) -> None:
    desk = await make_desk(services)
    form = "/petugas/laporan"
    assert await refused(services, [desk.officer, desk.superior], form) == [403, 403]
    texts = {
        "year": "2026",
        "agency": "diskominfo",
        "policy": "SK Kepala Dinas 7/2026 tentang standar layanan.",
        "implementation": "Satu meja layanan dan dua petugas.",
        "obstacles": "",
        "recommendations": "Pelatihan petugas 2027.",
    }
    async with await portal_as(services, desk.admin) as admin:
        saved = await post_form(admin, form, texts)
        assert saved.status_code == 303
        again = await admin.get(saved.headers["location"])
        printed = await admin.get("/reports/2026.html?agency=diskominfo")
        regency = await admin.get("/reports/2026.html")
    assert "Narasi telah disimpan." in again.text and texts["policy"] in again.text
    assert texts["implementation"] in printed.text and texts["recommendations"] in printed.text
    assert "Belum diisi oleh admin" in printed.text  # the obstacles left empty
    assert texts["policy"] not in regency.text  # the regency has its own narrative
