"""A calendar change tells the requester by mail (issue 20, finding 11): what moved, in
words and dates in both languages, and every window open now, through a real SMTP server."""

from __future__ import annotations

from datetime import date

from opendata.background import JOB_HANDLERS
from opendata.information_requests.recalculation import CalendarChange, change_calendar
from opendata.information_requests.rules import Clocks
from opendata.outbox.worker import Worker
from opendata.services import Services
from tests.information_requests.helpers import make_desk, online, wib
from tests.mail.catcher import MailCatcher


async def test_the_requester_is_told_when_a_holiday_moves_a_deadline(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    record = await online(desk, wib(2026, 12, 7))
    await Worker(mail_services, JOB_HANDLERS).run_until_idle()  # the receipt and its notice
    sent_before = len(catcher.messages())

    await change_calendar(
        mail_services,
        CalendarChange(holidays={date(2026, 12, 18): "Hari Jadi Kabupaten"}),
        now=wib(2026, 12, 8),
    )
    assert await Worker(mail_services, JOB_HANDLERS).run_until_idle() == 1
    (mail,) = catcher.messages()[sent_before:]
    number = record.request.registration_number
    assert mail.recipients == ("wartawan@example.org",)
    assert mail.subject == (
        f"[{number}] Perubahan kalender: batas waktu bergeser / Calendar change: a deadline moved"
    )
    text = mail.part("plain")
    assert "dari 21 Desember 2026 menjadi 22 Desember 2026" in text
    assert "from 21 December 2026 to 22 December 2026" in text
    assert Clocks.NOTICE.label_id in text and str(Clocks.NOTICE.article) in text
    assert "NOTICE" not in text and "->" not in text
