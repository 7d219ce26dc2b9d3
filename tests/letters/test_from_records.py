"""Letters built from a request as stored: the receipt and the notice of a real filing."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.attachments.steps import answer_request
from opendata.db.models import Agency
from opendata.errors import InvalidTransition, NotFound
from opendata.information_requests.service import extend_request
from opendata.letters.documents import Signatory
from opendata.letters.from_records import extension_for, notice_for, receipt_for
from opendata.letters.render import letter_pdf
from opendata.letters.service import LetterKind, letter_for
from opendata.services import Services
from tests.information_requests.helpers import make_desk, walk_in, wib
from tests.letters.test_letters import pdf_text
from tests.web.server import ServerProcess


async def test_receipt_extension_and_notice_of_a_filed_request(services: Services) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    request_id = record.request.id
    await extend_request(
        services, desk.officer, request_id, reason="Arsip di gudang", now=wib(2026, 3, 20)
    )
    answered = await answer_request(
        services,
        desk.officer,
        request_id,
        decision="REFUSED",
        answer="Ditolak.",
        exemptions=["PASAL_17H"],
        consequence_test="Membuka data pribadi.",
        now=wib(2026, 3, 24),
    )
    async with services.database.session() as session:
        agency = await session.get(Agency, answered.request.agency_id)
    assert agency is not None
    signatory = Signatory("Rina")
    number = answered.request.registration_number

    receipt = pdf_text(letter_pdf(receipt_for(answered.request, agency, signatory)))
    assert number in receipt and "Siti Aminah" in receipt and "13 Maret 2026" in receipt
    extension = extension_for(answered.request, agency, signatory, services.calendar)
    assert extension.due_on == answered.request.answer_due_on
    assert extension.previous_due_on < extension.due_on
    notice = pdf_text(letter_pdf(notice_for(answered.request, agency, signatory)))
    assert number in notice and "Ditolak" in notice and "Pasal 17 huruf h" in notice
    assert "24 Maret 2026" in notice


async def test_letters_go_only_to_those_who_may_see_the_request(services: Services) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    number = record.request.registration_number
    signatory = Signatory("Rina")
    async with services.database.session() as session:
        receipt = await letter_for(
            session, desk.officer, number, LetterKind.RECEIPT, services.calendar, signatory
        )
        assert receipt.registration_number == number
        for outsider in (None, desk.other_officer, desk.requester, desk.admin):
            with pytest.raises(NotFound):
                await letter_for(
                    session, outsider, number, LetterKind.RECEIPT, services.calendar, signatory
                )
        with pytest.raises(InvalidTransition):
            await letter_for(
                session, desk.officer, number, LetterKind.NOTICE, services.calendar, signatory
            )


async def test_the_cli_writes_a_letter(services: Services, tmp_path: Path) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    number = record.request.registration_number
    cli = ServerProcess(services.settings.data_dir, database_url=services.settings.database_url)
    target = tmp_path / "tanda-terima.pdf"
    cli.run("letters", "pdf", number, "receipt", "-o", str(target), "--signed-by", "Rina")
    assert number in pdf_text(target.read_bytes())
