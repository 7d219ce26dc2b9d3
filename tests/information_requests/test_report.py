"""The annual service report's figures on a known set of requests (kip-rules §5)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from opendata.accounts.service import new_token_for
from opendata.app import create_app
from opendata.attachments.steps import answer_request, record_fulfilment
from opendata.dashboard.service_figures import service_figures
from opendata.db.models import Agency
from opendata.errors import Forbidden, NotFound
from opendata.information_requests.court import CourtDecision, CourtFiling
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.report import service_report
from opendata.information_requests.report_formats import (
    report_csv,
    report_rows,
    report_sections,
    requests_csv,
)
from opendata.information_requests.report_narrative import save_narrative
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
from tests.information_requests.builders import in_court, object_to, refuse, rule_on_objection
from tests.information_requests.helpers import Desk, walk_in, wib
from tests.web.helpers import data, error_codes, gql

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
    assert rows[0] == ["key", "label_id", "label_en", "value", "article"]
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


# ------------------------------------------------------------------------------ finding 12


async def test_an_overdue_unanswered_request_lowers_the_on_time_rate(desk: Desk) -> None:
    """One request answered in time, one never answered: 152 working days past its deadline
    by 25 November. The on-time rate is 50%, not 100% (issue 20, finding 12)."""
    answered = (await walk_in(desk, wib(2026, 3, 30))).request.id
    await refuse(desk, answered, wib(2026, 3, 31))
    forgotten = (await walk_in(desk, wib(2026, 3, 30))).request
    now = wib(2026, 11, 25)
    late_by = desk.services.calendar.working_days_between(forgotten.answer_due_on, now.date())
    assert late_by == 152
    report = await service_report(desk.services, 2026, "diskominfo", now=now)
    assert (report.answered, report.on_time, report.unanswered_past_deadline) == (1, 1, 1)
    assert report.on_time_rate == 0.5
    # the dashboard and /statistik read the same rate
    figures = await service_figures(desk.services, 2026)
    diskominfo = next(a for a in figures.agencies if a.agency_slug == "diskominfo")
    assert diskominfo.on_time_rate == 0.5
    # before its deadline the unanswered request is neither on time nor late
    early = await service_report(desk.services, 2026, "diskominfo", now=wib(2026, 4, 1))
    assert early.on_time_rate == 1.0


async def _pasal_56_set(desk: Desk) -> None:
    """The known set, with what happened after: the information given after the grant and
    after the upheld objection, an objection left unanswered, a court case and its decision."""
    await _known_set(desk)
    services, officer = desk.services, desk.officer
    ids = await _ids(desk)
    # 1 granted (notice 30 March, day 5): given on Tue 31 March, day 6
    await record_fulfilment(
        services, officer, ids[0], delivered_on=date(2026, 3, 31), form="SOFT_COPY",
        now=wib(2026, 3, 31),
    )  # fmt: skip
    # 2 refused, objection upheld 13 April: given on 15 April, day 16: the answer carried out
    await record_fulfilment(
        services, officer, ids[1], delivered_on=date(2026, 4, 15), form="SOFT_COPY",
        now=wib(2026, 4, 15),
    )  # fmt: skip
    # 6 not held (7 April): objected to on 8 April, never answered: lapsed by the year end
    await object_to(
        desk, ids[5], wib(2026, 4, 8), by=officer, grounds=("RESPONDED_NOT_AS_REQUESTED",)
    )
    # 3 went to court after the Commission's decision
    filing = CourtFiling("REQUESTER", "PTUN Pontianak", "7/G/KI/2026/PTUN.PTK", date(2026, 6, 10))
    await in_court(desk, ids[2], filing, wib(2026, 6, 10))
    await in_court(desk, ids[2], CourtDecision("UPHELD", date(2026, 9, 1)), wib(2026, 9, 1))


async def _ids(desk: Desk) -> list[int]:
    """Diskominfo's 2026 requests in register order."""
    async with desk.services.database.session() as session:
        rows = await session.scalars(
            select(InformationRequest.id)
            .where(
                InformationRequest.agency_id == desk.agency.id,
                InformationRequest.registration_year == 2026,
            )
            .order_by(InformationRequest.sequence)
        )
        return list(rows)


async def test_the_report_answers_each_item_of_pasal_56_from_the_requests(desk: Desk) -> None:
    await _pasal_56_set(desk)
    report = await service_report(desk.services, 2026, "diskominfo", now=END_OF_2026)
    # (c)(2): the time to fulfil each request, not only to answer it
    assert [line.working_days_to_fulfil for line in report.lines] == [6, 16, None, None, None, None]
    assert (report.fulfilled, report.average_working_days_to_fulfil) == (2, 11.0)
    # (d)(1)-(2): objections, the answers and how they were carried out
    assert (report.objections, report.objections_upheld, report.objections_rejected) == (3, 1, 1)
    assert (report.objections_pending, report.objections_lapsed) == (1, 1)
    assert (report.objections_implemented, report.objections_not_implemented) == (1, 0)
    # (d)(3)-(4): the Commission rejected the one dispute: nothing to carry out
    assert (report.disputes, report.disputes_decided) == (1, 1)
    assert (report.disputes_ordering_disclosure, report.disputes_implemented) == (0, 0)
    # (d)(5)-(6): the court case and its decision, as the court steps recorded them
    assert (report.court_cases, report.court_cases_decided) == (1, 1)
    assert report.court_cases_by_outcome == [("UPHELD", 1)]
    # every item of Pasal 56(2) has its place, in order, each with its article
    articles = [section.part.article for section in report_sections(report)]
    assert articles == [f"Perki 1/2021 Pasal 56 ayat (2) huruf {letter}" for letter in "abcdef"]
    items = [item.article for section in report_sections(report) for item, _ in section.items]
    assert items == [f"Perki 1/2021 Pasal 56 ayat (2) huruf c angka {n}" for n in range(1, 5)] + [
        f"Perki 1/2021 Pasal 56 ayat (2) huruf d angka {n}" for n in range(1, 7)
    ]
    rows = {row[0]: row for row in report_rows(report)}
    assert rows["average_working_days_to_fulfil"][3:] == (
        11.0,
        "Perki 1/2021 Pasal 56 ayat (2) huruf c angka 2",
    )
    assert rows["objections_implemented"][3:] == (
        1,
        "Perki 1/2021 Pasal 56 ayat (2) huruf d angka 2",
    )
    assert rows["court_cases"][3:] == (1, "Perki 1/2021 Pasal 56 ayat (2) huruf d angka 5")
    assert rows["court_UPHELD"][3:] == (1, "Perki 1/2021 Pasal 56 ayat (2) huruf d angka 6")
    assert rows["as_of"][3] == "2026-12-31" and "sementara" in rows["as_of"][1]


