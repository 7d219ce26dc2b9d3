"""Letters are issued records: each gets its number, date, addressee, signatory and letterhead
when its step happens, and a reprint is the same letter whoever downloads it (issue 20,
findings 2-4). The pages' letter links are used where they exist, so these read what an
officer actually prints."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime

import pytest
from sqlalchemy import delete, select, update

from opendata.accounts.service import create_user, set_staff_title
from opendata.date_words import tanggal
from opendata.db.models import Agency
from opendata.errors import BadUserInput
from opendata.information_requests.letter_models import IssuedLetter, LetterKind
from opendata.information_requests.lifecycle import STEP_BY_ACTION, Action
from opendata.information_requests.service import answer_objection, extend_request
from opendata.letters.render import letter_pdf
from opendata.letters.service import letter_for
from opendata.services import Services
from tests.information_requests.builders import object_to, refuse
from tests.information_requests.helpers import Desk, make_desk, online, walk_in, wib
from tests.letters.test_letters import pdf_text
from tests.portal.conftest import portal_as

OFFICER_TITLE = "Kepala Bidang Pengelolaan Informasi Publik"
OFFICER_NIP = "198001012005012001"
SUPERIOR_TITLE = "Sekretaris Dinas selaku Atasan PPID"
SUPERIOR_NIP = "197502022000031002"
LETTER_NUMBER = re.compile(r"Nomor: (\S+/SRT/\d{4}/\d{6})")


async def titled_desk(services: Services) -> Desk:
    """The desk, with the officer's and the superior's jabatan and NIP recorded."""
    desk = await make_desk(services)
    await set_staff_title(
        services.database, "ppid@kab.go.id", title=OFFICER_TITLE, employee_number=OFFICER_NIP
    )
    await set_staff_title(
        services.database, "atasan@kab.go.id", title=SUPERIOR_TITLE, employee_number=SUPERIOR_NIP
    )
    return desk


async def refused_online(desk: Desk, **refusal: str) -> tuple[int, str]:
    """Filed online on Mon 2 March 2026 and refused on the 4th: its id and number."""
    record = await online(desk, wib(2026, 3, 2))
    await refuse(desk, record.request.id, wib(2026, 3, 4), **refusal)
    return record.request.id, record.request.registration_number


async def superior_answers(
    desk: Desk, request_id: int, outcome: str, on: datetime, objection: str | None = None
) -> None:
    await answer_objection(
        desk.services,
        desk.superior,
        request_id,
        outcome=outcome,
        answer=f"Tanggapan: {outcome}",
        objection_number=objection,
        now=on,
    )


def act_path(number: str) -> str:
    return f"/petugas/permohonan/{number}"


def number_of(text: str) -> str:
    found = LETTER_NUMBER.search(text)
    assert found, text[:300]
    return found.group(1)


def day(on: date) -> str:
    return tanggal(on.isoformat())


def test_the_table_says_which_letters_each_step_issues() -> None:
    issues = {action: STEP_BY_ACTION[action].letters for action in Action}
    assert issues[Action.FILE] == (LetterKind.RECEIPT,)
    assert issues[Action.EXTEND] == (LetterKind.EXTENSION,)
    assert issues[Action.ANSWER] == (LetterKind.NOTICE,)
    assert issues[Action.FILE_OBJECTION] == (LetterKind.OBJECTION_RECEIPT,)
    assert issues[Action.ANSWER_OBJECTION] == (LetterKind.OBJECTION_ANSWER,)
    assert issues[Action.WITHDRAW] == issues[Action.RECORD_DISPUTE] == ()


async def test_each_of_two_objections_prints_its_own_receipt_and_answer(
    services: Services,
) -> None:
    desk = await titled_desk(services)
    request_id, number = await refused_online(desk)
    first = await object_to(desk, request_id, wib(2026, 3, 5), reason="Alasan pertama")
    second = await object_to(
        desk,
        request_id,
        wib(2026, 3, 9),
        grounds=("PERIODIC_INFORMATION_NOT_PUBLISHED",),
        reason="Alasan kedua",
    )
    numbers = [objection.registration_number for objection in second.objections]
    assert first.objections[0].registration_number == numbers[0] and len(numbers) == 2
    await superior_answers(desk, request_id, "REJECTED", wib(2026, 3, 16), numbers[0])
    path = act_path(number)
    async with await portal_as(services, desk.officer) as officer:
        # the older objection's answer prints while the newer one still waits for its own
        waiting = await officer.get(
            f"{path}/surat/objection_answer.pdf", params={"keberatan": numbers[0]}
        )
        assert waiting.status_code == 200, waiting.text
        assert numbers[0] in pdf_text(waiting.content)
        await superior_answers(desk, request_id, "UPHELD", wib(2026, 3, 18), numbers[1])
        page = (await officer.get(path)).text
        texts = {}
        for kind in ("objection_receipt", "objection_answer"):
            for objection in numbers:
                link = f"{path}/surat/{kind}.pdf?keberatan={objection}"
                assert f'href="{link}"' in page, link
                response = await officer.get(link)
                assert response.status_code == 200, response.text
                texts[kind, objection] = pdf_text(response.content)
        receipt = await officer.get(f"{path}/surat/receipt.pdf")
        notice = await officer.get(f"{path}/surat/notice.pdf")
    for (kind, objection), text in texts.items():
        other = numbers[1 - numbers.index(objection)]
        assert objection in text and other not in text, (kind, objection)
    assert "Alasan pertama" in texts["objection_receipt", numbers[0]]
    assert "Alasan kedua" in texts["objection_receipt", numbers[1]]
    first_answer = texts["objection_answer", numbers[0]]
    second_answer = texts["objection_answer", numbers[1]]
    assert "Keberatan ditolak" in first_answer and "16 Maret 2026" in first_answer
    assert "Keberatan diterima" in second_answer and "18 Maret 2026" in second_answer
    # six letters, six numbers of the agency's letter register
    letter_numbers = {number_of(text) for text in texts.values()}
    letter_numbers |= {number_of(pdf_text(receipt.content)), number_of(pdf_text(notice.content))}
    assert len(letter_numbers) == 6
    assert all(n.startswith("DISKOMINFO/SRT/2026/") for n in letter_numbers)
    # a second print of the same letter is the same letter
    again = await letter_for(
        services, desk.officer, number, LetterKind.OBJECTION_ANSWER, numbers[1]
    )
    assert again.letter_number == number_of(second_answer)


async def test_a_reprinted_receipt_states_the_ten_days_and_the_extension_apart(
    services: Services,
) -> None:
    desk = await titled_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    ten_days = record.request.answer_due_on
    extended = await extend_request(
        services, desk.officer, record.request.id, reason="Arsip di gudang", now=wib(2026, 3, 20)
    )
    seventeen_days = extended.request.answer_due_on
    assert ten_days < seventeen_days
    path = act_path(record.request.registration_number)
    async with await portal_as(services, desk.officer) as officer:  # printed months later
        receipt = pdf_text((await officer.get(f"{path}/surat/receipt.pdf")).content)
        extension = pdf_text((await officer.get(f"{path}/surat/extension.pdf")).content)
    assert f"paling lambat {day(ten_days)} (10 hari kerja" in receipt
    assert (
        f"Perpanjangan waktu: pemberitahuan tertulis diberikan paling lambat {day(seventeen_days)}"
        in receipt
    )
    assert "Sungai Raya, 13 Maret 2026" in receipt
    # the extension letter is dated the day of the extension, from the 10 days to the 17
    assert "Sungai Raya, 20 Maret 2026" in extension
    assert f"dari {day(ten_days)} menjadi paling lambat {day(seventeen_days)}" in extension


async def test_letters_are_signed_by_who_took_the_step_whoever_downloads_them(
    services: Services,
) -> None:
    desk = await titled_desk(services)
    colleague = (
        await create_user(
            services.database,
            email="ppid2@kab.go.id",
            name="Budi Santoso",
            role="OFFICER",
            agency_slug="diskominfo",
            title="Staf PPID",
            employee_number="199001012015011001",
        )
    ).viewer
    request_id, number = await refused_online(
        desk, consequence_test="Membuka NIK merugikan pemiliknya."
    )
    await object_to(desk, request_id, wib(2026, 3, 5))
    await superior_answers(desk, request_id, "REJECTED", wib(2026, 3, 16))
    path = act_path(number)
    async with await portal_as(services, colleague) as other_officer:
        notice = pdf_text((await other_officer.get(f"{path}/surat/notice.pdf")).content)
        answer = pdf_text((await other_officer.get(f"{path}/surat/objection_answer.pdf")).content)
        receipt = pdf_text((await other_officer.get(f"{path}/surat/receipt.pdf")).content)
    # the notice: the officer who answered, with jabatan and NIP; not the one who printed it
    assert f"Sungai Raya, 4 Maret 2026 {OFFICER_TITLE} ppid NIP. {OFFICER_NIP}" in notice
    assert "Budi" not in notice and SUPERIOR_TITLE not in notice
    # the superior's answer: the superior, with jabatan and NIP
    assert f"Sungai Raya, 16 Maret 2026 {SUPERIOR_TITLE} atasan NIP. {SUPERIOR_NIP}" in answer
    assert "Budi" not in answer and OFFICER_TITLE not in answer
    # the requester filed online: the receipt is the system's, signed by no one
    assert "Diterbitkan secara elektronik" in receipt and "NIP." not in receipt
    # what a refusal must say (Pasal 22(7)): the basis in words and the consequence test
    assert "UU KIP Pasal 17 huruf h: mengungkap" in notice and "PASAL_17H" not in notice
    assert "Uji konsekuensi (Pasal 19): Membuka NIK merugikan pemiliknya." in notice
    assert "Kepada Yth. wartawan Jl. Ahmad Yani 2" in notice  # the addressee
    assert re.search(r"Nomor: DISKOMINFO/SRT/2026/\d{6}", notice)

    # a new jabatan later changes no letter already issued; the requester gets the same one
    await set_staff_title(
        services.database, "ppid@kab.go.id", title="Jabatan baru", employee_number=""
    )
    again = await letter_for(services, desk.requester, number, LetterKind.NOTICE)
    assert again.signatory is not None
    assert (again.signatory.title, again.signatory.employee_number) == (OFFICER_TITLE, OFFICER_NIP)
    assert again.letter_number == number_of(notice)


async def test_the_letterhead_is_the_agencys_address_and_contact(services: Services) -> None:
    desk = await make_desk(services)
    async with services.database.write() as session:
        await session.execute(
            update(Agency)
            .where(Agency.slug == "diskominfo")
            .values(
                address="Jl. Arteri Supadio, Sungai Raya",
                phone="(0561) 721234",
                email="ppid@kominfo.go.id",
            )
        )
    record = await walk_in(desk, wib(2026, 3, 13))
    async with services.database.write() as session:  # the office moves after the letter
        await session.execute(update(Agency).values(address="Alamat baru"))
    text = pdf_text(
        letter_pdf(
            await letter_for(
                services, desk.officer, record.request.registration_number, LetterKind.RECEIPT
            )
        )
    )
    assert "Jl. Arteri Supadio, Sungai Raya" in text and "Alamat baru" not in text
    assert "Telp. (0561) 721234 · Surel: ppid@kominfo.go.id" in text


async def test_a_step_taken_before_letters_were_records_issues_its_letter_on_first_print(
    services: Services,
) -> None:
    desk = await titled_desk(services)
    _, number = await refused_online(desk)
    async with services.database.write() as session:  # as before migration 0014
        await session.execute(delete(IssuedLetter))
    first = await letter_for(services, desk.superior, number, LetterKind.NOTICE)
    # dated the day of the step and signed by who took it, both from the timeline
    assert first.issued_on == date(2026, 3, 4)
    assert first.signatory is not None and first.signatory.name == "ppid"
    assert first.signatory.employee_number == OFFICER_NIP
    again = await letter_for(services, desk.officer, number, LetterKind.NOTICE)
    assert again == first
    async with services.database.session() as session:
        rows = list(await session.scalars(select(IssuedLetter)))
    assert len(rows) == 1 and rows[0].recorded_at > rows[0].issued_at


async def test_letter_numbers_run_per_agency_and_year_without_gaps(services: Services) -> None:
    desk = await make_desk(services)
    filed = await asyncio.gather(*(walk_in(desk, wib(2026, 12, 30)) for _ in range(4)))
    await walk_in(desk, wib(2026, 12, 30), agency="dinkes")
    await walk_in(desk, wib(2027, 1, 4))
    async with services.database.session() as session:
        numbers = sorted(await session.scalars(select(IssuedLetter.number)))
    assert numbers == [
        "DINKES/SRT/2026/000001",
        *(f"DISKOMINFO/SRT/2026/00000{n}" for n in range(1, 5)),
        "DISKOMINFO/SRT/2027/000001",
    ]
    assert len(filed) == 4


@pytest.mark.parametrize(
    ("role", "title", "nip"),
    [("REQUESTER", "Warga", None), ("OFFICER", None, "12345"), ("OFFICER", "x" * 201, None)],
)
async def test_a_jabatan_and_nip_are_for_staff_and_a_nip_is_18_digits(
    services: Services, role: str, title: str | None, nip: str | None
) -> None:
    await make_desk(services)
    with pytest.raises(BadUserInput):
        await create_user(
            services.database,
            email="baru@kab.go.id",
            name="Baru",
            role=role,
            agency_slug="diskominfo" if role == "OFFICER" else None,
            title=title,
            employee_number=nip,
        )
