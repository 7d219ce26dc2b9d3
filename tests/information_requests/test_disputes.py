"""Disputes to the end: the Commission's outcome, the court window, orders to give (Pasal 37-48)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.errors import BadUserInput
from opendata.information_requests.deadlines import current_deadline
from opendata.information_requests.queries import load_record
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind, Party
from opendata.information_requests.service import record_dispute_outcome
from tests.information_requests.builders import deliver, dispute_filed, refused_and_objected
from tests.information_requests.helpers import Desk, wib


def _court_due(record: RequestRecord) -> date | None:
    court = [clock for clock in record.clocks if clock.kind == ClockKind.COURT_FILING.value]
    return court[-1].due_on if court else None


async def test_dispute_outcome_and_its_court_window(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    with pytest.raises(BadUserInput) as error:
        await record_dispute_outcome(
            desk.services,
            desk.officer,
            request_id,
            outcome="WON",
            decided_on=date(2026, 6, 1),
            now=wib(2026, 6, 2),
        )
    assert error.value.field == "outcome"
    record = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="GRANTED",
        summary="Putusan ajudikasi: informasi anggaran wajib dibuka",
        decided_on=date(2026, 6, 1),
        now=wib(2026, 6, 2),
    )
    assert record.dispute is not None
    assert (record.dispute.outcome, record.dispute.summary) == (
        "GRANTED",
        "Putusan ajudikasi: informasi anggaran wajib dibuka",
    )
    # 14 working days after Mon 1 June 2026 (Islamic New Year on 16 June skipped): 22 June
    assert _court_due(record) == date(2026, 6, 22)
    # the decision orders disclosure once final: the PPID's 10 working days run from the end
    # of either party's court window (22 June), not from the decision (Pasal 48(1))
    shown = current_deadline(record.clocks, desk.services.calendar, wib(2026, 6, 2))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 7, 6))
    done = await deliver(desk, request_id, date(2026, 6, 5))
    assert done.request.status == "DISPUTE_DECIDED"
    shown = current_deadline(done.clocks, desk.services.calendar, wib(2026, 6, 5))
    assert (shown.party, shown.due_on) == (Party.EITHER, date(2026, 6, 22))


async def test_mediation_agreement_has_no_court_window(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    record = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="MEDIATION_AGREED",
        decided_on=date(2026, 5, 4),
        now=wib(2026, 5, 4),
    )
    assert _court_due(record) is None
    shown = current_deadline(record.clocks, desk.services.calendar, wib(2026, 5, 4))
    assert shown.party is Party.OFFICER  # the agreement is carried out


async def test_rejected_dispute_leaves_only_the_court_window(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    record = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="REJECTED",
        decided_on=date(2026, 6, 1),
        now=wib(2026, 6, 1),
    )
    shown = current_deadline(record.clocks, desk.services.calendar, wib(2026, 6, 1))
    assert (shown.party, shown.due_on, shown.overdue) == (Party.EITHER, date(2026, 6, 22), False)
    # once the court window closed, nobody is expected to act
    shown = current_deadline(record.clocks, desk.services.calendar, wib(2026, 6, 23))
    assert shown.party is None


async def test_lapsed_superior_shows_the_running_dispute_window(desk: Desk) -> None:
    request_id = await refused_and_objected(desk)
    record = await load_record(desk.services, request_id)
    assert record is not None and record.objection is not None
    assert record.objection.due_on == date(2026, 5, 18)
    calendar = desk.services.calendar
    shown = current_deadline(record.clocks, calendar, wib(2026, 5, 18))
    assert (shown.party, shown.due_on) == (Party.SUPERIOR, date(2026, 5, 18))
    # the superior's 30 days ran out: the requester's 14 days to the Commission run from then
    shown = current_deadline(record.clocks, calendar, wib(2026, 5, 19))
    expected = calendar.add_working_days(date(2026, 5, 18), 14)
    assert (shown.party, shown.due_on, shown.overdue) == (Party.REQUESTER, expected, False)
    assert expected == date(2026, 6, 10)  # Idul Adha and its cuti bersama skipped
