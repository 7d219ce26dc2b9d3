"""After a giving notice the PPID must deliver (kip-rules §2): a delivery clock, stopped by the
recorded delivery; ground e (Pasal 35(1)(e)) arises only when it is missed, and its 30 working
days run from then (Pasal 36(1): "setelah ditemukannya alasan"), not from the notice."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.errors import BadUserInput, DeadlinePassed
from opendata.information_requests.deadlines import current_deadline
from opendata.information_requests.queries import load_record
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind, ObjectionGround, Party
from tests.information_requests.builders import deliver, grant, object_to
from tests.information_requests.helpers import Desk, wib


async def _granted(desk: Desk) -> int:
    """Filed and granted in full on Tue 17 March 2026."""
    return (await grant(desk, date(2026, 3, 17))).request.id


async def _record(desk: Desk, request_id: int) -> RequestRecord:
    record = await load_record(desk.services, request_id)
    assert record is not None
    return record


async def test_a_grant_starts_the_delivery_clock_and_the_delivery_stops_it(desk: Desk) -> None:
    request_id = await _granted(desk)
    calendar = desk.services.calendar
    record = await _record(desk, request_id)
    # 10 working days from the notice of 17 March: Nyepi, Idul Fitri and its cuti bersama
    # skipped, 8 April; the PPID owes it (not "nothing due": nothing was delivered yet)
    shown = current_deadline(record.clocks, calendar, wib(2026, 3, 18))
    assert (shown.party, shown.due_on, shown.overdue) == (Party.OFFICER, date(2026, 4, 8), False)
    assert (record.request.due_party, record.request.due_on) == ("OFFICER", date(2026, 4, 8))
    # and it goes overdue like any other duty
    shown = current_deadline(record.clocks, calendar, wib(2026, 4, 9))
    assert (shown.party, shown.overdue) == (Party.OFFICER, True)

    done = await deliver(desk, request_id, date(2026, 3, 25))
    (delivery,) = [c for c in done.clocks if c.kind == ClockKind.DELIVERY.value]
    assert delivery.stopped_at is not None
    # only the requester's window to object on the notice's own grounds is left
    shown = current_deadline(done.clocks, calendar, wib(2026, 3, 26))
    assert (shown.party, shown.due_on) == (Party.REQUESTER, date(2026, 5, 7))


async def test_ground_e_arises_when_the_delivery_is_missed_and_runs_from_then(desk: Desk) -> None:
    request_id = await _granted(desk)
    with pytest.raises(BadUserInput) as error:  # the delivery day has not passed yet
        await object_to(desk, request_id, wib(2026, 4, 8), grounds=["NOT_FULFILLED"])
    assert error.value.field == "grounds"
    record = await _record(desk, request_id)
    calendar = desk.services.calendar
    # found missed after 8 April: 30 working days from then, 25 May (not 7 May, 30 working
    # days after the notice, when the other grounds' window closes)
    assert record.objection_window_end(
        ObjectionGround.NOT_FULFILLED, calendar, date(2026, 4, 9)
    ) == date(2026, 5, 25)
    with pytest.raises(DeadlinePassed):  # ground d's window ran from the notice
        await object_to(desk, request_id, wib(2026, 5, 20), grounds=["RESPONDED_NOT_AS_REQUESTED"])
    filed = await object_to(desk, request_id, wib(2026, 5, 20), grounds=["NOT_FULFILLED"])
    assert filed.objection is not None and filed.objection.grounds == ["NOT_FULFILLED"]


async def test_a_delivery_on_time_never_opens_ground_e(desk: Desk) -> None:
    request_id = await _granted(desk)
    await deliver(desk, request_id, date(2026, 4, 8), form="HARD_COPY")
    with pytest.raises(BadUserInput):
        await object_to(desk, request_id, wib(2026, 4, 9), grounds=["NOT_FULFILLED"])
    record = await _record(desk, request_id)
    assert ObjectionGround.NOT_FULFILLED not in record.open_grounds(
        desk.services.calendar, wib(2026, 4, 9)
    )
