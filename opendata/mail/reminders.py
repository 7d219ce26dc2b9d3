"""Deadline reminders to the party that must act: 3 and 1 working days left, and overdue.

The scan reads the running statutory clocks the requests keep (`RequestClock`) and writes one
job per reminder and recipient with a dedupe key, so each reminder goes out once
however many servers scan and however often. A server that was down on the day of the
3-day reminder sends it with 2 left; the 1-day one covers 1 and 0.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.calendar import WorkingCalendar, regency_date
from opendata.calendar_store import refresh_calendar
from opendata.db.base import utcnow
from opendata.information_requests.deadlines import FIRST_REMINDER, DeadlineView, deadline_view
from opendata.information_requests.mail_catalog import TEMPLATES
from opendata.information_requests.mails import base_context, enqueue_mail
from opendata.information_requests.models import InformationRequest, RequestClock
from opendata.information_requests.recipients import recipients
from opendata.information_requests.rules import ClockKind
from opendata.parts import HasCalendar

logger = logging.getLogger("opendata.mail.reminders")

# the working days left at which a reminder is due (before the deadline); the first is the
# register's "due soon" rule and lives beside the deadlines
LAST_REMINDER = 1

# the duty clock -> the reminder its party's staff receive. The agency's duties: the notice,
# the superior's answer, and giving the information once an upheld objection or a Commission
# decision orders it (FULFILMENT). The Commission's own clock (COMMISSION_SETTLEMENT) binds
# the Commission, not the agency; the requester's windows are rights, never reminded.
REMINDER_TEMPLATES = {
    ClockKind.NOTICE: "notice_reminder",
    ClockKind.OBJECTION_ANSWER: "objection_reminder",
    ClockKind.FULFILMENT: "fulfilment_reminder",
    # what a GRANTED or PARTIALLY_GRANTED notice gave, not yet delivered (ground e when missed)
    ClockKind.DELIVERY: "delivery_reminder",
}


class ReminderStage(StrEnum):
    THREE_DAYS = "3_DAYS"
    ONE_DAY = "1_DAY"
    OVERDUE = "OVERDUE"


def reminder_stage(working_days_left: int, overdue: bool) -> ReminderStage | None:
    if overdue:
        return ReminderStage.OVERDUE
    if working_days_left <= LAST_REMINDER:
        return ReminderStage.ONE_DAY
    if working_days_left <= FIRST_REMINDER:
        return ReminderStage.THREE_DAYS
    return None


async def reminder_context(
    session: AsyncSession, request: InformationRequest, deadline: DeadlineView
) -> dict[str, Any]:
    context = await base_context(session, request)
    context.update(
        due_on=deadline.due_on.isoformat() if deadline.due_on else "",
        working_days_left=deadline.working_days_left,
        overdue=deadline.overdue,
    )
    return context


async def scan_reminders(services: HasCalendar, *, now: datetime | None = None) -> int:
    """Queue every reminder now due and not yet queued; the number queued."""
    now = now or utcnow()
    calendar: WorkingCalendar = await refresh_calendar(services)  # as every server now counts
    horizon = calendar.add_working_days(regency_date(now), FIRST_REMINDER)
    queued = 0
    async with services.database.write() as session:
        rows = await session.execute(
            select(RequestClock, InformationRequest)
            .join(InformationRequest, InformationRequest.id == RequestClock.request_id)
            .where(
                RequestClock.stopped_at.is_(None),
                RequestClock.kind.in_([kind.value for kind in REMINDER_TEMPLATES]),
                RequestClock.due_on <= horizon,
            )
            .order_by(RequestClock.due_on, RequestClock.id)
        )
        for clock, request in list(rows):
            deadline = deadline_view(clock.due_on, clock.party, calendar, now)
            if deadline.working_days_left is None:
                continue
            stage = reminder_stage(deadline.working_days_left, deadline.overdue)
            if stage is None:
                continue
            key = REMINDER_TEMPLATES[ClockKind(clock.kind)]
            context = await reminder_context(session, request, deadline)
            dedupe = f"reminder:{clock.id}:{clock.due_on}:{stage}"
            for address in await recipients(session, request, TEMPLATES[key].audiences):
                if await enqueue_mail(
                    session, key, address, context, dedupe_key=f"{dedupe}:{address}"
                ):
                    queued += 1
    if queued:
        logger.info("reminder scan: %d reminders queued", queued)
    return queued
