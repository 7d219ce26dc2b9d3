"""The annual service report's figures on a known set of requests (kip-rules §5)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest

from opendata.app import create_app
from opendata.attachments.steps import answer_request
from opendata.db.models import Agency
from opendata.errors import NotFound
from opendata.information_requests.report import service_report
from opendata.information_requests.report_formats import report_csv, requests_csv
from opendata.information_requests.service import (
    Fee,
    answer_objection,
    extend_request,
    file_objection,
    record_dispute,
    record_dispute_outcome,
    withdraw_request,
)
from opendata.services import Services
from opendata.web.report_page import report_html
from tests.conftest import asgi_client
from tests.information_requests.builders import object_to, refuse, rule_on_objection
from tests.information_requests.helpers import Desk, walk_in, wib

END_OF_2026 = wib(2026, 12, 31)


async def _known_set(desk: Desk) -> None:
    services, officer = desk.services, desk.officer

    async def answer(
        request_id: int, decision: str, when: datetime, bases: list[str], **notice: Any
    ) -> None:
        await answer_request(
            services,
            officer,
            request_id,
            decision=decision,
            answer="Pemberitahuan",
            exemptions=bases,
            consequence_test="Uji konsekuensi" if bases else None,
            now=when,
            **notice,
        )

    # 1: granted in 5 working days
    first = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await answer(first, "GRANTED", wib(2026, 3, 30), [], fee=Fee(30_000, "Fotokopi"))
    # 2: refused late (due 7 April, answered 9 April: 12 working days); objection upheld
    second = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await answer(
        second,
        "REFUSED",
        wib(2026, 4, 9),
        ["PASAL_17H", "PASAL_17A"],
        exemption_expires_on=date(2027, 12, 31),
        decision_reference="SK PPID 3/2026",
    )
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
    await answer(
        third, "PARTIALLY_GRANTED", wib(2026, 4, 15), ["PASAL_17H"], fee=Fee(15_000, "Pos")
    )
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
        outcome="REJECTED",
        summary="Ajudikasi",
        decided_on=date(2026, 6, 1),
        now=wib(2026, 6, 2),
    )
    # 4: withdrawn; 5: pending; 6: not held, next working day
    fourth = (await walk_in(desk, wib(2026, 4, 2))).request.id
    await withdraw_request(services, officer, fourth, now=wib(2026, 4, 6))
    await walk_in(desk, wib(2026, 4, 6))
    sixth = (await walk_in(desk, wib(2026, 4, 6))).request.id
    await answer(sixth, "NOT_HELD", wib(2026, 4, 7), [], held_by="BPS Kabupaten")
    # another agency: not yet documented, 2 working days
    seventh = (await walk_in(desk, wib(2026, 4, 6), agency="dinkes")).request.id
    await answer_request(
        services,
        desk.other_officer,
        seventh,
        decision="NOT_YET_DOCUMENTED",
        answer="Akan didokumentasikan Juni 2026",
        expected_on=date(2026, 6, 30),
        now=wib(2026, 4, 8),
    )
    # next year's request is not in the 2026 report
    await walk_in(desk, wib(2027, 1, 4))


async def test_agency_report_counts_each_outcome_from_the_timeline(desk: Desk) -> None:
    await _known_set(desk)
    report = await service_report(desk.services, 2026, "diskominfo", now=END_OF_2026)
    assert report.agency is not None and report.agency.slug == "diskominfo"
    assert report.requests_received == 6
    assert (report.granted, report.partially_granted, report.refused) == (1, 1, 1)
    assert (report.not_held, report.not_yet_documented) == (1, 0)
    assert (report.withdrawn, report.pending) == (1, 1)
    assert report.average_working_days_to_answer == 8.5  # (5 + 12 + 16 + 1) / 4
    assert report.answered_late == 1
    # the pending request (received 6 April) is past its deadline with no notice at all
    assert (report.unanswered_past_deadline, report.late) == (1, 2)
    assert report.refusals_by_basis == [("PASAL_17A", 1), ("PASAL_17H", 2)]
    assert (report.objections, report.objections_upheld, report.objections_rejected) == (2, 1, 1)
    assert (report.disputes, report.disputes_decided) == (1, 1)
    assert report.disputes_by_outcome == [("REJECTED", 1)]
    assert (report.fees_charged, report.fees_total) == (2, 45_000)
    # per request, the working days taken
    assert [(line.working_days, line.late) for line in report.lines] == [
        (5, False),
        (12, True),
        (16, False),
        (None, False),
        (None, True),
        (1, False),
    ]


async def test_regency_report_covers_every_agency(desk: Desk) -> None:
    await _known_set(desk)
    report = await service_report(desk.services, 2026, now=END_OF_2026)
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


async def test_report_counts_a_2027_objection_against_a_2026_request_in_2027(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 12, 21))).request.id
    await refuse(desk, request_id, wib(2026, 12, 22))
    await object_to(desk, request_id, wib(2027, 1, 5), by=desk.officer)
    await rule_on_objection(desk, request_id, "UPHELD", wib(2027, 1, 6), answer="Berikan")
    in_2026 = await service_report(desk.services, 2026, "diskominfo", now=wib(2027, 2, 1))
    in_2027 = await service_report(desk.services, 2027, "diskominfo", now=wib(2027, 2, 1))
    assert (in_2026.requests_received, in_2026.refused, in_2026.objections) == (1, 1, 0)
    assert (in_2027.requests_received, in_2027.objections, in_2027.objections_upheld) == (0, 1, 1)


async def test_report_as_csv_and_printable_page(desk: Desk) -> None:
    await _known_set(desk)
    report = await service_report(desk.services, 2026, "diskominfo", now=END_OF_2026)
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    assert rows[0] == ["key", "label_id", "label_en", "value"]
    figures = {row[0]: row[3] for row in rows[1:]}
    assert figures["requests_received"] == "6"
    assert figures["fees_total"] == "45000"
    assert figures["refusals_PASAL_17A"] == "1"
    assert figures["disputes_REJECTED"] == "1"
    lines = list(csv.reader(io.StringIO(requests_csv(report))))
    assert lines[0][:5] == [
        "registration_number",
        "received_on",
        "decision",
        "answered_on",
        "working_days",
    ]
    assert lines[2][:5] == ["DISKOMINFO/2026/000002", "2026-03-16", "REFUSED", "2026-04-09", "12"]
    page = report_html(report)
    assert "Dinas Komunikasi dan Informatika" in page
    assert "<td>45000</td>" in page and "DISKOMINFO/2026/000006" in page
    assert "Siti Aminah" not in page  # no personal data in the report


async def test_report_downloads_per_agency_and_for_the_regency(services: Services) -> None:
    async with services.database.write() as session:
        session.add(Agency(slug="dinkes", name="Dinas <Kesehatan>", acronym="DINKES"))
    async with asgi_client(create_app(services)) as client:
        page = await client.get("/reports/2026.html", params={"agency": "dinkes"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "Dinas &lt;Kesehatan&gt;" in page.text
        regency = await client.get("/reports/2026.csv")
        assert regency.status_code == 200
        assert "kabupaten" in regency.headers["content-disposition"]
        assert "requests_received" in regency.text
        per_request = await client.get("/reports/2026.csv", params={"part": "requests"})
        assert per_request.text.startswith("registration_number,")
        missing = await client.get("/reports/2026.csv", params={"agency": "nope"})
        assert missing.status_code == 404
        assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        bad = await client.get("/reports/1900.csv")
        assert bad.status_code == 400
        wrong_format = await client.get("/reports/2026.pdf")
        assert wrong_format.status_code == 400
