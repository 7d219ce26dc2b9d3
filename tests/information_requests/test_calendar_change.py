"""A holiday override (issue 20, finding 11) moves the running deadlines by itself, in the
transaction that stores it; every server counting on the same database picks it up; the
timeline says so in words; a year without its SKB is provisional; holiday names in Indonesian."""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from sqlalchemy import select

from opendata.app import create_app
from opendata.calendar import WorkingCalendar
from opendata.calendar_store import CalendarVersion
from opendata.cli.calendar import change_command, show_command
from opendata.information_requests.models import RequestClock
from opendata.information_requests.queries import load_record
from opendata.information_requests.recalculation import CalendarChange, change_calendar
from opendata.information_requests.rules import ClockKind, Clocks
from opendata.outbox.models import OutboxJob
from opendata.services import Services, open_services
from opendata.urls import path
from tests.conftest import asgi_client
from tests.information_requests.helpers import Desk, online, walk_in, wib
from tests.portal.conftest import portal_as
from tests.web.helpers import data, gql

HARI_JADI = date(2026, 12, 18)  # a Friday: the regency's anniversary, decided late
ADD = 'query { addWorkingDays(start: "2026-12-07", days: 10) }'


async def test_a_holiday_override_moves_running_deadlines_at_once_on_every_server(
    desk: Desk,
) -> None:
    first = desk.services
    # another app server on the same database, started before the change
    second = await open_services(first.settings, migrate=False)
    try:
        record = await online(desk, wib(2026, 12, 7))
        assert record.request.answer_due_on == date(2026, 12, 21)
        async with asgi_client(create_app(second)) as client:
            before = data(await gql(client, ADD))
        assert before == {"addWorkingDays": "2026-12-21"}

        moved = await change_calendar(
            first, CalendarChange(holidays={HARI_JADI: "Hari Jadi Kabupaten"}), now=wib(2026, 12, 8)
        )
        # no `requests recalculate`: the change itself moved the running clock
        assert [(m.kind, m.before, m.after) for m in moved] == [
            (ClockKind.NOTICE, date(2026, 12, 21), date(2026, 12, 22))
        ]
        async with first.database.session() as session:
            (due_on,) = (
                await session.scalars(
                    select(RequestClock.due_on).where(
                        RequestClock.request_id == record.request.id,
                        RequestClock.stopped_at.is_(None),
                    )
                )
            ).all()
            version = await session.scalar(select(CalendarVersion.version))
            mails = (
                await session.scalars(select(OutboxJob).where(OutboxJob.kind == "mail.send"))
            ).all()
        assert due_on == date(2026, 12, 22) and version == first.calendar.version == 1
        # the requester is told, by a mail queued in the same transaction
        told = [job.payload for job in mails if job.payload["template"] == "calendar_change"]
        assert [(m["to"], m["context"]["moved"][0]["to"]) for m in told] == [
            ("wartawan@example.org", "2026-12-22")
        ]

        # the second server counts on the new calendar from its next request on ...
        async with asgi_client(create_app(second)) as client:
            after = data(await gql(client, ADD))
        assert after == {"addWorkingDays": "2026-12-22"}
        assert second.calendar.version == 1 and HARI_JADI in second.calendar.added_days
        # ... and inside a step's transaction, without serving a request first
        third = await open_services(first.settings, migrate=False)
        try:
            third.calendar = WorkingCalendar()  # as it was before the change
            walked_in = await walk_in(
                Desk(**{**desk.__dict__, "services": third}), wib(2026, 12, 7)
            )
            assert walked_in.request.answer_due_on == date(2026, 12, 22)
        finally:
            await third.close()
    finally:
        await second.close()

    # the timeline says what happened, in words and dates, not under "Permohonan diterima"
    page_path = path("request", agency="DISKOMINFO", year=2026, number="000001")
    async with await portal_as(first, desk.requester) as requester:
        page = (await requester.get(page_path)).text
    entry = page[page.index('class="calendar-change"') :]
    entry = entry[: entry.index("</ul></li>")]
    assert "Perubahan kalender hari kerja" in entry
    assert "dari 21 Desember 2026 menjadi 22 Desember 2026" in entry
    assert Clocks.NOTICE.label_id in entry
    assert "Permohonan diterima" not in entry and "NOTICE" not in entry and "->" not in entry
    stored = await load_record(first, record.request.id)
    assert stored is not None
    assert "21 Desember 2026" in (stored.events[-1].note or "")


async def test_a_year_without_its_decree_is_provisional_and_holidays_are_named_in_indonesian(
    services: Services,
) -> None:
    query = """query($y: Int!) { workingCalendarYear(year: $y) {
      year provisional decree holidays { date nameId nameEn } } }"""
    async with asgi_client(create_app(services)) as client:
        years = {
            y: data(await gql(client, query, {"y": y}))["workingCalendarYear"]
            for y in (2026, 2027, 2028)
        }
    assert [years[y]["provisional"] for y in (2026, 2027, 2028)] == [False, True, True]
    idul_fitri = {h["date"]: h for h in years[2026]["holidays"]}["2026-03-20"]
    assert "Idul Fitri" in idul_fitri["nameId"] and "Eid al-Fitr" in idul_fitri["nameEn"]

    async with await portal_as(services) as anyone:
        page = (await anyone.get(path("deadline", start="2026-03-16", days=10))).text
        provisional = (await anyone.get(path("deadline", start="2028-01-03", days=10))).text
    assert "Cuti Bersama Hari Raya Idul Fitri" in page and "Eid al-Fitr" not in page
    assert "Sementara" not in page
    assert "Sementara" in provisional and "2028" in provisional
    # every clock of the statute table, with who must or may act
    for clock in (Clocks.FULFILMENT, Clocks.COURT_FILING):
        assert clock.label_id in page

    # entering the SKB makes the year final and its dates no longer estimates
    await change_calendar(services, CalendarChange(decreed={2027: "SKB 2027 (uji)"}))
    async with asgi_client(create_app(services)) as client:
        decreed = data(await gql(client, query, {"y": 2027}))["workingCalendarYear"]
    assert (decreed["provisional"], decreed["decree"]) == (False, "SKB 2027 (uji)")
    assert not any("perkiraan" in h["nameId"] for h in decreed["holidays"])


async def test_the_calendar_commands_change_the_stored_calendar(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    record = await online(desk, wib(2026, 12, 7))
    holiday = argparse.Namespace(
        calendar_command="holiday", day=HARI_JADI, name="Hari Jadi Kabupaten"
    )
    assert await change_command(desk.services, holiday) == 0
    assert "NOTICE: 2026-12-21 -> 2026-12-22" in capsys.readouterr().out
    stored = await load_record(desk.services, record.request.id)
    assert stored is not None and stored.request.answer_due_on == date(2026, 12, 22)
    dropped = argparse.Namespace(calendar_command="drop", day=HARI_JADI)
    assert await change_command(desk.services, dropped) == 0
    assert await show_command(desk.services, argparse.Namespace()) == 0
    assert "version 2" in capsys.readouterr().out
    stored = await load_record(desk.services, record.request.id)
    assert stored is not None and stored.request.answer_due_on == date(2026, 12, 21)
