"""Mail through a real SMTP server in the test process: lifecycle mails and reminders arrive
once, with the right registration numbers, in both languages; without SMTP nothing is sent."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from opendata.attachments.steps import answer_request
from opendata.background import JOB_HANDLERS
from opendata.mail.outgoing import NOT_CONFIGURED
from opendata.mail.reminders import scan_reminders
from opendata.outbox.admin import list_jobs
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.outbox.worker import Worker
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.conftest import DatabaseFactory, make_services
from tests.information_requests.helpers import make_desk, online
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import objection_due_in, request_due_in

REMINDER = "Pengingat"  # every reminder's subject says so


async def test_filing_sends_the_receipt_to_the_requester_and_a_notice_to_officers(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    record = await online(desk, regency_now())
    number = record.request.registration_number
    # filing itself queued the two mails, in its own transaction
    assert await Worker(mail_services, JOB_HANDLERS).run_until_idle() == 2

    by_recipient = {mail.recipients: mail for mail in catcher.messages()}
    assert set(by_recipient) == {("wartawan@example.org",), ("ppid@kab.go.id",)}
    receipt = by_recipient[("wartawan@example.org",)]
    assert (
        receipt.subject == f"[{number}] Tanda bukti penerimaan permohonan / Receipt of your request"
    )
    text, html = receipt.part("plain"), receipt.part("html")
    due = record.request.answer_due_on
    for body in (text, html):
        assert number in body
        assert f"https://data.kuburayakab.go.id/permohonan/{number}" in body
    assert text.index("Permohonan informasi Anda") < text.index("We have received")
    assert f"{due.day} " in text and str(due.year) in text
    assert str(receipt.message["From"]) == "PPID Kubu Raya <ppid@kuburayakab.go.id>"
    assert str(receipt.message["Message-ID"]).endswith("@kuburayakab.go.id>")
    officers = by_recipient[("ppid@kab.go.id",)]
    assert officers.subject == f"[{number}] Permohonan baru / New request"


async def test_the_written_notice_carries_the_decision_and_bases(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    record = await online(desk, regency_now())
    await answer_request(
        mail_services,
        desk.officer,
        record.request.id,
        decision="PARTIALLY_GRANTED",
        answer="Sebagian data <dikecualikan>.",
        exemptions=["PASAL_17H"],
        consequence_test="Membuka data pribadi penerima bantuan.",
    )
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()  # the answer step queued it
    (notice,) = catcher.messages("Pemberitahuan tertulis")
    assert notice.subject.startswith(
        f"[{record.request.registration_number}] Pemberitahuan tertulis"
    )
    assert "Keputusan: Diberikan sebagian" in notice.part("plain")
    assert "Decision: Partially granted" in notice.part("plain")
    assert "UU KIP Pasal 17 huruf h: mengungkap rahasia pribadi" in notice.part("plain")
    assert "PASAL_17H" not in notice.part("plain")
    assert "&lt;dikecualikan&gt;" in notice.part("html")  # the officer's text is escaped


async def test_reminders_at_three_and_one_working_days_and_overdue_each_once(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    three = await request_due_in(desk, 3)
    one = await request_due_in(desk, 1)
    late = await request_due_in(desk, -1)
    far = await request_due_in(desk, 6)
    assert await scan_reminders(mail_services) == 3  # one officer, three requests
    assert await scan_reminders(mail_services) == 0  # each reminder once
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()

    reminders = catcher.messages(REMINDER)
    subjects = {mail.subject.split("]")[0].lstrip("["): mail.part("plain") for mail in reminders}
    assert far.request.registration_number not in subjects
    assert "sisa 3 hari kerja" in subjects[three.request.registration_number]
    assert "sisa 1 hari kerja" in subjects[one.request.registration_number]
    assert "TERLAMBAT" in subjects[late.request.registration_number]
    assert all(mail.recipients == ("ppid@kab.go.id",) for mail in reminders)


async def test_the_superior_is_reminded_of_an_objection_one_working_day_before_its_deadline(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    record = await objection_due_in(desk, 1)
    # the superior's clock, and the officer's notice that is still owed (and overdue)
    assert await scan_reminders(mail_services) == 2
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()
    by_recipient = {mail.recipients: mail for mail in catcher.messages(REMINDER)}
    assert "TERLAMBAT" in by_recipient[("ppid@kab.go.id",)].part("plain")
    reminder = by_recipient[("atasan@kab.go.id",)]
    number = record.request.registration_number
    assert reminder.subject == (
        f"[{number}] Pengingat tenggat tanggapan keberatan / Objection answer deadline reminder"
    )
    assert "sisa 1 hari kerja" in reminder.part("plain")


async def test_without_smtp_nothing_is_sent_and_jobs_say_why(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path, catcher: MailCatcher
) -> None:
    services = await make_services(database_factory, dialect, tmp_path / "data")
    try:
        assert services.settings.mail.smtp_url == ""
        desk = await make_desk(services)
        await online(desk, regency_now())
        await Worker(services, JOB_HANDLERS).run_until_idle()  # filing queued two mails
        async with services.database.session() as session:
            held = await list_jobs(session, (JobStatus.HELD,))
            pending = await session.scalars(
                select(OutboxJob).where(OutboxJob.status != JobStatus.HELD.value)
            )
            assert list(pending) == []
        assert [job.last_error for job in held] == [NOT_CONFIGURED, NOT_CONFIGURED]
        assert catcher.messages() == []
    finally:
        await services.close()
