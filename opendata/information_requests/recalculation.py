"""A calendar that changes after the fact: recompute every running clock on the new calendar.

A cuti bersama decree or a regional holiday often arrives after requests are filed. Every
running clock is counted again from its start on the new calendar, the change is written in
the request's timeline, and a requester's window never becomes shorter than what they were
already shown (cf. mysociety/alaveteli#7292). Closed windows and stopped clocks are history
and stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from opendata.calendar import WorkingCalendar, is_past
from opendata.information_requests.deadlines import counted_due_on, mirror_deadline, running
from opendata.information_requests.models import InformationRequest, Objection, RequestClock
from opendata.information_requests.rules import CLOCK_RULES, ClockKind
from opendata.information_requests.skeleton import append_event, checked_now, load_record
from opendata.parts import HoldsCalendar

CALENDAR_CHANGE = "CALENDAR_CHANGE"  # the timeline entry's action


@dataclass(frozen=True)
class MovedDeadline:
    registration_number: str
    kind: ClockKind
    before: date
    after: date


async def apply_calendar(
    services: HoldsCalendar, calendar: WorkingCalendar, *, now: datetime | None = None
) -> list[MovedDeadline]:
    """Adopt `calendar` and move every running deadline it changes, in one transaction."""
    moment = checked_now(now)
    moved: list[MovedDeadline] = []
    async with services.database.write() as session:
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
                detail={
                    "moved": [
                        {
                            "clock": change.kind.value,
                            "from": change.before.isoformat(),
                            "to": change.after.isoformat(),
                        }
                        for change in changes
                    ]
                },
            )
            moved += changes
    services.calendar = calendar
    return moved


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
    moved = "; ".join(
        f"{change.kind.value}: {change.before.isoformat()} -> {change.after.isoformat()}"
        for change in changes
    )
    return (
        "Kalender hari kerja berubah (libur/cuti bersama); batas waktu dihitung ulang / "
        f"The working-day calendar changed (holiday or collective leave); deadlines recomputed: "
        f"{moved}"
    )