async def test_the_running_year_is_provisional_as_of_a_day_and_a_past_year_final(
    desk: Desk,
) -> None:
    await walk_in(desk, wib(2026, 3, 16))
    running = await service_report(desk.services, 2026, now=wib(2026, 12, 6))
    assert (running.as_of, running.final, running.due_by) == (
        date(2026, 12, 6),
        False,
        date(2027, 3, 31),
    )
    page = report_html(running)
    assert "Keadaan per 6 Desember 2026: tahun berjalan, angka sementara" in page
    assert "As of 6 December 2026" in page and "31 Maret 2027" in page
    ended = await service_report(desk.services, 2026, now=wib(2027, 1, 4))
    assert ended.final and "tahun 2026 telah berakhir" in report_html(ended)


async def test_an_admin_writes_the_narrative_parts_and_every_door_shows_them(
    desk: Desk,
) -> None:
    texts = {
        "policy": "SK Bupati 12/2026 tentang layanan informasi.",
        "implementation": "Satu meja layanan, dua petugas, anggaran Rp 50 juta.",
        "obstacles": "Arsip belum digital.",
        "recommendations": "Digitalisasi arsip 2027.",
    }
    with pytest.raises(Forbidden):
        await save_narrative(desk.services, desk.officer, 2026, "diskominfo", texts)
    await save_narrative(desk.services, desk.admin, 2026, "diskominfo", texts)
    # the regency's narrative is its own; saving again updates, an empty text clears
    await save_narrative(desk.services, desk.admin, 2026, None, {"policy": "Perbup 3/2026"})
    await save_narrative(desk.services, desk.admin, 2026, "diskominfo", texts | {"obstacles": " "})
    report = await service_report(desk.services, 2026, "diskominfo", now=END_OF_2026)
    assert report.narrative.policy == texts["policy"] and report.narrative.obstacles is None
    page = report_html(report)
    assert texts["implementation"] in page and "Perbup 3/2026" not in page
    assert "Belum diisi oleh admin" in page  # the obstacles, cleared
    rows = list(csv.reader(io.StringIO(report_csv(report))))
    by_key = {row[0]: row for row in rows}
    assert by_key["narrative_recommendations"][3:] == [
        texts["recommendations"],
        "Perki 1/2021 Pasal 56 ayat (2) huruf f",
    ]
    regency = await service_report(desk.services, 2026, now=END_OF_2026)
    assert regency.narrative.policy == "Perbup 3/2026" and regency.narrative.obstacles is None


NARRATIVE = """mutation($i: ReportNarrativeInput!) {
  setReportNarrative(input: $i) { policy recommendations }
}"""
REPORT = """query($year: Int!, $agency: String) {
  serviceReport(year: $year, agency: $agency) {
    asOf final dueBy onTimeRate averageWorkingDaysToFulfil objectionsLapsed
    objectionsImplemented courtCases courtCasesByOutcome { outcome count }
    narrative { policy recommendations }
    lines { registrationNumber workingDaysToFulfil }
  }
}"""


async def test_the_narrative_and_the_pasal_56_figures_over_graphql(desk: Desk) -> None:
    await _pasal_56_set(desk)
    admin = await new_token_for(desk.services.database, "admin@kab.go.id")
    officer = await new_token_for(desk.services.database, "ppid@kab.go.id")
    variables = {
        "i": {
            "year": 2026,
            "agency": "diskominfo",
            "policy": "Kebijakan",
            "recommendations": "Saran",
        }
    }
    async with asgi_client(create_app(desk.services)) as client:
        refused = await gql(client, NARRATIVE, variables, officer.token)
        saved = data(await gql(client, NARRATIVE, variables, admin.token))
        report = data(await gql(client, REPORT, {"year": 2026, "agency": "diskominfo"}))
    assert error_codes(refused) == ["FORBIDDEN"]
    assert saved["setReportNarrative"] == {"policy": "Kebijakan", "recommendations": "Saran"}
    figures = report["serviceReport"]
    assert figures["narrative"] == {"policy": "Kebijakan", "recommendations": "Saran"}
    assert figures["objectionsLapsed"] == figures["objectionsImplemented"] == 1
    assert figures["courtCases"] == 1
    assert figures["courtCasesByOutcome"] == [{"outcome": "UPHELD", "count": 1}]
    assert figures["averageWorkingDaysToFulfil"] == 11.0
    assert figures["lines"][0]["workingDaysToFulfil"] == 6
    assert figures["dueBy"] == "2027-03-31" and figures["asOf"] is not None
