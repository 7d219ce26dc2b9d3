"""The working calendar's admin page (`/petugas/kalender`, issue 25): admins only; a day off
added there is stored and moves a running deadline at once, as `opendata calendar add` does."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from opendata.calendar_store import read_calendar, stored_version
from opendata.information_requests.models import InformationRequest
from opendata.regency_time import regency_now, regency_today
from opendata.services import Services
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import portal_as
from tests.portal.test_staff_more import post_form, refused

PATH = "/petugas/kalender"


async def _answer_due(services: Services, request_id: int) -> date | None:
    async with services.database.session() as session:
        return await session.scalar(
            select(InformationRequest.answer_due_on).where(InformationRequest.id == request_id)
        )


async def test_an_admin_adds_a_day_off_and_a_running_deadline_moves(services: Services) -> None:
    desk = await make_desk(services)
    record = await online(desk, regency_now())
    viewers = [None, desk.requester, desk.officer, desk.superior]
    assert await refused(services, viewers, PATH) == [401, 403, 403, 403]
    before = await _answer_due(services, record.request.id)
    holiday = services.calendar.add_working_days(regency_today(), 1)
    async with await portal_as(services, desk.admin) as admin:
        done = await post_form(
            admin, PATH, {"action": "holiday", "day": holiday.isoformat(), "name": "Hari Jadi"}
        )
        assert done.status_code == 303
        page = (await admin.get(done.headers["location"])).text
        assert "Kalender telah diubah; 1 tenggat bergeser." in page
        assert "Hari Jadi" in page
        bad = await post_form(admin, PATH, {"action": "holiday", "day": "besok", "name": "x"})
        assert bad.status_code == 400 and "TTTT-BB-HH" in bad.text
    after = await _answer_due(services, record.request.id)
    assert before is not None and after is not None and after > before
    async with services.database.session() as session:
        stored = await read_calendar(session, await stored_version(session))
    assert stored.added_days == {holiday: "Hari Jadi"}

    async with await portal_as(services, desk.admin) as admin:
        dropped = await post_form(admin, PATH, {"action": "drop", "day": holiday.isoformat()})
        assert dropped.status_code == 303
    assert await _answer_due(services, record.request.id) == before
