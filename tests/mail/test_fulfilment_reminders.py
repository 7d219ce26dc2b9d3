"""Reminders for the agency's duty to give information once it is ordered: after an upheld
objection or a Commission decision (the FULFILMENT clock), at 3 and 1 working days left and
overdue; and to the superior once an objection's answer is overdue. Each once, through a real
SMTP server."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from opendata.attachments.steps import record_fulfilment
from opendata.background import JOB_HANDLERS
from opendata.calendar import WorkingCalendar
from opendata.db.base import utcnow
from opendata.information_requests.rules import Clocks
from opendata.information_requests.service import (
    RequestRecord,
    record_dispute,
    record_dispute_outcome,
)
from opendata.mail.reminders import scan_reminders
from opendata.outbox.worker import Worker
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.information_requests.builders import object_to, refuse, rule_on_objection
from tests.information_requests.helpers import Desk, make_desk, online, wib
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import filed_on_for, objection_due_in

SUBJECT = "Pengingat tenggat pemberian informasi"


def at(day: date) -> datetime:
    return wib(day.year, day.month, day.day)


def working_day_after(calendar: WorkingCalendar, day: date, days: int = 1) -> date:
    return calendar.add_working_days(day, days)


async def objected(desk: Desk, received: date) -> tuple[RequestRecord, date]:
    """A request refused the next working day and objected to the day after."""
    calendar = desk.services.calendar
    record = await online(desk, at(received))
    refused_on = working_day_after(calendar, received)
    await refuse(desk, record.request.id, at(refused_on))
    objected_on = working_day_after(calendar, refused_on)
    await object_to(
        desk, record.request.id, at(objected_on), reason="Data agregat tidak memuat data pribadi."
    )
    return record, objected_on


async def ordered_by_the_commission(desk: Desk, decided_on: date) -> RequestRecord:
    """Refused, objection rejected, dispute filed, and settled by a mediation agreement to
    give the information: final at once, so its 10 working days run from `decided_on` (an
    adjudication decision falls due only after the court window, Pasal 48(1))."""
    services, calendar = desk.services, desk.services.calendar
    record, objected_on = await objected(desk, decided_on - timedelta(days=40))
    answered_on = working_day_after(calendar, objected_on)
    await rule_on_objection(
        desk, record.request.id, "REJECTED", at(answered_on), answer="Tetap dikecualikan."
    )
    disputed_on = working_day_after(calendar, answered_on)
    await record_dispute(
        services, desk.officer, record.request.id, filed_on=disputed_on, now=at(disputed_on)
    )
    return await record_dispute_outcome(
        services,
        desk.officer,
        record.request.id,
        outcome="MEDIATION_AGREED",
        decided_on=decided_on,
        now=at(decided_on),
    )


async def test_the_officer_is_reminded_to_give_what_the_commission_or_the_superior_ordered(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    calendar, today = mail_services.calendar, regency_today()
    # the Commission's order: 10 working days to give, 3 of them left today
    decided_on = filed_on_for(calendar, Clocks.FULFILMENT.working_days, 3, today)
    commission = await ordered_by_the_commission(desk, decided_on)
    # the superior upheld the objection today and set tomorrow's working day as the date
    upheld, _ = await objected(desk, today - timedelta(days=20))
    await rule_on_objection(
        desk,
        upheld.request.id,
        "UPHELD",
        utcnow(),
        answer="Informasi harus diberikan.",
        fulfil_by=working_day_after(calendar, today),
    )

    assert await scan_reminders(mail_services) == 2  # one officer, two duties to give
    assert await scan_reminders(mail_services) == 0  # each reminder once
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()
    reminders = catcher.messages(SUBJECT)
    by_number = {mail.subject.split("]")[0].lstrip("["): mail for mail in reminders}
    assert set(by_number) == {
        commission.request.registration_number,
        upheld.request.registration_number,
    }
    assert all(mail.recipients == ("ppid@kab.go.id",) for mail in reminders)
    assert "sisa 3 hari kerja" in by_number[commission.request.registration_number].part("plain")
    one_day = by_number[upheld.request.registration_number]
    assert "sisa 1 hari kerja" in one_day.part("plain")
    assert "1 working day(s) left" in one_day.part("plain")
    assert one_day.subject.endswith(
        "Pengingat tenggat pemberian informasi / Reminder: information to be given"
    )


async def test_an_overdue_order_is_reminded_once_and_a_recorded_delivery_ends_the_reminders(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    calendar, today = mail_services.calendar, regency_today()
    late_from = filed_on_for(calendar, Clocks.FULFILMENT.working_days, 3, today)
    late_from -= timedelta(days=14)  # its 10 working days ran out about a week ago
    late = await ordered_by_the_commission(desk, late_from)
    given = await ordered_by_the_commission(
        desk, filed_on_for(calendar, Clocks.FULFILMENT.working_days, 1, today)
    )
    await record_fulfilment(
        mail_services,
        desk.officer,
        given.request.id,
        delivered_on=today,
        form="SOFT_COPY",
    )
    assert await scan_reminders(mail_services) == 1  # the delivered one: nothing to remind
    assert await scan_reminders(mail_services) == 0
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()
    (reminder,) = catcher.messages(SUBJECT)
    assert reminder.subject.startswith(f"[{late.request.registration_number}]")
    assert "TERLAMBAT" in reminder.part("plain") and "OVERDUE" in reminder.part("plain")


async def test_the_superior_is_told_once_when_an_objection_answer_is_overdue(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    record = await objection_due_in(desk, -2)  # overdue by two working days
    assert await scan_reminders(mail_services) == 2  # the notice (officer), the answer (superior)
    assert await scan_reminders(mail_services) == 0
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()
    (superior,) = [
        m for m in catcher.messages("Pengingat") if m.recipients == ("atasan@kab.go.id",)
    ]
    assert superior.subject.startswith(f"[{record.request.registration_number}] Pengingat tenggat")
    assert "TERLAMBAT: tanggapan atas keberatan" in superior.part("plain")
