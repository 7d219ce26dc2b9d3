"""The producers hear the data steward's decision on a version (issue 22): one mail per
producer of the agency, the submitter first, with the steward's comment, once per decision,
through the outbox and a real SMTP server."""

from __future__ import annotations

from opendata.background import JOB_HANDLERS
from opendata.outbox.worker import Worker
from opendata.publishing.review_mail import queue_review_mail
from opendata.services import Services
from tests.mail.catcher import MailCatcher
from tests.portal.test_publishing_pages import producer_of, roles, submitted


async def test_the_producers_are_mailed_the_stewards_decision_with_the_comment(
    mail_services: Services, catcher: MailCatcher
) -> None:
    services = mail_services
    _, producer, _ = await roles(services)
    colleague = await producer_of(services, "diskominfo", "data2@diskominfo.go.id")
    await producer_of(services, "dinkes", "data@dinkes.go.id")  # another agency's: not told
    version = await submitted(services, producer)
    version.comment = "Kolom nik harus dikecualikan PPID dulu."
    async with services.database.write() as session:
        queued = await queue_review_mail(session, version, approved=False, steward_name="Walidata")
        again = await queue_review_mail(session, version, approved=False, steward_name="Walidata")
    assert len(queued) == 2 and again == []  # one per producer, once
    await Worker(services, JOB_HANDLERS).run_until_idle()
    mails = catcher.wait_for(2)
    assert sorted(m.recipients[0] for m in mails) == sorted([producer.email, colleague.email])
    text = mails[0].part("plain")
    assert mails[0].subject.strip().startswith("[penerima-bantuan/v1] Hasil pemeriksaan walidata")
    assert 'mengembalikan versi 1 dataset "Penerima Bantuan Sosial"' in text
    assert "Kolom nik harus dikecualikan PPID dulu." in text
    assert "https://data.kuburayakab.go.id/petugas/data/versi/" in text
    assert "returned version 1" in text and "Lihat permohonan" not in text
