"""A calendar that changes after the fact: recompute every running clock on the new calendar.

A cuti bersama decree or a regional holiday often arrives after requests are filed. Changing
the calendar (`change_calendar`, or `apply_calendar` for a whole override file) stores it
for every server (`calendar_store`) and, in that same transaction, counts every running clock
again from its start on the new calendar, writes the change in the request's timeline and
queues a mail to the requester. A requester's window never becomes shorter than what they
were already shown (cf. mysociety/alaveteli#7292). Closed windows and stopped clocks are
history and stay as they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.calendar import WorkingCalendar, is_past
from opendata.calendar_store import read_calendar, stored_version, write_calendar
from opendata.date_words import date_en, tanggal
from opendata.information_requests.deadlines import counted_due_on, mirror_deadline, running
from opendata.information_requests.due import mail_windows, open_windows
from opendata.information_requests.mail_catalog import TEMPLATES
from opendata.information_requests.mails import base_context, enqueue_mail
from opendata.information_requests.models import InformationRequest, Objection, RequestClock
from opendata.information_requests.recipients import recipients
from opendata.information_requests.rules import CLOCK_RULES, ClockKind
from opendata.information_requests.skeleton import append_event, checked_now, load_record
from opendata.parts import HasCalendar

CALENDAR_CHANGE = "CALENDAR_CHANGE"  # the timeline entry's action
CALENDAR_CHANGE_LABEL = ("Perubahan kalender hari kerja", "Working calendar changed")
CALENDAR_CHANGE_MAIL = "calendar_change"


@dataclass(frozen=True)
class MovedDeadline:
    registration_number: str
    kind: ClockKind
    before: date
    after: date


@dataclass(frozen=True)
class CalendarChange:
    """One decision about the calendar: days off added, holidays given back as working days,
    overrides dropped (the national calendar stands again), years whose SKB is entered."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    working_days: frozenset[date] = frozenset()
    dropped: frozenset[date] = frozenset()
    decreed: Mapping[int, str] = field(default_factory=dict)

    def applied_to(self, calendar: WorkingCalendar) -> WorkingCalendar:
        gone = self.dropped | self.working_days | set(self.holidays)
        added = {d: n for d, n in calendar.added_days.items() if d not in gone}
        removed = {d for d in calendar.removed_days if d not in gone}
        return WorkingCalendar(
            added_days=added | dict(self.holidays),
            removed_days=removed | self.working_days,
            decreed=dict(calendar.decreed) | dict(self.decreed),
        )


async def change_calendar(
    services: HasCalendar, change: CalendarChange, *, now: datetime | None = None
) -> list[MovedDeadline]:
    """Change the stored calendar and move every running deadline, in one transaction."""
    moment = checked_now(now)
    async with services.database.write() as session:
        version = await stored_version(session)
        current = await read_calendar(session, version) if version else services.calendar
        calendar = change.applied_to(current)
        moved = await _adopt(session, calendar, moment)
    services.calendar = calendar
    return moved


async def apply_calendar(
    services: HasCalendar, calendar: WorkingCalendar, *, now: datetime | None = None
) -> list[MovedDeadline]:
    """Adopt `calendar` whole (an override file) and move every running deadline it changes,
    in one transaction."""
    moment = checked_now(now)
    async with services.database.write() as session:
        moved = await _adopt(session, calendar, moment)
    services.calendar = calendar
    return moved


