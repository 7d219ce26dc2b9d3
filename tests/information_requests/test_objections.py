"""Objections do not end the PPID's duty; a request carries several, each numbered (kip-rules §2)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.attachments.steps import answer_request
from opendata.errors import DeadlinePassed, Forbidden
from opendata.information_requests.deadlines import current_deadline
from opendata.information_requests.queries import load_record
from opendata.information_requests.rules import Party
from opendata.information_requests.service import answer_objection, extend_request, file_objection
from tests.information_requests.builders import object_to, refuse
from tests.information_requests.helpers import Desk, online, walk_in, wib


async def test_early_objection_then_a_late_notice_then_a_second_objection_on_ground_a(
    desk: Desk,
) -> None:
    # received Mon 16 March 2026: the notice is due Tue 7 April (Nyepi, Idul Fitri skipped)
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    first = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["NOT_RESPONDED"],
        reason="Tidak ada tanggapan",
        now=wib(2026, 4, 8),
    )
    assert first.request.status == "OBJECTION_FILED"
    # the Pasal 22(7) duty stands: the PPID is still expected, and overdue
    shown = current_deadline(first.clocks, desk.services.calendar, wib(2026, 4, 9))
    assert (shown.party, shown.due_on, shown.overdue) == (Party.OFFICER, date(2026, 4, 7), True)

    late = await refuse(
        desk,
        request_id,
        wib(2026, 4, 10),
        answer="Ditolak: rahasia pribadi",
        consequence_test="Data kesehatan perorangan",
    )
    assert late.request.answered_late is True
    assert late.request.status == "OBJECTION_FILED"  # the first objection still runs
    second = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["REFUSED_UNDER_EXEMPTION", "LATE_RESPONSE"],
        reason="Penolakan tidak berdasar dan terlambat",
        now=wib(2026, 4, 13),
    )
    numbers = [objection.registration_number for objection in second.objections]
    assert numbers == ["DISKOMINFO/KEB/2026/000001", "DISKOMINFO/KEB/2026/000002"]
    assert [objection.grounds for objection in second.objections] == [
        ["NOT_RESPONDED"],
        ["REFUSED_UNDER_EXEMPTION", "LATE_RESPONSE"],
    ]
    # each has its own 30 working days for the superior (Labour Day, Ascension skipped)
    assert [objection.due_on for objection in second.objections] == [
        date(2026, 5, 25),
        date(2026, 6, 2),
    ]

    answered = await answer_objection(
        desk.services,
        desk.superior,
        request_id,
        outcome="REJECTED",
        answer="Pemberitahuan sudah diberikan",
        objection_number="DISKOMINFO/KEB/2026/000001",
        now=wib(2026, 4, 20),
    )
    assert answered.request.status == "OBJECTION_FILED"  # the second still waits
    assert [o.outcome for o in answered.objections] == ["REJECTED", None]
    answered = await answer_objection(
        desk.services,
        desk.superior,
        request_id,
        outcome="REJECTED",
        answer="Pengecualian sah",
        now=wib(2026, 4, 21),
    )
    assert answered.request.status == "OBJECTION_ANSWERED"
    assert [event.action for event in answered.events] == [
        "FILE",
        "FILE_OBJECTION",
        "ANSWER",
        "FILE_OBJECTION",
        "ANSWER_OBJECTION",
        "ANSWER_OBJECTION",
    ]


async def test_objection_on_ground_b_leaves_extension_and_notice_to_the_ppid(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["PERIODIC_INFORMATION_NOT_PUBLISHED"],
        reason="Laporan keuangan tidak diumumkan",
        now=wib(2026, 3, 17),
    )
    extended = await extend_request(
        desk.services, desk.officer, request_id, "Data di arsip", now=wib(2026, 4, 1)
    )
    assert extended.request.answer_due_on == date(2026, 4, 16)
    shown = current_deadline(extended.clocks, desk.services.calendar, wib(2026, 4, 2))
    assert (shown.party, shown.due_on) == (Party.OFFICER, date(2026, 4, 16))
    answered = await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision="GRANTED",
        answer="Diberikan",
        now=wib(2026, 4, 14),
    )
    assert answered.request.answered_late is False
    assert answered.request.status == "OBJECTION_FILED"


async def test_objection_register_numbers_run_per_agency_and_year_of_filing(desk: Desk) -> None:
    async def refused(agency: str, received: tuple[int, int, int]) -> int:
        request_id = (await walk_in(desk, wib(*received), agency=agency)).request.id
        officer = desk.officer if agency == "diskominfo" else desk.other_officer
        await refuse(desk, request_id, wib(*received), by=officer)
        return request_id

    late_2026 = await refused("diskominfo", (2026, 12, 21))
    dinkes = await refused("dinkes", (2026, 12, 21))
    numbers = []
    for request_id, filed in ((dinkes, wib(2026, 12, 22)), (late_2026, wib(2027, 1, 4))):
        by = desk.officer if request_id == late_2026 else desk.other_officer
        record = await object_to(desk, request_id, filed, by=by)
        assert record.objection is not None
        numbers.append(record.objection.registration_number)
    # a 2026 request objected to in 2027 takes the 2027 register's first number
    assert numbers == ["DINKES/KEB/2026/000001", "DISKOMINFO/KEB/2027/000001"]


async def test_ground_a_closes_thirty_working_days_after_a_late_notice(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    await refuse(desk, request_id, wib(2026, 4, 10))
    # 30 working days after Fri 10 April 2026 (Labour Day, Ascension, Idul Adha and their
    # cuti bersama skipped): Fri 29 May
    with pytest.raises(DeadlinePassed):
        await object_to(desk, request_id, wib(2026, 5, 30, 0, 1))
    with pytest.raises(Forbidden):
        await object_to(desk, request_id, wib(2026, 5, 29), by=desk.other_requester)
    record = await load_record(desk.services, request_id)
    assert record is not None
    # c closed 30 working days after the missed deadline (22 May); e needs a giving notice,
    # f a fee
    open_on_29_may = record.open_grounds(desk.services.calendar, wib(2026, 5, 29, 23))
    assert [ground.value for ground in open_on_29_may] == [
        "REFUSED_UNDER_EXEMPTION",
        "PERIODIC_INFORMATION_NOT_PUBLISHED",
        "RESPONDED_NOT_AS_REQUESTED",
        "LATE_RESPONSE",
    ]
