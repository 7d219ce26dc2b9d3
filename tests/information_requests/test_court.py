"""From the Commission to court (Pasal 47-48, kip-rules §2): either party may go to court within
14 working days of *receiving* the adjudication decision; what the decision orders falls due
only once it is final (that window passed unused, or the court decided); the court case and
its decision are steps of their own, and the report can count them."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.attachments.steps import record_fulfilment
from opendata.errors import BadUserInput, DeadlinePassed, Forbidden, InvalidTransition
from opendata.information_requests.court import court_cases
from opendata.information_requests.deadlines import current_deadline, running
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind, Party
from opendata.information_requests.service import (
    record_court_case,
    record_court_decision,
    record_dispute_outcome,
)
from tests.information_requests.builders import dispute_filed
from tests.information_requests.helpers import Desk, wib


def _clock_due(record: RequestRecord, kind: ClockKind) -> date | None:
    clock = record.clock(kind)
    return clock.due_on if clock else None


async def test_a_commission_order_is_carried_out_only_once_final(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    calendar = desk.services.calendar
    # decided on Mon 1 June 2026, received by the parties on Wed 3 June
    decided = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="GRANTED",
        decided_on=date(2026, 6, 1),
        received_on=date(2026, 6, 3),
        now=wib(2026, 6, 4),
    )
    assert decided.dispute is not None and decided.dispute.received_on == date(2026, 6, 3)
    # either party's 14 working days run from receipt (Islamic New Year skipped): 24 June
    assert _clock_due(decided, ClockKind.COURT_FILING) == date(2026, 6, 24)
    court_window = decided.clock(ClockKind.COURT_FILING)
    assert court_window is not None and court_window.party == Party.EITHER.value
    # the PPID's 10 working days run from when the decision is final, not from the decision
    assert _clock_due(decided, ClockKind.FULFILMENT) == date(2026, 7, 8)
    shown = current_deadline(decided.clocks, calendar, wib(2026, 6, 4))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 7, 8))

    async def file(filed_on: date, filed_by: str = "AGENCY") -> RequestRecord:
        return await record_court_case(
            desk.services,
            desk.officer,
            request_id,
            filed_by=filed_by,
            court="PTUN Pontianak",
            case_number="12/G/KI/2026/PTUN.PTK",
            filed_on=filed_on,
            now=wib(2026, 6, 26),
        )

    with pytest.raises(DeadlinePassed) as late:
        await file(date(2026, 6, 25))
    assert late.value.field == "filedOn"
    with pytest.raises(BadUserInput) as early:  # before the decision was received
        await file(date(2026, 6, 2))
    assert early.value.field == "filedOn"
    with pytest.raises(BadUserInput) as nobody:
        await file(date(2026, 6, 23), filed_by="JUDGE")
    assert nobody.value.field == "filedBy"
    with pytest.raises(Forbidden):
        await record_court_case(
            desk.services,
            desk.superior,
            request_id,
            filed_by="AGENCY",
            court="PTUN Pontianak",
            case_number="x",
            filed_on=date(2026, 6, 23),
            now=wib(2026, 6, 26),
        )

    # the agency itself goes to court on the last day but one
    in_court = await file(date(2026, 6, 23))
    assert in_court.request.status == "COURT_FILED"
    assert in_court.court_case is not None and in_court.court_case.filed_by == "AGENCY"
    assert not running(in_court.clocks, ClockKind.FULFILMENT)
    assert not running(in_court.clocks, ClockKind.COURT_FILING)
    # not final: nothing is owed while the court has the case
    assert current_deadline(in_court.clocks, calendar, wib(2026, 7, 9)).party is None
    with pytest.raises(InvalidTransition):
        await record_fulfilment(
            desk.services,
            desk.officer,
            request_id,
            delivered_on=date(2026, 7, 1),
            form="SOFT_COPY",
            now=wib(2026, 7, 1),
        )

    with pytest.raises(BadUserInput) as unknown:
        await record_court_decision(
            desk.services,
            desk.officer,
            request_id,
            outcome="WON",
            decided_on=date(2026, 9, 1),
            now=wib(2026, 9, 2),
        )
    assert unknown.value.field == "outcome"
    # the court upholds the Commission: the order is final, 10 working days from then
    upheld = await record_court_decision(
        desk.services,
        desk.officer,
        request_id,
        outcome="UPHELD",
        decided_on=date(2026, 9, 1),
        summary="Gugatan ditolak; putusan Komisi Informasi dikuatkan",
        now=wib(2026, 9, 2),
    )
    assert upheld.request.status == "COURT_DECIDED"
    assert upheld.events[-1].action == "RECORD_COURT_DECISION"
    shown = current_deadline(upheld.clocks, calendar, wib(2026, 9, 2))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 9, 15))
    given = await record_fulfilment(
        desk.services,
        desk.officer,
        request_id,
        delivered_on=date(2026, 9, 10),
        form="SOFT_COPY",
        now=wib(2026, 9, 10),
    )
    assert given.request.status == "COURT_DECIDED"
    assert current_deadline(given.clocks, calendar, wib(2026, 9, 10)).party is None

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
    rejected = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="REJECTED",
        decided_on=date(2026, 6, 1),
        now=wib(2026, 6, 1),
    )
    assert rejected.dispute is not None and rejected.dispute.received_on == date(2026, 6, 1)
    assert _clock_due(rejected, ClockKind.COURT_FILING) == date(2026, 6, 22)
    assert rejected.clock(ClockKind.FULFILMENT) is None
    await record_court_case(
        desk.services,
        desk.officer,
        request_id,
        filed_by="REQUESTER",
        court="PTUN Pontianak",
        case_number="20/G/KI/2026/PTUN.PTK",
        filed_on=date(2026, 6, 22),
        now=wib(2026, 6, 22),
    )
    ordered = await record_court_decision(
        desk.services,
        desk.officer,
        request_id,
        outcome="DISCLOSURE_ORDERED",
        decided_on=date(2026, 9, 1),
        now=wib(2026, 9, 1),
    )
    shown = current_deadline(ordered.clocks, desk.services.calendar, wib(2026, 9, 2))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 9, 15))


async def test_a_mediation_agreement_cannot_go_to_court(desk: Desk) -> None:
    request_id = await dispute_filed(desk)
    agreed = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="MEDIATION_AGREED",
        decided_on=date(2026, 5, 4),
        now=wib(2026, 5, 4),
    )
    # final at once (no court window): the 10 working days run from the agreement
    assert _clock_due(agreed, ClockKind.FULFILMENT) == desk.services.calendar.add_working_days(
        date(2026, 5, 4), 10
    )
    with pytest.raises(InvalidTransition):
        await record_court_case(
            desk.services,
            desk.officer,
            request_id,
            filed_by="REQUESTER",
            court="PTUN Pontianak",
            case_number="x",
            filed_on=date(2026, 5, 5),
            now=wib(2026, 5, 5),
        )
