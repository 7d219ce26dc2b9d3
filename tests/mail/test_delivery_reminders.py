"""Reminders for the delivery a giving notice owes (kip-rules §2): the officer is told, through a
real SMTP server, once per reminder stage (the same scan as every duty); a recorded delivery
ends them."""

from __future__ import annotations

from opendata.attachments.steps import record_fulfilment
from opendata.background import JOB_HANDLERS
from opendata.information_requests.rules import Clocks
from opendata.mail.reminders import scan_reminders
from opendata.outbox.worker import Worker
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.information_requests.builders import grant
from tests.information_requests.helpers import make_desk
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import filed_on_for

SUBJECT = "Pengingat tenggat penyerahan informasi"


async def test_the_officer_is_reminded_to_deliver_what_the_notice_granted(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    calendar, today = mail_services.calendar, regency_today()
    days = Clocks.DELIVERY.working_days
    soon = await grant(desk, filed_on_for(calendar, days, 3, today))
    delivered = await grant(desk, filed_on_for(calendar, days, 1, today))
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
