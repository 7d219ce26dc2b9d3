"""Reminders for the delivery a giving notice owes (kip-rules §2): the officer is told at 3 and
1 working days left and once overdue, through a real SMTP server; a recorded delivery ends them."""

from __future__ import annotations

from datetime import date

from opendata.attachments.steps import answer_request, record_fulfilment
from opendata.background import JOB_HANDLERS
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import Clocks
from opendata.mail.reminders import scan_reminders
from opendata.outbox.worker import Worker
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.information_requests.helpers import Desk, make_desk, online
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import filed_on_for
from tests.mail.test_fulfilment_reminders import at

SUBJECT = "Pengingat tenggat penyerahan informasi"


async def granted_on(desk: Desk, day: date) -> RequestRecord:
    """A request filed online and granted in full on `day`."""
    request_id = (await online(desk, at(day))).request.id
    return await answer_request(
        desk.services, desk.officer, request_id, decision="GRANTED", answer="x", now=at(day)
    )


async def test_the_officer_is_reminded_to_deliver_what_the_notice_granted(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    calendar, today = mail_services.calendar, regency_today()
    days = Clocks.DELIVERY.working_days
    soon = await granted_on(desk, filed_on_for(calendar, days, 3, today))
    delivered = await granted_on(desk, filed_on_for(calendar, days, 1, today))
    await record_fulfilment(
        mail_services, desk.officer, delivered.request.id, delivered_on=today, form="SOFT_COPY"
    )

    assert await scan_reminders(mail_services) == 1  # the delivered one: nothing to remind
    assert await scan_reminders(mail_services) == 0  # each reminder once
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()
    (reminder,) = catcher.messages(SUBJECT)
    assert reminder.recipients == ("ppid@kab.go.id",)
    assert reminder.subject.startswith(f"[{soon.request.registration_number}]")
    text = reminder.part("plain")
    assert "sisa 3 hari kerja" in text and "3 working day(s) left" in text
    assert "pemberitahuan tertulis" in text
