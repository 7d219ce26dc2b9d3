"""An upheld objection tells the agency's PPID officers that they must now give the
information, and by when (Pasal 36(2) with the fulfilment clock the answer starts)."""

from __future__ import annotations

from opendata.background import JOB_HANDLERS
from opendata.outbox.worker import Worker
from opendata.services import Services
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import objection_answered

SUBJECT = "Keberatan diterima: informasi wajib diberikan"


async def _answered(services: Services, outcome: str) -> None:
    await objection_answered(
        services, outcome, "Alasan pengecualian tidak memenuhi uji konsekuensi."
    )
    await Worker(services, JOB_HANDLERS).run_until_idle()


async def test_an_upheld_objection_tells_the_officers_to_give_the_information_by_a_date(
    mail_services: Services, catcher: MailCatcher
) -> None:
    await _answered(mail_services, "UPHELD")
    (mail,) = catcher.messages(SUBJECT)
    assert mail.recipients == ("ppid@kab.go.id",)
    text = mail.part("plain")
    assert "menerima keberatan nomor DISKOMINFO/KEB/2026/000001" in text
    assert "PPID wajib memberikan informasi yang diminta kepada pemohon paling lambat" in text
    assert "Alasan pengecualian tidak memenuhi uji konsekuensi." in text
    assert "The PPID must give the requester the information asked for by" in text


async def test_a_rejected_objection_sends_the_officers_no_such_mail(
    mail_services: Services, catcher: MailCatcher
) -> None:
    await _answered(mail_services, "REJECTED")
    assert catcher.messages(SUBJECT) == []
    assert len(catcher.messages("Tanggapan atas keberatan")) == 1
