"""The request form, backdated registration and withdrawal in the portal (issue 20,
findings 10, 14 and 15), on both databases."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from opendata.db.base import utcnow
from opendata.information_requests.backdating import earliest_receipt
from opendata.information_requests.models import InformationRequest
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.information_requests.builders import object_to, refuse, rule_on_objection
from tests.information_requests.helpers import NIK, make_desk, online
from tests.portal.conftest import csrf_of, portal_as

FORM = "/permohonan/baru"
ASKED = {
    "agency": "diskominfo",
    "information_requested": "Daftar jalan rusak 2025",
    "purpose": "Liputan",
    "delivery_form": "SOFT_COPY",
}
ABOUT = {"address": "Jl. Tanjungpura No. 12", "phone": "0812 3333 4444"}


async def post(client: httpx.AsyncClient, path: str, data: dict[str, Any]) -> httpx.Response:
    page = await client.get(path)
    return await client.post(path, data={"csrf_token": csrf_of(page.text), **data})


async def request_count(services: Services) -> int:
    async with services.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(InformationRequest)) or 0)


async def test_the_form_asks_name_and_address_openly_and_says_what_is_public(
    services: Services,
) -> None:
    desk = await make_desk(services)
    async with await portal_as(services, desk.requester) as requester:
        form = (await requester.get(FORM)).text
        # name and address in the open, the address required; nothing folded away
        assert "<details" not in form
        assert 'value="wartawan" readonly' in form
        assert 'name="address" rows="2" required' in form
        assert 'name="identity_number"' in form and 'name="phone"' in form
        assert "Diumumkan dalam register publik" in form
        assert "Tidak pernah diumumkan: nama, alamat, NIK, telepon dan surel" in form
        # no address: refused by the law's rule, not by the browser alone
        missing = await post(requester, FORM, ASKED | {"phone": ABOUT["phone"]})
        assert missing.status_code == 400 and "Alamat pemohon wajib diisi" in missing.text
        # a wrong NIK: refused, and the address and phone typed are still there
        wrong = await post(requester, FORM, ASKED | ABOUT | {"identity_number": "12345"})
        assert wrong.status_code == 400 and "NIK harus 16 angka" in wrong.text
        kept = html.unescape(wrong.text)
        assert ABOUT["address"] in kept and ABOUT["phone"] in kept
        assert ASKED["information_requested"] in kept
        assert await request_count(services) == 0
        sent = await post(requester, FORM, ASKED | ABOUT | {"identity_number": NIK})
        assert sent.status_code == 303
        # the next form starts from what the account now keeps
        again = html.unescape((await requester.get(FORM)).text)
    assert ABOUT["address"] in again and NIK in again
    assert await request_count(services) == 1


async def test_an_officer_cannot_backdate_beyond_the_previous_working_week(
    services: Services,
) -> None:
    desk = await make_desk(services)
    now = regency_now()
    earliest = earliest_receipt(now.date(), services.calendar)
    walk_in = ASKED | {"name": "Bu Sri", "address": "Jl. Gajah Mada 5", "received_via": "LETTER"}
    too_early = (earliest - timedelta(days=1)).isoformat() + "T10:00"
    async with await portal_as(services, desk.officer) as officer:
        form = (await officer.get("/petugas/permohonan/baru")).text
        assert f'min="{earliest.isoformat()}T00:00"' in form
        refused = await post(
            officer, "/petugas/permohonan/baru", walk_in | {"received_at": too_early}
        )
        assert refused.status_code == 400
        assert f"tidak boleh sebelum {earliest.isoformat()}" in refused.text
        assert "Jl. Gajah Mada 5" in refused.text  # what was typed is kept
        first_day = earliest.isoformat() + "T08:00"
        done = await post(officer, "/petugas/permohonan/baru", walk_in | {"received_at": first_day})
        assert done.status_code == 303
        number = done.headers["location"].removeprefix("/petugas/permohonan/")
        act = await officer.get(f"/petugas/permohonan/{number}")
    # the staff see both times: received (the timeline's date) and entered
    assert "dicatat dalam register pada" in act.text
    async with services.database.session() as session:
        request = await session.scalar(select(InformationRequest))
    assert request is not None and request.registered_at is not None
    assert request.received_at < request.registered_at <= utcnow()


async def test_withdrawing_asks_first_and_says_what_it_means(services: Services) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        asked = await post(requester, path, {"action": "withdraw"})
        assert asked.status_code == 200
        assert "Cabut permohonan" in asked.text and "tidak dapat dibatalkan" in asked.text
        assert 'name="confirmed" value="yes"' in asked.text
        still = await requester.get(path)
        assert "Cabut permohonan ini" in still.text  # nothing happened yet
        done = await post(requester, path, {"action": "withdraw", "confirmed": "yes"})
        assert done.status_code == 303
        after = await requester.get(path)
    assert "Permohonan dicabut oleh pemohon" in after.text
    assert "Cabut permohonan ini" not in after.text


async def test_the_request_page_timeline_names_each_act(services: Services) -> None:
    desk = await make_desk(services)
    now = utcnow()
    request_id = (await online(desk, now)).request.id
    await object_to(desk, request_id, now, grounds=["PERIODIC_INFORMATION_NOT_PUBLISHED"])
    await refuse(desk, request_id, now)
    record = await object_to(desk, request_id, now)
    await rule_on_objection(desk, request_id, "REJECTED", now)
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services) as anyone:
        page = await anyone.get(path)
        english = await anyone.get(path + "?lang=en")
    timeline = page.text[page.text.index('id="timeline-heading"') :]
    assert "Keberatan ditolak oleh atasan PPID" in timeline
    assert "Permohonan didaftarkan" in timeline
    assert "Objection rejected by the PPID&#39;s superior" in english.text