async def _adopt(
    session: AsyncSession, calendar: WorkingCalendar, moment: datetime
) -> list[MovedDeadline]:
    await write_calendar(session, calendar, moment)
    moved: list[MovedDeadline] = []
    request_ids = sorted(
        set(
            (
                await session.execute(
                    select(RequestClock.request_id).where(RequestClock.stopped_at.is_(None))
                )
            ).scalars()
        )
    )
    for request_id in request_ids:
        record = await load_record(session, request_id, lock=True)
        changes: list[MovedDeadline] = []
        for clock in running(record.clocks):
            kind = ClockKind(clock.kind)
            if not CLOCK_RULES[kind].is_duty and is_past(clock.due_on, moment):
                continue  # a closed window stays closed
            after = counted_due_on(clock, calendar)
            if after == clock.due_on:
                continue
            changes.append(
                MovedDeadline(record.request.registration_number, kind, clock.due_on, after)
            )
            clock.due_on = after
            _mirror_clock(record.request, record.objections, clock)
        if not changes:
            continue
        mirror_deadline(record.request, record.clocks, calendar, moment)
        await append_event(
            session,
            record,
            action=CALENDAR_CHANGE,
            status=record.request.status,
            at=moment,
            viewer=None,
            note=_note(changes),
            detail={"moved": [_moved_detail(change) for change in changes]},
        )
        windows = open_windows(record.clocks, record.objections, calendar, moment)
        await _tell_requester(session, record.request, changes, mail_windows(windows))
        moved += changes
    return moved


async def _tell_requester(
    session: AsyncSession,
    request: InformationRequest,
    changes: list[MovedDeadline],
    windows: list[dict[str, str | bool | None]],
) -> None:
    """The calendar-change mail, queued in the change's transaction (none without an e-mail):
    what moved, and every window open now."""
    context = await base_context(session, request)
    context["moved"] = [_moved_detail(change) | _clock_words(change.kind) for change in changes]
    context["windows"] = windows
    for address in await recipients(session, request, TEMPLATES[CALENDAR_CHANGE_MAIL].audiences):
        await enqueue_mail(session, CALENDAR_CHANGE_MAIL, address, context)


def _moved_detail(change: MovedDeadline) -> dict[str, str]:
    return {
        "clock": change.kind.value,
        "from": change.before.isoformat(),
        "to": change.after.isoformat(),
    }


def _clock_words(kind: ClockKind) -> dict[str, str]:
    clock = CLOCK_RULES[kind].clock
    return {"label_id": clock.label_id, "label_en": clock.label_en, "article": str(clock.article)}


def moved_of(detail: Mapping[str, object]) -> list[tuple[tuple[str, str], date, date]]:
    """A calendar change's timeline entry as (clock labels, from, to), for the pages."""
    entries = detail.get("moved")
    found: list[tuple[tuple[str, str], date, date]] = []
    for entry in entries if isinstance(entries, list) else []:
        clock = CLOCK_RULES[ClockKind(entry["clock"])].clock
        before, after = date.fromisoformat(entry["from"]), date.fromisoformat(entry["to"])
        found.append(((clock.label_id, clock.label_en), before, after))
    return found


def _mirror_clock(
    request: InformationRequest, objections: list[Objection], clock: RequestClock
) -> None:
    """The columns that repeat a clock's date for the register (notice, objection)."""
    if clock.kind == ClockKind.NOTICE.value:
        request.answer_due_on = clock.due_on
    elif clock.kind == ClockKind.OBJECTION_ANSWER.value:
        for objection in objections:
            if objection.id == clock.objection_id:
                objection.due_on = clock.due_on


def _note(changes: list[MovedDeadline]) -> str:
    """The entry in words and dates, in both languages (the API shows the note as it is)."""
    moved_id = "; ".join(
        f"{CLOCK_RULES[c.kind].clock.label_id}: dari {tanggal(c.before.isoformat())} "
        f"menjadi {tanggal(c.after.isoformat())}"
        for c in changes
    )
    moved_en = "; ".join(
        f"{CLOCK_RULES[c.kind].clock.label_en}: from {date_en(c.before.isoformat())} "
        f"to {date_en(c.after.isoformat())}"
        for c in changes
    )
    return (
        f"Kalender hari kerja berubah (hari libur atau cuti bersama); batas waktu bergeser. "
        f"{moved_id}. / The working calendar changed (a holiday or collective leave); "
        f"deadlines moved. {moved_en}."
    )
