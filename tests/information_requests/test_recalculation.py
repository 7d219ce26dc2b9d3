"""A calendar that changes after the fact moves running deadlines, never shortening a
requester's window already shown (kip-rules §1; cf. mysociety/alaveteli#7292)."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from opendata.attachments.steps import answer_request
from opendata.calendar import WorkingCalendar
from opendata.cli.requests import recalculate_command
from opendata.information_requests.queries import load_record
from opendata.information_requests.recalculation import CALENDAR_CHANGE, apply_calendar
from opendata.information_requests.rules import ClockKind
from tests.information_requests.helpers import Desk, walk_in, wib


async def test_a_holiday_override_moves_a_running_deadline(desk: Desk) -> None:
    running = (await walk_in(desk, wib(2026, 3, 16))).request.id  # due Tue 7 April 2026
    answered = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await answer_request(
        desk.services, desk.officer, answered, decision="GRANTED", answer="x", now=wib(2026, 3, 17)
    )
    # a regional holiday on Wed 1 April, decided after both requests were received
    later = WorkingCalendar.from_mapping({"add": [{"date": "2026-04-01", "name": "Hari jadi"}]})
    moved = await apply_calendar(desk.services, later, now=wib(2026, 3, 20))
    assert desk.services.calendar is later
    record = await load_record(desk.services, running)
    assert record is not None
    assert record.request.answer_due_on == date(2026, 4, 8)
    assert (record.request.due_party, record.request.due_on) == ("OFFICER", date(2026, 4, 8))
    change = record.events[-1]
    assert (change.action, change.actor_role, change.status) == (CALENDAR_CHANGE, None, "SUBMITTED")
    assert change.detail["moved"] == [{"clock": "NOTICE", "from": "2026-04-07", "to": "2026-04-08"}]
    assert "8 April 2026" in (change.note or "")  # in words, not "NOTICE: ... -> ..."
    assert "->" not in (change.note or "")
    # the answered request's notice clock had stopped; its requester's window and the
    # delivery of what its notice granted moved later
    assert [(m.registration_number, m.kind, m.before, m.after) for m in moved] == [
        ("DISKOMINFO/2026/000001", ClockKind.NOTICE, date(2026, 4, 7), date(2026, 4, 8)),
        (
            "DISKOMINFO/2026/000002",
            ClockKind.OBJECTION_FILING,
            date(2026, 5, 7),
            date(2026, 5, 8),
        ),
        ("DISKOMINFO/2026/000002", ClockKind.DELIVERY, date(2026, 4, 8), date(2026, 4, 9)),
    ]


async def test_a_removed_holiday_never_shortens_the_requesters_window(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
    record = await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision="GRANTED",
        answer="x",
        now=wib(2026, 3, 17),
    )
    (window,) = [c for c in record.clocks if c.kind == ClockKind.OBJECTION_FILING.value]
    shown = window.due_on
    # Good Friday (3 April 2026) declared a working day after the notice was given
    later = WorkingCalendar.from_mapping({"remove": ["2026-04-03"]})
    assert later.add_working_days(date(2026, 3, 17), 30) < shown
    moved = await apply_calendar(desk.services, later, now=wib(2026, 3, 20))
    # only the agency's delivery duty follows the calendar
    assert [(m.kind, m.before, m.after) for m in moved] == [
        (ClockKind.DELIVERY, date(2026, 4, 8), date(2026, 4, 7))
    ]
    after = await load_record(desk.services, request_id)
    assert after is not None
    (window,) = [c for c in after.clocks if c.kind == ClockKind.OBJECTION_FILING.value]
    assert window.due_on == shown
    assert after.events[-1].detail["moved"] == [
        {"clock": "DELIVERY", "from": "2026-04-08", "to": "2026-04-07"}
    ]


async def test_the_recalculate_command_reads_the_override_file(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
    overrides = desk.services.settings.calendar_overrides_file
    overrides.write_text("add:\n  - date: 2026-04-01\n    name: Hari jadi\n", encoding="utf-8")
    assert await recalculate_command(desk.services, argparse.Namespace()) == 0
    assert "DISKOMINFO/2026/000001 NOTICE: 2026-04-07 -> 2026-04-08" in capsys.readouterr().out
    record = await load_record(desk.services, request_id)
    assert record is not None and record.request.answer_due_on == date(2026, 4, 8)
