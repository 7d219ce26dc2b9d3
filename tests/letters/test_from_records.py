"""Letters built from a request as stored: the receipt, extension and notice of a real filing."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.attachments.steps import answer_request
from opendata.errors import BadUserInput, InvalidTransition, NotFound
from opendata.information_requests.service import extend_request
from opendata.letters.documents import ExtensionNotice
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
    number = answered.request.registration_number

    async def text(kind: LetterKind) -> str:
        return pdf_text(letter_pdf(await letter_for(services, desk.officer, number, kind)))

    receipt = await text(LetterKind.RECEIPT)
    assert number in receipt and "Siti Aminah" in receipt and "13 Maret 2026" in receipt
    extension = await letter_for(services, desk.officer, number, LetterKind.EXTENSION)
    assert isinstance(extension, ExtensionNotice)
    assert extension.due_on == answered.request.answer_due_on
    assert extension.previous_due_on < extension.due_on
    notice = await text(LetterKind.NOTICE)
    assert number in notice and "Ditolak" in notice and "Pasal 17 huruf h" in notice
    assert "24 Maret 2026" in notice


async def test_letters_go_only_to_those_who_may_see_the_request(services: Services) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    number = record.request.registration_number
    receipt = await letter_for(services, desk.officer, number, LetterKind.RECEIPT)
    assert receipt.registration_number == number
    for outsider in (None, desk.other_officer, desk.requester, desk.admin):
        with pytest.raises(NotFound):
            await letter_for(services, outsider, number, LetterKind.RECEIPT)
    for kind in (LetterKind.NOTICE, LetterKind.EXTENSION, LetterKind.OBJECTION_RECEIPT):
        with pytest.raises(InvalidTransition):
            await letter_for(services, desk.officer, number, kind)


async def test_an_objection_letter_of_an_unknown_objection_is_refused(services: Services) -> None:
    from tests.information_requests.builders import object_to, refuse

    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    await refuse(desk, record.request.id, wib(2026, 3, 16))
    await object_to(desk, record.request.id, wib(2026, 3, 17), by=desk.officer)
    number = record.request.registration_number
    with pytest.raises(BadUserInput):
        await letter_for(
            services, desk.officer, number, LetterKind.OBJECTION_RECEIPT, "DINKES/KEB/2026/000001"
        )
    # the only objection needs no number
    only = await letter_for(services, desk.officer, number, LetterKind.OBJECTION_RECEIPT)
    assert "/KEB/2026/" in pdf_text(letter_pdf(only))


async def test_the_cli_writes_the_letter_as_issued(services: Services, tmp_path: Path) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    number = record.request.registration_number
    cli = ServerProcess(services.settings.data_dir, database_url=services.settings.database_url)
    target = tmp_path / "tanda-terima.pdf"
    cli.run("letters", "pdf", number, "receipt", "-o", str(target))
    text = pdf_text(target.read_bytes())
    # signed by the officer who registered it, never "PPID" as a name
    assert number in text and "ppid NIP" not in text
    assert "Pejabat Pengelola Informasi dan Dokumentasi (PPID) ppid" in text
