"""An upheld objection tells the agency's PPID officers that they must now give the
information, and by when (Pasal 36(2) with the fulfilment clock the answer starts)."""

from __future__ import annotations

from opendata.background import JOB_HANDLERS
from opendata.information_requests.service import answer_objection
from opendata.outbox.worker import Worker
from opendata.services import Services
from tests.information_requests.builders import refused_and_objected
from tests.information_requests.helpers import make_desk, wib
from tests.mail.catcher import MailCatcher

SUBJECT = "Keberatan diterima: informasi wajib diberikan"


async def _answered(services: Services, outcome: str) -> None:
    """Refused and objected to on 30-31 March 2026; the superior answers on 2 April."""
    desk = await make_desk(services)
    request_id = await refused_and_objected(desk)
    await answer_objection(
        services,
        desk.superior,
        request_id,
        outcome=outcome,
        answer="Alasan pengecualian tidak memenuhi uji konsekuensi.",
        now=wib(2026, 4, 2),
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
