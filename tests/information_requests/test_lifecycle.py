"""Every step of the lifecycle and every deadline rule, on real calendar dates (kip-rules §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from opendata.attachments.steps import answer_request
from opendata.errors import (
    BadUserInput,
    DeadlinePassed,
    Forbidden,
    InvalidTransition,
    NotFound,
    Unauthenticated,
)
from opendata.information_requests.deadlines import Party, deadline_view
from opendata.information_requests.queries import load_record
from opendata.information_requests.service import (
    FilingForm,
    RequesterDetails,
    answer_objection,
    extend_request,
    file_objection,
    file_request,
    record_dispute,
    record_dispute_outcome,
    withdraw_request,
)
from tests.information_requests.helpers import NIK, Desk, online, walk_in, walk_in_form, wib

# ------------------------------------------------------------------------------ filing


async def test_walk_in_received_just_before_idul_fitri_2026_is_due_on_7_april(desk: Desk) -> None:
    received_at = wib(2026, 3, 16, 15, 30)
    record = await walk_in(desk, received_at)
    request = record.request
    assert request.registration_number == "DISKOMINFO/2026/000001"
    assert request.status == "SUBMITTED"
    assert request.received_at == received_at
    assert request.received_on == date(2026, 3, 16)
    assert request.answer_due_on == date(2026, 4, 7)
    assert [(e.status, e.actor_role, e.at) for e in record.events] == [
        ("SUBMITTED", "OFFICER", received_at)
    ]


async def test_letter_received_after_hours_before_idul_fitri_2027_is_due_on_31_march(
    desk: Desk,
) -> None:
    record = await walk_in(desk, wib(2027, 3, 5, 21, 30))
    assert record.request.answer_due_on == date(2027, 3, 31)
    assert record.request.registration_number == "DISKOMINFO/2027/000001"


async def test_receipt_on_idul_fitri_starts_day_one_on_the_next_working_day(desk: Desk) -> None:
    # Sat 21 March 2026: day 1 is Wed 25 March, day 10 Wed 8 April
    record = await walk_in(desk, wib(2026, 3, 21, 9, 0))
    assert record.request.received_on == date(2026, 3, 21)
    assert record.request.answer_due_on == date(2026, 4, 8)


async def test_receipt_is_dated_in_regency_time(desk: Desk) -> None:
    # 18:00 UTC on 16 March is 01:00 on 17 March in Pontianak
    received_at = datetime(2026, 3, 16, 18, 0, tzinfo=UTC)
    record = await walk_in(desk, received_at)
    assert record.request.received_on == date(2026, 3, 17)
    assert record.request.answer_due_on == date(2026, 4, 8)


async def test_requester_details_given_on_the_first_request_are_kept_for_the_next(
    desk: Desk,
) -> None:
    form = FilingForm("diskominfo", "Data jalan rusak", "Liputan", "VIEW")
    # Pasal 22(3): no address given and none on the account: nothing to register
    with pytest.raises(BadUserInput) as error:
        await file_request(desk.services, desk.other_requester, form, now=wib(2026, 4, 1))
    assert error.value.field == "requester.address"
    address_only = FilingForm(
        "diskominfo", "Data", "Liputan", "VIEW", requester=RequesterDetails(address="Jl. Y 3")
    )
    bare = await file_request(
        desk.services, desk.other_requester, address_only, now=wib(2026, 4, 1)
    )
    assert bare.request.requester_name == "warga"
    assert bare.request.requester_address == "Jl. Y 3"
    assert bare.request.requester_identity_number is None  # NIK and phone stay optional
    first = await online(desk, wib(2026, 4, 1))
    assert first.request.requester_identity_number == NIK
    # the second request reuses what the account now holds
    second = await file_request(desk.services, desk.requester, form, now=wib(2026, 4, 2))
    assert second.request.requester_identity_number == NIK
    assert second.request.requester_address == "Jl. Ahmad Yani 2"
    assert second.request.registration_number == "DISKOMINFO/2026/000003"


async def test_malformed_nik_is_refused_without_echoing_it(desk: Desk) -> None:
    form = FilingForm(
        "diskominfo",
        "Data",
        "Liputan",
        "VIEW",
        requester=RequesterDetails(identity_number="12345-secret", address="Jl. X"),
    )
    with pytest.raises(BadUserInput) as error:
        await file_request(desk.services, desk.requester, form, now=wib(2026, 4, 1))
    assert error.value.field == "requester.identityNumber"
    assert "12345-secret" not in error.value.message_id + error.value.message_en


async def test_only_officers_give_received_at(desk: Desk) -> None:
    form = walk_in_form(wib(2026, 3, 16))
    with pytest.raises(Forbidden) as error:
        await file_request(desk.services, desk.requester, form, now=wib(2026, 3, 17))
    assert error.value.field == "receivedAt"


async def test_received_at_in_the_future_is_bad_user_input(desk: Desk) -> None:
    with pytest.raises(BadUserInput) as error:
        await file_request(
            desk.services, desk.officer, walk_in_form(wib(2026, 3, 20)), now=wib(2026, 3, 16)
        )
    assert error.value.field == "receivedAt"


async def test_walk_in_needs_the_requesters_name_and_address(desk: Desk) -> None:
    form = FilingForm("diskominfo", "Data", "Liputan", "VIEW", requester=None)
    with pytest.raises(BadUserInput) as error:
        await file_request(desk.services, desk.officer, form, now=wib(2026, 3, 16))
    assert error.value.field == "requester"


async def test_filing_permissions_per_role(desk: Desk) -> None:
    form = walk_in_form(wib(2026, 3, 16))
    with pytest.raises(Unauthenticated):
        await file_request(desk.services, None, form, now=wib(2026, 3, 16))
    with pytest.raises(Forbidden):
        await file_request(desk.services, desk.superior, form, now=wib(2026, 3, 16))
    with pytest.raises(Forbidden):  # an officer acts only for their own agency
        await file_request(desk.services, desk.other_officer, form, now=wib(2026, 3, 16))
    with pytest.raises(Forbidden):  # an ADMIN is not the agency's PPID
        await file_request(desk.services, desk.admin, form, now=wib(2026, 3, 16))
    record = await file_request(desk.services, desk.officer, form, now=wib(2026, 3, 16))
    assert record.events[0].actor_role == "OFFICER"


async def test_unknown_agency_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound) as error:
        await walk_in(desk, wib(2026, 3, 16), agency="no-such-agency")
    assert error.value.field == "agency"


async def test_registration_numbers_are_sequential_per_agency_and_year(desk: Desk) -> None:
    numbers = [
        (await walk_in(desk, wib(2026, 3, 2))).request.registration_number,
        (await walk_in(desk, wib(2026, 3, 3))).request.registration_number,
        (await walk_in(desk, wib(2026, 3, 3), agency="dinkes")).request.registration_number,
        (await walk_in(desk, wib(2027, 1, 4))).request.registration_number,
        (await walk_in(desk, wib(2026, 3, 4))).request.registration_number,
    ]
    assert numbers == [
        "DISKOMINFO/2026/000001",
        "DISKOMINFO/2026/000002",
        "DINKES/2026/000001",
        "DISKOMINFO/2027/000001",
        "DISKOMINFO/2026/000003",
    ]


async def test_a_refused_filing_does_not_use_up_a_number(desk: Desk) -> None:
    await walk_in(desk, wib(2026, 3, 2))
    with pytest.raises(BadUserInput):
        bad = FilingForm(
            "diskominfo", "Data", "", "VIEW", requester=RequesterDetails("A", address="B")
        )
        await file_request(desk.services, desk.officer, bad, now=wib(2026, 3, 3))
    second = await walk_in(desk, wib(2026, 3, 3))
    assert second.request.registration_number == "DISKOMINFO/2026/000002"


# ------------------------------------------------------------------------------ extension


async def test_extension_adds_seven_working_days_once_with_a_reason(desk: Desk) -> None:
    record = await walk_in(desk, wib(2026, 3, 16))
    request_id = record.request.id
    with pytest.raises(BadUserInput) as error:
        await extend_request(desk.services, desk.officer, request_id, "  ", now=wib(2026, 4, 7))
    assert error.value.field == "reason"
    # on the last of the 10 days, 23:00: still in time
    extended = await extend_request(
        desk.services,
        desk.officer,
        request_id,
        "Informasi tersebar di tiga bidang",
        now=wib(2026, 4, 7, 23, 0),
    )
    assert extended.request.status == "EXTENDED"
    assert extended.request.extended is True
    assert extended.request.answer_due_on == date(2026, 4, 16)
    assert extended.events[-1].note == "Informasi tersebar di tiga bidang"
    with pytest.raises(InvalidTransition):
        await extend_request(desk.services, desk.officer, request_id, "lagi", now=wib(2026, 4, 8))


async def test_extension_after_the_ten_days_is_deadline_passed(desk: Desk) -> None:
    record = await walk_in(desk, wib(2026, 3, 16))
    with pytest.raises(DeadlinePassed):
        await extend_request(
            desk.services, desk.officer, record.request.id, "terlambat", now=wib(2026, 4, 8, 0, 5)
        )


async def test_extension_permissions_per_role(desk: Desk) -> None:
    record = await walk_in(desk, wib(2026, 3, 16))
    for viewer in (desk.requester, desk.superior, desk.other_officer):
        with pytest.raises(Forbidden):
            await extend_request(
                desk.services, viewer, record.request.id, "alasan", now=wib(2026, 3, 17)
            )
    with pytest.raises(Unauthenticated):
        await extend_request(desk.services, None, record.request.id, "x", now=wib(2026, 3, 17))
    with pytest.raises(NotFound):
        await extend_request(desk.services, desk.officer, 9999, "x", now=wib(2026, 3, 17))


# ------------------------------------------------------------------------------ answer


async def test_refusal_must_cite_pasal_17_bases_and_a_consequence_test(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id

    async def answer(decision: str, exemptions: list[str], test: str | None) -> object:
        return await answer_request(
            desk.services,
            desk.officer,
            request_id,
            decision=decision,
            answer="Pemberitahuan tertulis",
            exemptions=exemptions,
            consequence_test=test,
            now=wib(2026, 3, 30),
        )

    for decision in ("REFUSED", "PARTIALLY_GRANTED"):
        with pytest.raises(BadUserInput) as error:
            await answer(decision, [], "uji")
        assert error.value.field == "exemptions"
        with pytest.raises(BadUserInput) as error:
            await answer(decision, ["PASAL_17H"], None)
        assert error.value.field == "consequenceTest"
    with pytest.raises(BadUserInput) as error:
        await answer("GRANTED", ["PASAL_17H"], None)
    assert error.value.field == "exemptions"
    with pytest.raises(BadUserInput) as error:
        await answer("REFUSED", ["PASAL_99"], "uji")
    assert error.value.field == "exemptions"
    with pytest.raises(BadUserInput) as error:
        await answer("MAYBE", [], None)
    assert error.value.field == "decision"


async def test_answer_in_time_records_the_notice_and_opens_the_objection_window(
    desk: Desk,
) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
    record = await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision="REFUSED",
        answer="Ditolak: data kesehatan pribadi",
        exemptions=["PASAL_17H"],
        consequence_test="Mengungkap riwayat kesehatan seseorang",
        now=wib(2026, 3, 30),
    )
    request = record.request
    assert (request.status, request.decision, request.answered_late) == (
        "ANSWERED",
        "REFUSED",
        False,
    )
    assert request.exemptions_cited == ["PASAL_17H"]
    # the requester now has 30 working days from 30 March 2026 to object
    assert request.due_party == "REQUESTER"
    assert request.due_on == date(2026, 5, 13)
    with pytest.raises(InvalidTransition):  # a second notice
        await answer_request(
            desk.services,
            desk.officer,
            request_id,
            decision="GRANTED",
            answer="x",
            now=wib(2026, 3, 31),
        )


async def test_answer_after_the_deadline_is_recorded_late(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
    record = await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision="GRANTED",
        answer="Terlampir",
        now=wib(2026, 4, 8, 8, 0),
    )
    assert record.request.answered_late is True
    assert record.events[-1].detail["late"] is True


async def test_answer_permissions_per_role(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
    for viewer in (desk.requester, desk.superior, desk.other_officer):
        with pytest.raises(Forbidden):
            await answer_request(
                desk.services,
                viewer,
                request_id,
                decision="GRANTED",
                answer="x",
                now=wib(2026, 3, 17),
            )


# ------------------------------------------------------------------------------ withdrawal


async def test_requester_may_withdraw_before_the_dispute_and_the_record_stays(
    desk: Desk,
) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    for viewer in (desk.other_requester, desk.officer):
        with pytest.raises(Forbidden):
            await withdraw_request(desk.services, viewer, request_id, now=wib(2026, 3, 17))
    record = await withdraw_request(desk.services, desk.requester, request_id, now=wib(2026, 3, 17))
    assert record.request.status == "WITHDRAWN"
    assert record.request.due_on is None
    assert [e.status for e in record.events] == ["SUBMITTED", "WITHDRAWN"]
    with pytest.raises(InvalidTransition):
        await withdraw_request(desk.services, desk.requester, request_id, now=wib(2026, 3, 18))
    with pytest.raises(InvalidTransition):
        await answer_request(
            desk.services,
            desk.officer,
            request_id,
            decision="GRANTED",
            answer="x",
            now=wib(2026, 3, 18),
        )


async def test_officer_records_withdrawal_of_a_walk_in_request(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
    with pytest.raises(Forbidden):
        await withdraw_request(desk.services, desk.other_officer, request_id, now=wib(2026, 3, 17))
    record = await withdraw_request(desk.services, desk.officer, request_id, now=wib(2026, 3, 17))
    assert record.request.status == "WITHDRAWN"


# ------------------------------------------------------------------------------ objection


async def _refused(desk: Desk, answered_at: datetime) -> int:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision="REFUSED",
        answer="Ditolak",
        exemptions=["PASAL_17H"],
        consequence_test="Rahasia pribadi",
        now=answered_at,
    )
    return request_id


async def test_objection_ground_that_has_not_arisen_is_bad_user_input(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    # before the deadline, "not responded" has not arisen, nor any ground of the notice
    for ground in ("NOT_RESPONDED", "REFUSED_UNDER_EXEMPTION", "LATE_RESPONSE"):
        with pytest.raises(BadUserInput) as error:
            await file_objection(
                desk.services,
                desk.requester,
                request_id,
                grounds=[ground],
                reason="x",
                now=wib(2026, 4, 7, 23, 0),
            )
        assert error.value.field == "grounds"
    await answer_request(
        desk.services, desk.officer, request_id, decision="GRANTED", answer="x", now=wib(2026, 4, 7)
    )
    # a full grant in time: neither Pasal 17 refusal nor lateness arose
    for ground in ("REFUSED_UNDER_EXEMPTION", "LATE_RESPONSE", "NOT_RESPONDED"):
        with pytest.raises(BadUserInput):
            await file_objection(
                desk.services,
                desk.requester,
                request_id,
                grounds=[ground],
                reason="x",
                now=wib(2026, 4, 8),
            )
    with pytest.raises(BadUserInput) as error:
        await file_objection(
            desk.services, desk.requester, request_id, grounds=[], reason="x", now=wib(2026, 4, 8)
        )
    assert error.value.field == "grounds"


async def test_objection_for_no_answer_once_the_deadline_passed(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    record = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["NOT_RESPONDED"],
        reason="Tidak ada tanggapan dalam 10 hari kerja",
        now=wib(2026, 4, 8, 9, 0),
    )
    assert record.request.status == "OBJECTION_FILED"
    assert record.objection is not None
    assert record.objection.filed_on == date(2026, 4, 8)
    # the superior answers within 30 working days: Labour Day, Ascension 14-15 May skipped
    assert record.objection.due_on == date(2026, 5, 25)
    # the objection does not end the PPID's duty: its notice is still due (and overdue)
    assert (record.request.due_party, record.request.due_on) == ("OFFICER", date(2026, 4, 7))


async def test_objection_for_no_answer_counts_from_the_extended_deadline(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    await extend_request(desk.services, desk.officer, request_id, "alasan", now=wib(2026, 4, 1))
    with pytest.raises(BadUserInput):  # 8 April: the extended deadline (16 April) still runs
        await file_objection(
            desk.services,
            desk.requester,
            request_id,
            grounds=["NOT_RESPONDED"],
            reason="x",
            now=wib(2026, 4, 8),
        )
    record = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["NOT_RESPONDED"],
        reason="x",
        now=wib(2026, 4, 17),
    )
    assert record.request.status == "OBJECTION_FILED"


async def test_objection_window_closes_after_thirty_working_days(desk: Desk) -> None:
    request_id = await _refused(desk, wib(2026, 3, 30))
    # 30 working days after Mon 30 March 2026 (Good Friday, Labour Day skipped): Wed 13 May
    with pytest.raises(DeadlinePassed) as error:
        await file_objection(
            desk.services,
            desk.requester,
            request_id,
            grounds=["REFUSED_UNDER_EXEMPTION"],
            reason="x",
            now=wib(2026, 5, 14, 0, 1),
        )
    assert error.value.field == "grounds"
    record = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="Alasan Pasal 17 huruf h tidak tepat",
        now=wib(2026, 5, 13, 23, 0),
    )
    assert record.objection is not None
    assert record.objection.grounds == ["REFUSED_UNDER_EXEMPTION"]


async def test_objection_window_for_no_answer_closes_thirty_days_after_the_deadline(
    desk: Desk,
) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id  # due 7 April 2026
    with pytest.raises(DeadlinePassed):
        # 30 working days after Tue 7 April 2026 is Fri 22 May (Labour Day, Ascension skipped)
        await file_objection(
            desk.services,
            desk.requester,
            request_id,
            grounds=["NOT_RESPONDED"],
            reason="x",
            now=wib(2026, 5, 25),
        )
    record = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["NOT_RESPONDED"],
        reason="x",
        now=wib(2026, 5, 22, 16, 0),
    )
    assert record.request.status == "OBJECTION_FILED"


async def test_late_answer_gives_the_late_response_ground(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    await answer_request(
        desk.services, desk.officer, request_id, decision="GRANTED", answer="x", now=wib(2026, 4, 9)
    )
    record = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["LATE_RESPONSE"],
        reason="Terlambat",
        now=wib(2026, 4, 10),
    )
    assert record.objection is not None
    assert record.objection.grounds == ["LATE_RESPONSE"]


async def test_periodic_information_ground_may_be_raised_at_any_time(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    record = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["PERIODIC_INFORMATION_NOT_PUBLISHED"],
        reason="Laporan keuangan tidak diumumkan",
        now=wib(2026, 3, 17),
    )
    assert record.request.status == "OBJECTION_FILED"


async def test_only_the_requester_files_an_objection_on_an_online_request(desk: Desk) -> None:
    request_id = await _refused(desk, wib(2026, 3, 30))
    for viewer in (desk.other_requester, desk.officer, desk.superior):
        with pytest.raises(Forbidden):
            await file_objection(
                desk.services,
                viewer,
                request_id,
                grounds=["REFUSED_UNDER_EXEMPTION"],
                reason="x",
                now=wib(2026, 3, 31),
            )


async def test_a_ground_is_raised_once_and_a_fee_ground_needs_a_fee(desk: Desk) -> None:
    request_id = await _refused(desk, wib(2026, 3, 30))
    await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="x",
        now=wib(2026, 3, 31),
    )
    with pytest.raises(BadUserInput) as error:  # raised already in the first objection
        await file_objection(
            desk.services,
            desk.requester,
            request_id,
            grounds=["REFUSED_UNDER_EXEMPTION"],
            reason="x",
            now=wib(2026, 4, 1),
        )
    assert error.value.field == "grounds"
    with pytest.raises(BadUserInput):  # no fee was charged: ground f has not arisen
        await file_objection(
            desk.services,
            desk.requester,
            request_id,
            grounds=["UNREASONABLE_FEE"],
            reason="x",
            now=wib(2026, 4, 1),
        )


async def test_only_the_agencys_superior_answers_the_objection(desk: Desk) -> None:
    request_id = await _refused(desk, wib(2026, 3, 30))
    with pytest.raises(InvalidTransition):  # no objection yet
        await answer_objection(
            desk.services,
            desk.superior,
            request_id,
            outcome="UPHELD",
            answer="x",
            now=wib(2026, 3, 31),
        )
    await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="x",
        now=wib(2026, 3, 31),
    )
    for viewer in (desk.officer, desk.requester, desk.other_superior):
        with pytest.raises(Forbidden):
            await answer_objection(
                desk.services, viewer, request_id, outcome="UPHELD", answer="x", now=wib(2026, 4, 1)
            )
    with pytest.raises(BadUserInput) as error:
        await answer_objection(
            desk.services,
            desk.superior,
            request_id,
            outcome="MAYBE",
            answer="x",
            now=wib(2026, 4, 1),
        )
    assert error.value.field == "outcome"
    record = await answer_objection(
        desk.services,
        desk.superior,
        request_id,
        outcome="REJECTED",
        answer="Pengecualian Pasal 17 huruf h tetap berlaku",
        now=wib(2026, 4, 1),
    )
    assert record.request.status == "OBJECTION_ANSWERED"
    assert record.objection is not None and record.objection.outcome == "REJECTED"
    # the requester may go to the Commission within 14 working days of 1 April 2026
    assert (record.request.due_party, record.request.due_on) == ("REQUESTER", date(2026, 4, 22))
    assert record.events[-1].actor_role == "SUPERIOR"


# ------------------------------------------------------------------------------ dispute


async def _objection_answered(desk: Desk) -> int:
    request_id = await _refused(desk, wib(2026, 3, 30))
    await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="x",
        now=wib(2026, 3, 31),
    )
    await answer_objection(
        desk.services,
        desk.superior,
        request_id,
        outcome="REJECTED",
        answer="Ditolak",
        now=wib(2026, 4, 1),
    )
    return request_id


async def test_dispute_within_fourteen_working_days_of_the_superiors_answer(desk: Desk) -> None:
    request_id = await _objection_answered(desk)
    with pytest.raises(Forbidden):
        await record_dispute(
            desk.services,
            desk.requester,
            request_id,
            filed_on=date(2026, 4, 10),
            now=wib(2026, 4, 10),
        )
    with pytest.raises(DeadlinePassed) as error:  # 14 working days after 1 April: 22 April
        await record_dispute(
            desk.services,
            desk.officer,
            request_id,
            filed_on=date(2026, 4, 23),
            now=wib(2026, 4, 24),
        )
    assert error.value.field == "filedOn"
    with pytest.raises(BadUserInput) as bad_input:  # not in the future
        await record_dispute(
            desk.services,
            desk.officer,
            request_id,
            filed_on=date(2026, 4, 20),
            now=wib(2026, 4, 10),
        )
    assert bad_input.value.field == "filedOn"
    record = await record_dispute(
        desk.services,
        desk.officer,
        request_id,
        filed_on=date(2026, 4, 22),
        case_number="KI-KALBAR/12/2026",
        now=wib(2026, 4, 27),
    )
    assert record.request.status == "DISPUTE_FILED"
    assert record.dispute is not None and record.dispute.case_number == "KI-KALBAR/12/2026"
    assert record.request.due_party == "COMMISSION"
    # 100 working days after 22 April 2026 for the Commission to settle
    assert record.request.due_on == date(2026, 9, 22)


async def test_dispute_once_the_superiors_thirty_days_ran_out_unanswered(desk: Desk) -> None:
    request_id = await _refused(desk, wib(2026, 3, 30))
    await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="x",
        now=wib(2026, 3, 31),
    )
    # the superior's 30 working days from Tue 31 March 2026 end on Mon 18 May
    record = await load_record(desk.services, request_id)
    assert record is not None and record.objection is not None
    assert record.objection.due_on == date(2026, 5, 18)
    with pytest.raises(InvalidTransition):  # the superior may still answer
        await record_dispute(
            desk.services,
            desk.officer,
            request_id,
            filed_on=date(2026, 5, 18),
            now=wib(2026, 5, 18),
        )
    record = await record_dispute(
        desk.services, desk.officer, request_id, filed_on=date(2026, 5, 19), now=wib(2026, 5, 19)
    )
    assert record.request.status == "DISPUTE_FILED"


async def test_dispute_outcome_closes_the_request(desk: Desk) -> None:
    request_id = await _objection_answered(desk)
    with pytest.raises(InvalidTransition):
        await record_dispute_outcome(
            desk.services,
            desk.officer,
            request_id,
            outcome="REJECTED",
            decided_on=date(2026, 4, 10),
            now=wib(2026, 4, 10),
        )
    await record_dispute(
        desk.services, desk.officer, request_id, filed_on=date(2026, 4, 10), now=wib(2026, 4, 10)
    )
    with pytest.raises(InvalidTransition):  # withdrawal only before the dispute
        await withdraw_request(desk.services, desk.requester, request_id, now=wib(2026, 4, 13))
    with pytest.raises(BadUserInput) as error:
        await record_dispute_outcome(
            desk.services,
            desk.officer,
            request_id,
            outcome="REJECTED",
            decided_on=date(2026, 4, 9),
            now=wib(2026, 6, 1),
        )
    assert error.value.field == "decidedOn"
    with pytest.raises(Forbidden):
        await record_dispute_outcome(
            desk.services,
            desk.superior,
            request_id,
            outcome="REJECTED",
            decided_on=date(2026, 6, 1),
            now=wib(2026, 6, 1),
        )
    record = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="REJECTED",
        summary="Putusan ajudikasi: pengecualian Pasal 17 huruf h sah",
        decided_on=date(2026, 6, 1),
        now=wib(2026, 6, 2),
    )
    assert record.request.status == "DISPUTE_DECIDED"
    # only either party's 14 working days to go to court remain (Pasal 47-48)
    assert (record.request.due_party, record.request.due_on) == ("EITHER", date(2026, 6, 22))
    assert [(e.status, e.actor_role) for e in record.events] == [
        ("SUBMITTED", "REQUESTER"),
        ("ANSWERED", "OFFICER"),
        ("OBJECTION_FILED", "REQUESTER"),
        ("OBJECTION_ANSWERED", "SUPERIOR"),
        ("DISPUTE_FILED", "OFFICER"),
        ("DISPUTE_DECIDED", "OFFICER"),
    ]


# ------------------------------------------------------------------------------ deadlines


async def test_working_days_left_is_zero_on_the_due_day_and_negative_when_overdue(
    desk: Desk,
) -> None:
    request = (await walk_in(desk, wib(2026, 3, 16))).request
    calendar = desk.services.calendar

    def view(now: datetime) -> tuple[object, ...]:
        shown = deadline_view(request.due_on, request.due_party, calendar, now)
        return shown.party, shown.due_on, shown.working_days_left, shown.overdue

    assert view(wib(2026, 3, 16, 16)) == (Party.OFFICER, date(2026, 4, 7), 10, False)
    assert view(wib(2026, 3, 21)) == (Party.OFFICER, date(2026, 4, 7), 9, False)
    assert view(wib(2026, 4, 7, 23, 59)) == (Party.OFFICER, date(2026, 4, 7), 0, False)
    assert view(wib(2026, 4, 8, 0, 0)) == (Party.OFFICER, date(2026, 4, 7), -1, True)
    assert view(wib(2026, 4, 13)) == (Party.OFFICER, date(2026, 4, 7), -4, True)


async def test_requesters_closed_window_leaves_nobody_overdue(desk: Desk) -> None:
    request_id = await _refused(desk, wib(2026, 3, 30))
    record = await load_record(desk.services, request_id)
    assert record is not None
    request = record.request
    shown = deadline_view(
        request.due_on, request.due_party, desk.services.calendar, wib(2026, 5, 13)
    )
    assert (shown.party, shown.working_days_left, shown.overdue) == (Party.REQUESTER, 0, False)
    shown = deadline_view(
        request.due_on, request.due_party, desk.services.calendar, wib(2026, 5, 14)
    )
    assert (shown.party, shown.due_on, shown.overdue) == (None, None, False)
