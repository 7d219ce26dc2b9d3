"""Requests whose notice, or whose objection's answer, is due a chosen number of working days
from today."""

from __future__ import annotations

from datetime import date, timedelta

from opendata.calendar import WorkingCalendar
from opendata.information_requests.rules import Clocks
from opendata.information_requests.service import RequestRecord, answer_objection
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.information_requests.builders import object_to, refused_and_objected
from tests.information_requests.helpers import Desk, make_desk, online, walk_in, wib


def received_on_for(calendar: WorkingCalendar, days_left: int, today: date) -> date:
    """A past day whose 10-working-day notice is due `days_left` working days from today
    (days_left < 0: due on the last working day before today, so overdue)."""
    if days_left > 0:
        target = calendar.add_working_days(today, days_left)
    else:
        target = today - timedelta(days=1)
        while not calendar.is_working_day(target):
            target -= timedelta(days=1)
    day = today - timedelta(days=1)
    while calendar.add_working_days(day, Clocks.NOTICE.working_days) != target:
        day -= timedelta(days=1)
        assert day > today - timedelta(days=60), "no such receipt day"
    return day


async def request_due_in(desk: Desk, days_left: int) -> RequestRecord:
    today = regency_today()
    received = received_on_for(desk.services.calendar, days_left, today)
    return await walk_in(desk, wib(received.year, received.month, received.day))


def filed_on_for(calendar: WorkingCalendar, working_days: int, days_left: int, today: date) -> date:
    """A past day from which a clock of `working_days` ends `days_left` working days from today."""
    target = calendar.add_working_days(today, days_left)
    day = today - timedelta(days=1)
    while calendar.add_working_days(day, working_days) != target:
        day -= timedelta(days=1)
        assert day > today - timedelta(days=120), "no such day"
    return day


async def objection_due_in(desk: Desk, days_left: int) -> RequestRecord:
    """A request never answered whose requester objected (NOT_RESPONDED, arisen when its 10
    working days ran out) on the day that leaves the superior `days_left` working days."""
    calendar = desk.services.calendar
    objected_on = filed_on_for(
        calendar, Clocks.OBJECTION_ANSWER.working_days, days_left, regency_today()
    )
    received = objected_on - timedelta(days=40)
    record = await online(desk, wib(received.year, received.month, received.day))
    return await object_to(
        desk,
        record.request.id,
        wib(objected_on.year, objected_on.month, objected_on.day),
        grounds=["NOT_RESPONDED"],
        reason="Tidak ada tanggapan.",
    )


async def objection_answered(services: Services, outcome: str, answer: str) -> None:
    """Refused on Mon 30 March 2026 and objected to on the 31st; the superior answers with
    `outcome` on 2 April (its mails queued, not yet sent)."""
    desk = await make_desk(services)
    request_id = await refused_and_objected(desk)
    await answer_objection(
        services, desk.superior, request_id, outcome=outcome, answer=answer, now=wib(2026, 4, 2)
    )
