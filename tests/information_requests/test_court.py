"""From the Commission to court (Pasal 47-48, kip-rules §2): either party may go to court within
14 working days of *receiving* the adjudication decision; what the decision orders falls due
only once it is final (that window passed unused, or the court decided); the court case and
its decision are steps of their own, and the report can count them."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.errors import BadUserInput, DeadlinePassed, Forbidden, InvalidTransition
from opendata.information_requests.court import court_cases
from opendata.information_requests.deadlines import current_deadline, running
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind, Party
from opendata.information_requests.service import CourtDecision, CourtFiling, record_court
from tests.information_requests.builders import (
    commission_decides,
    deliver,
    dispute_filed,
    in_court,
    on,
)
from tests.information_requests.helpers import Desk

PTUN = "PTUN Pontianak"


def _clock_due(record: RequestRecord, kind: ClockKind) -> date | None:
    clock = record.clock(kind)
    return clock.due_on if clock else None


def _case(filed_on: date, filed_by: str = "AGENCY") -> CourtFiling:
    return CourtFiling(filed_by, PTUN, "12/G/KI/2026/PTUN.PTK", filed_on)


async def test_a_commission_order_is_carried_out_only_once_final(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    calendar = desk.services.calendar
    # decided on Mon 1 June 2026, received by the parties on Wed 3 June
    decided = await commission_decides(
        desk, request_id, "GRANTED", date(2026, 6, 1), received_on=date(2026, 6, 3)
    )
    assert decided.dispute is not None and decided.dispute.received_on == date(2026, 6, 3)
    # either party's 14 working days run from receipt (Islamic New Year skipped): 24 June
    assert _clock_due(decided, ClockKind.COURT_FILING) == date(2026, 6, 24)
    court_window = decided.clock(ClockKind.COURT_FILING)
    assert court_window is not None and court_window.party == Party.EITHER.value
    # the PPID's 10 working days run from when the decision is final, not from the decision
    assert _clock_due(decided, ClockKind.FULFILMENT) == date(2026, 7, 8)
    shown = current_deadline(decided.clocks, calendar, on(date(2026, 6, 4)))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 7, 8))

    late_in_june = on(date(2026, 6, 26))
    with pytest.raises(DeadlinePassed) as late:
        await in_court(desk, request_id, _case(date(2026, 6, 25)), late_in_june)
    assert late.value.field == "filedOn"
    with pytest.raises(BadUserInput) as early:  # before the decision was received
        await in_court(desk, request_id, _case(date(2026, 6, 2)), late_in_june)
    assert early.value.field == "filedOn"
    with pytest.raises(BadUserInput) as nobody:
        await in_court(desk, request_id, _case(date(2026, 6, 23), "JUDGE"), late_in_june)
    assert nobody.value.field == "filedBy"
    with pytest.raises(Forbidden):
        await record_court(
            desk.services, desk.superior, request_id, _case(date(2026, 6, 23)), now=late_in_june
        )

    # the agency itself goes to court on the last day but one
    filed = await in_court(desk, request_id, _case(date(2026, 6, 23)), late_in_june)
    assert filed.request.status == "COURT_FILED"
    assert filed.court_case is not None and filed.court_case.filed_by == "AGENCY"
    assert not running(filed.clocks, ClockKind.FULFILMENT)
    assert not running(filed.clocks, ClockKind.COURT_FILING)
    # not final: nothing is owed while the court has the case
    assert current_deadline(filed.clocks, calendar, on(date(2026, 7, 9))).party is None
    with pytest.raises(InvalidTransition):
        await deliver(desk, request_id, date(2026, 7, 1))

    september = on(date(2026, 9, 2))
    with pytest.raises(BadUserInput) as unknown:
        await in_court(desk, request_id, CourtDecision("WON", date(2026, 9, 1)), september)
    assert unknown.value.field == "outcome"
    # the court upholds the Commission: the order is final, 10 working days from then
    summary = "Gugatan ditolak; putusan Komisi Informasi dikuatkan"
    upheld = await in_court(
        desk, request_id, CourtDecision("UPHELD", date(2026, 9, 1), summary), september
    )
    assert upheld.request.status == "COURT_DECIDED"
    assert upheld.events[-1].action == "RECORD_COURT_DECISION"
    shown = current_deadline(upheld.clocks, calendar, september)
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 9, 15))
    given = await deliver(desk, request_id, date(2026, 9, 10))
    assert given.request.status == "COURT_DECIDED"
    assert current_deadline(given.clocks, calendar, on(date(2026, 9, 10))).party is None

    # what the annual report counts
    async with desk.services.database.session() as session:
        cases = await court_cases(session, year=2026, agency_id=desk.agency.id)
        assert [(case.case_number, case.filed_by, case.outcome) for case, _, _ in cases] == [
            ("12/G/KI/2026/PTUN.PTK", "AGENCY", "UPHELD")
        ]
        assert await court_cases(session, year=2027) == []


async def test_the_requester_wins_in_court_after_a_rejection(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    # no day of receipt given: the decision date stands for it
    rejected = await commission_decides(desk, request_id, "REJECTED", date(2026, 6, 1))
    assert rejected.dispute is not None and rejected.dispute.received_on == date(2026, 6, 1)
    assert _clock_due(rejected, ClockKind.COURT_FILING) == date(2026, 6, 22)
    assert rejected.clock(ClockKind.FULFILMENT) is None
    last_day = date(2026, 6, 22)
    await in_court(desk, request_id, _case(last_day, "REQUESTER"), on(last_day))
    ordered = await in_court(
        desk,
        request_id,
        CourtDecision("DISCLOSURE_ORDERED", date(2026, 9, 1)),
        on(date(2026, 9, 1)),
    )
    shown = current_deadline(ordered.clocks, desk.services.calendar, on(date(2026, 9, 2)))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 9, 15))


async def test_a_mediation_agreement_cannot_go_to_court(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    agreed = await commission_decides(desk, request_id, "MEDIATION_AGREED", date(2026, 5, 4))
    # final at once (no court window): the 10 working days run from the agreement
    assert _clock_due(agreed, ClockKind.FULFILMENT) == desk.services.calendar.add_working_days(
        date(2026, 5, 4), 10
    )
    with pytest.raises(InvalidTransition):
        await in_court(desk, request_id, _case(date(2026, 5, 5), "REQUESTER"), on(date(2026, 5, 5)))
