"""The officer's notice form takes the delivery day the notice states (`deliver_by`): the
request's delivery clock falls due on it; a day before the notice comes back on the form."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from opendata.information_requests.models import RequestClock
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import csrf_of, portal_as


async def test_the_notice_form_sets_the_delivery_day(services: Services) -> None:
    desk = await make_desk(services)
    now = regency_now()
    record = await online(desk, now)
    path = f"/petugas/permohonan/{record.request.registration_number}"
    today = now.date()
    async with await portal_as(services, desk.officer) as officer:
        page = await officer.get(path)
        assert (
            'name="deliver_by"' in page.text and "Informasi diserahkan paling lambat" in page.text
        )

        def answer(day: str) -> dict[str, str]:
            return {
                "csrf_token": csrf_of(page.text),
                "action": "answer",
                "decision": "GRANTED",
                "answer": "Diberikan.",
                "deliver_by": day,
            }

        early = await officer.post(path, data=answer((today - timedelta(days=1)).isoformat()))
        assert early.status_code == 400 and "deliverBy" in early.text
        day = today + timedelta(days=3)
        sent = await officer.post(path, data=answer(day.isoformat()))
        assert sent.status_code == 303, sent.text
    async with services.database.session() as session:
        due = await session.scalar(
            select(RequestClock.due_on).where(
                RequestClock.request_id == record.request.id, RequestClock.kind == "DELIVERY"
            )
        )
    assert due == day
