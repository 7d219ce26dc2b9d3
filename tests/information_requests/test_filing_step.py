"""Filing as a row of the step table, the limit on backdating, and timeline words by act
(issue 20, findings 10, 14 and 15)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from opendata.calendar import WorkingCalendar
from opendata.errors import BadUserInput, Forbidden
from opendata.information_requests import lifecycle
from opendata.information_requests.backdating import earliest_receipt, first_open_reporting_day
from opendata.information_requests.lifecycle import STEPS, Action, Actor
from opendata.information_requests.rules import ClockKind
from opendata.information_requests.service import file_request
from opendata.information_requests.timeline import event_words, recorded_later
from tests.information_requests.builders import object_to, refuse, rule_on_objection
from tests.information_requests.helpers import Desk, online, walk_in, walk_in_form, wib


async def test_filing_takes_who_may_file_and_its_clocks_from_the_step_table(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = lifecycle.STEP_BY_ACTION[Action.FILE]
    record = await online(desk, wib(2026, 4, 1))
    assert [clock.kind for clock in record.clocks] == [kind.value for kind in step.starts]
    assert event_words(record.events[0]) == (step.timeline_id, step.timeline_en)
    # a table in which only the PPID files: the requester is refused by the table alone
    ppid_only = dataclasses.replace(step, actors=frozenset({Actor.PPID}))
    monkeypatch.setitem(lifecycle.STEP_BY_ACTION, Action.FILE, ppid_only)
    with pytest.raises(Forbidden):
        await online(desk, wib(2026, 4, 1))
    # ... and a FILE row that starts no clock leaves the register without a notice clock
    monkeypatch.setitem(lifecycle.STEP_BY_ACTION, Action.FILE, dataclasses.replace(step, starts=()))
    quiet = await walk_in(desk, wib(2026, 4, 1))
    assert quiet.clocks == []


async def test_backdating_reaches_the_previous_working_week_and_no_further(desk: Desk) -> None:
    now = wib(2026, 3, 18, 9, 0)  # a Wednesday
    monday_before = wib(2026, 3, 9, 8, 0)
    record = await file_request(desk.services, desk.officer, walk_in_form(monday_before), now=now)
    request = record.request
    assert (request.received_at, request.registered_at) == (monday_before, now)
    # the timeline is dated by receipt and says when the entry was really written
    (filed,) = record.events
    assert filed.at == monday_before
    assert recorded_later(filed) == now
    with pytest.raises(BadUserInput) as error:
        await file_request(
            desk.services, desk.officer, walk_in_form(wib(2026, 3, 8, 23, 0)), now=now
        )
    assert error.value.field == "receivedAt"
    assert "2026-03-09" in error.value.message_en
    # registered on the day it arrives, nothing is backdated
    today = await walk_in(desk, wib(2026, 3, 18, 9, 30))
    assert today.request.registered_at == today.request.received_at
    assert recorded_later(today.events[0]) is None


async def test_the_limit_skips_a_week_without_work_and_never_reopens_a_reported_year(
    desk: Desk,
) -> None:
    calendar = desk.services.calendar
    assert earliest_receipt(date(2027, 1, 4), calendar) == date(2026, 12, 28)
    # the report of 2026 is due by 31 March 2027: until then 2026 is still open, then not
    assert first_open_reporting_day(date(2027, 3, 31)) == date(2026, 1, 1)
    assert first_open_reporting_day(date(2027, 4, 1)) == date(2027, 1, 1)
    # a week in which nobody worked (here: a made-up week of holidays) is passed over
    closed_week = [date(2026, 6, 1) + timedelta(days=n) for n in range(5)]
    closed = WorkingCalendar.from_mapping({"add": [day.isoformat() for day in closed_week]})
    assert earliest_receipt(date(2026, 6, 10), calendar) == date(2026, 6, 1)
    assert earliest_receipt(date(2026, 6, 10), closed) == date(2026, 5, 25)


async def test_the_timeline_names_the_act_not_the_stage(desk: Desk) -> None:
    """Two objections pending, the superior rejects the older: the stage stays "objection
    filed", the entry says what the superior did."""
    request_id = (await online(desk, wib(2026, 3, 30))).request.id
    await object_to(
        desk, request_id, wib(2026, 3, 31), grounds=["PERIODIC_INFORMATION_NOT_PUBLISHED"]
    )
    await refuse(desk, request_id, wib(2026, 4, 1))
    await object_to(desk, request_id, wib(2026, 4, 2))
    record = await rule_on_objection(desk, request_id, "REJECTED", wib(2026, 4, 6))
    assert record.request.status == "OBJECTION_FILED"
    assert [event_words(event)[0] for event in record.events] == [
        "Permohonan didaftarkan",
        "Keberatan diajukan kepada atasan PPID",
        "Pemberitahuan tertulis: ditolak",
        "Keberatan diajukan kepada atasan PPID",
        "Keberatan ditolak oleh atasan PPID",
    ]
    assert event_words(record.events[-1])[1] == "Objection rejected by the PPID's superior"


def test_every_step_has_timeline_words_for_each_of_its_outcomes() -> None:
    for step in STEPS:
        assert step.timeline_id and step.timeline_en, step.action
        for value, words_id, words_en in step.timeline_outcomes:
            assert value and words_id and words_en, step.action
    assert ClockKind.NOTICE in lifecycle.STEP_BY_ACTION[Action.FILE].starts
