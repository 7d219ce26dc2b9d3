"""The annual service report's figures on a known set of requests (kip-rules §5)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.errors import NotFound
from opendata.information_requests.report import service_report
from opendata.information_requests.service import (
    answer_objection,
    answer_request,
    extend_request,
    file_objection,
    record_dispute,
    record_dispute_outcome,
    withdraw_request,
)
from tests.information_requests.helpers import Desk, walk_in, wib


async def _known_set(desk: Desk) -> None:
    services, officer = desk.services, desk.officer

    async def answer(request_id: int, decision: str, when: object, bases: list[str]) -> None:
        await answer_request(
            services,
            officer,
            request_id,
            decision=decision,
            answer="Pemberitahuan",
            exemptions=bases,
            consequence_test="Uji konsekuensi" if bases else None,
            now=when,  # type: ignore[arg-type]
        )

    # 1: granted in 5 working days
    first = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await answer(first, "GRANTED", wib(2026, 3, 30), [])
    # 2: refused late (due 7 April, answered 9 April: 12 working days); objection upheld
    second = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await answer(second, "REFUSED", wib(2026, 4, 9), ["PASAL_17H", "PASAL_17A"])
    await file_objection(
        services, officer, second, grounds=["LATE_RESPONSE"], reason="x", now=wib(2026, 4, 10)
    )
    await answer_objection(
        services, desk.superior, second, outcome="UPHELD", answer="Berikan", now=wib(2026, 4, 13)
    )
    # 3: extended, partly granted on 15 April (16 working days, in time); objection rejected;
    # dispute filed and decided
    third = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await extend_request(services, officer, third, "Banyak dokumen", now=wib(2026, 4, 1))
    await answer(third, "PARTIALLY_GRANTED", wib(2026, 4, 15), ["PASAL_17H"])
    await file_objection(
        services,
        officer,
        third,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="x",
        now=wib(2026, 4, 16),
    )
    await answer_objection(
        services, desk.superior, third, outcome="REJECTED", answer="Tetap", now=wib(2026, 4, 17)
    )
    await record_dispute(services, officer, third, filed_on=date(2026, 4, 20), now=wib(2026, 4, 20))
    await record_dispute_outcome(
        services,
        officer,
        third,
        outcome="Ajudikasi",
        decided_on=date(2026, 6, 1),
        now=wib(2026, 6, 2),
    )
    # 4: withdrawn; 5: pending; 6: not held, next working day
    fourth = (await walk_in(desk, wib(2026, 4, 2))).request.id
    await withdraw_request(services, officer, fourth, now=wib(2026, 4, 6))
    await walk_in(desk, wib(2026, 4, 6))
    sixth = (await walk_in(desk, wib(2026, 4, 6))).request.id
    await answer(sixth, "NOT_HELD", wib(2026, 4, 7), [])
    # another agency: not yet documented, 2 working days
    seventh = (await walk_in(desk, wib(2026, 4, 6), agency="dinkes")).request.id
    await answer_request(
        services,
        desk.other_officer,
        seventh,
        decision="NOT_YET_DOCUMENTED",
        answer="Akan didokumentasikan Juni 2026",
        now=wib(2026, 4, 8),
    )
    # next year's request is not in the 2026 report
    await walk_in(desk, wib(2027, 1, 4))


async def test_agency_report_counts_each_outcome_from_the_timeline(desk: Desk) -> None:
    await _known_set(desk)
    report = await service_report(desk.services, 2026, "diskominfo")
    assert report.agency is not None and report.agency.slug == "diskominfo"
    assert report.requests_received == 6
    assert (report.granted, report.partially_granted, report.refused) == (1, 1, 1)
    assert (report.not_held, report.not_yet_documented) == (1, 0)
    assert (report.withdrawn, report.pending) == (1, 1)
    assert report.average_working_days_to_answer == 8.5  # (5 + 12 + 16 + 1) / 4
    assert report.answered_late == 1
    assert report.refusals_by_basis == [("PASAL_17A", 1), ("PASAL_17H", 2)]
    assert (report.objections, report.objections_upheld, report.objections_rejected) == (2, 1, 1)
    assert (report.disputes, report.disputes_decided) == (1, 1)


async def test_regency_report_covers_every_agency(desk: Desk) -> None:
    await _known_set(desk)
    report = await service_report(desk.services, 2026)
    assert report.agency is None
    assert report.requests_received == 7
    assert report.not_yet_documented == 1
    assert report.average_working_days_to_answer == 7.2  # (5 + 12 + 16 + 1 + 2) / 5
    next_year = await service_report(desk.services, 2027)
    assert (next_year.requests_received, next_year.pending) == (1, 1)
    assert next_year.average_working_days_to_answer is None


async def test_report_for_an_unknown_agency_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound):
        await service_report(desk.services, 2026, "no-such-agency")
