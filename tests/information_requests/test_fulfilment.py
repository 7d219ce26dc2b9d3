"""An UPHELD objection (or a giving notice) is carried out and recorded (kip-rules §2)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.attachments.steps import answer_request, record_fulfilment
from opendata.errors import BadUserInput, Forbidden, InvalidTransition
from opendata.information_requests.deadlines import current_deadline
from opendata.information_requests.queries import load_record
from opendata.information_requests.rules import Party
from tests.information_requests.builders import refuse, refused_and_objected, rule_on_objection
from tests.information_requests.helpers import Desk, online, wib


async def _upheld(desk: Desk, fulfil_by: date | None = None) -> int:
    request_id = await refused_and_objected(desk, reason="Data anggaran bukan rahasia pribadi")
    record = await rule_on_objection(
        desk,
        request_id,
        "UPHELD",
        wib(2026, 4, 1),
        answer="Keberatan diterima: berikan daftar anggaran",
        fulfil_by=fulfil_by,
    )
    assert record.request.status == "OBJECTION_ANSWERED"
    return request_id


async def test_upheld_objection_then_fulfilment(desk: Desk) -> None:
    request_id = await _upheld(desk)
    record = await load_record(desk.services, request_id)
    assert record is not None
    calendar = desk.services.calendar
    # the PPID has 10 working days from the answer (Wed 1 April 2026; Good Friday skipped)
    shown = current_deadline(record.clocks, calendar, wib(2026, 4, 2))
    assert (shown.party, shown.due_on, shown.overdue) == (Party.OFFICER, date(2026, 4, 16), False)
    # and it goes overdue like any other duty
    shown = current_deadline(record.clocks, calendar, wib(2026, 4, 17))
    assert (shown.party, shown.overdue, shown.working_days_left) == (Party.OFFICER, True, -1)

    with pytest.raises(Forbidden):  # the superior orders; the PPID gives
        await record_fulfilment(
            desk.services,
            desk.superior,
            request_id,
            delivered_on=date(2026, 4, 10),
            form="SOFT_COPY",
            now=wib(2026, 4, 10),
        )
    with pytest.raises(BadUserInput) as error:  # not in the future
        await record_fulfilment(
            desk.services,
            desk.officer,
            request_id,
            delivered_on=date(2026, 4, 13),
            form="SOFT_COPY",
            now=wib(2026, 4, 10),
        )
    assert error.value.field == "deliveredOn"
    done = await record_fulfilment(
        desk.services,
        desk.officer,
        request_id,
        delivered_on=date(2026, 4, 9),
        form="HARD_COPY",
        note="Diserahkan di loket PPID",
        now=wib(2026, 4, 10),
    )
    assert (done.request.delivered_on, done.request.delivered_form) == (
        date(2026, 4, 9),
        "HARD_COPY",
    )
    assert done.events[-1].action == "RECORD_FULFILMENT"
    assert done.events[-1].actor_user_id == desk.officer.user_id
    # the fulfilment duty is gone; only the requester's window to go to the Commission is left
    shown = current_deadline(done.clocks, calendar, wib(2026, 4, 17))
    assert (shown.party, shown.due_on) == (Party.REQUESTER, date(2026, 4, 22))
    with pytest.raises(InvalidTransition):  # nothing more was ordered
        await record_fulfilment(
            desk.services,
            desk.officer,
            request_id,
            delivered_on=date(2026, 4, 10),
            form="HARD_COPY",
            now=wib(2026, 4, 10),
        )


async def test_superior_may_set_the_fulfilment_date(desk: Desk) -> None:
    request_id = await _upheld(desk, fulfil_by=date(2026, 4, 6))
    record = await load_record(desk.services, request_id)
    assert record is not None
    shown = current_deadline(record.clocks, desk.services.calendar, wib(2026, 4, 7))
    assert (shown.party, shown.due_on, shown.overdue) == (Party.OFFICER, date(2026, 4, 6), True)


async def test_fulfilment_after_a_grant_and_never_after_a_refusal(desk: Desk) -> None:
    granted = (await online(desk, wib(2026, 3, 16))).request.id
    await answer_request(
        desk.services, desk.officer, granted, decision="GRANTED", answer="x", now=wib(2026, 3, 17)
    )
    record = await record_fulfilment(
        desk.services,
        desk.officer,
        granted,
        delivered_on=date(2026, 3, 17),
        form="SOFT_COPY",
        now=wib(2026, 3, 17),
    )
    assert record.request.delivered_on == date(2026, 3, 17)
    assert record.request.status == "ANSWERED"

    refused = (await online(desk, wib(2026, 3, 16))).request.id
    await refuse(desk, refused, wib(2026, 3, 17), answer="x", consequence_test="x")
    with pytest.raises(InvalidTransition):
        await record_fulfilment(
            desk.services,
            desk.officer,
            refused,
            delivered_on=date(2026, 3, 17),
            form="SOFT_COPY",
            now=wib(2026, 3, 17),
        )
