"""A request's statutory clocks: starting and stopping them, and what the register shows now.

Each clock is a row (`RequestClock`): who must act, counted from which day, until when. The
steps start and stop them as `lifecycle.STEPS` says; the register shows the most urgent
running duty, or else the requester's open window. The requester's own windows (objection,
dispute, court) are rights, not duties: once one closes, nobody is overdue. When the
superior's 30 days run out unanswered, the requester's 14 days to go to the Commission run
from then (Pasal 37(2)), and that window is what the register shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from opendata.calendar import WorkingCalendar, is_past, regency_date
from opendata.information_requests.models import InformationRequest, RequestClock
from opendata.information_requests.rules import CLOCK_RULES, ClockKind, Clocks, Party

# Working days left at which a duty is "due soon": the officer's queue marks it and the
# first reminder mail goes out (`mail.reminders`).
FIRST_REMINDER = 3
# Parties whose missed deadline is a breach (shown as overdue); the requester's are rights.
DUTY_BEARERS = (Party.OFFICER, Party.SUPERIOR, Party.COMMISSION)
# Duty clocks that stay overdue once missed; the superior's lapses into the dispute window.
OVERDUE_KINDS = tuple(
    kind
    for kind, rule in CLOCK_RULES.items()
    if rule.is_duty and kind is not ClockKind.OBJECTION_ANSWER
)

__all__ = ["DUTY_BEARERS", "FIRST_REMINDER", "OVERDUE_KINDS", "Party"]


def new_clock(
    request_id: int,
    kind: ClockKind,
    started_on: date,
    calendar: WorkingCalendar,
    *,
    objection_id: int | None = None,
    fixed_due_on: date | None = None,
) -> RequestClock:
    """A clock counted from the day after `started_on` (kip-rules §1), or ending on a date a
    decision set (`fixed_due_on`, never recomputed)."""
    rule = CLOCK_RULES[kind]
    days = rule.clock.working_days
    return RequestClock(
        request_id=request_id,
        kind=kind.value,
        party=rule.party.value,
        objection_id=objection_id,
        started_on=started_on,
        working_days=days,
        due_on=fixed_due_on or calendar.add_working_days(started_on, days),
        fixed=fixed_due_on is not None,
        stopped_at=None,
    )


def running(clocks: Iterable[RequestClock], kind: ClockKind | None = None) -> list[RequestClock]:
    return [
        clock
        for clock in clocks
        if clock.stopped_at is None and (kind is None or clock.kind == kind.value)
    ]


def counted_due_on(clock: RequestClock, calendar: WorkingCalendar) -> date:
    """The due date on `calendar`; a requester's window never shrinks below what was shown."""
    if clock.fixed:
        return clock.due_on
    counted = calendar.add_working_days(clock.started_on, clock.working_days)
    if not CLOCK_RULES[ClockKind(clock.kind)].is_duty:
        return max(counted, clock.due_on)
    return counted


@dataclass(frozen=True)
class DeadlineView:
    """What `dueOn`, `workingDaysLeft`, `overdue` and `expectedParty` show now."""

    party: Party | None
    due_on: date | None
    working_days_left: int | None
    overdue: bool


NO_DEADLINE = DeadlineView(None, None, None, False)


def lapsed_objection_window(objection_due_on: date, calendar: WorkingCalendar) -> date:
    """The last day to go to the Commission when the superior did not answer (Pasal 37(2))."""
    return calendar.add_working_days(objection_due_on, Clocks.DISPUTE_FILING.working_days)


def current_deadline(
    clocks: Iterable[RequestClock], calendar: WorkingCalendar, now: datetime
) -> DeadlineView:
    """The most urgent running duty; else the requester's window closing first; else none."""
    duties: list[tuple[date, Party]] = []
    rights: list[tuple[date, Party]] = []
    for clock in running(clocks):
        kind = ClockKind(clock.kind)
        if kind is ClockKind.OBJECTION_ANSWER and is_past(clock.due_on, now):
            rights.append((lapsed_objection_window(clock.due_on, calendar), Party.REQUESTER))
        elif CLOCK_RULES[kind].is_duty:
            duties.append((clock.due_on, Party(clock.party)))
        elif not is_past(clock.due_on, now):
            rights.append((clock.due_on, Party(clock.party)))
    rights = [(due_on, party) for due_on, party in rights if not is_past(due_on, now)]
    chosen = min(duties) if duties else min(rights) if rights else None
    if chosen is None:
        return NO_DEADLINE
    due_on, party = chosen
    return deadline_view(due_on, party.value, calendar, now)


def deadline_view(
    due_on: date | None, due_party: str | None, calendar: WorkingCalendar, now: datetime
) -> DeadlineView:
    """0 working days left on the due day, negative once overdue (at least -1)."""
    if due_on is None or due_party is None:
        return NO_DEADLINE
    party = Party(due_party)
    passed = is_past(due_on, now)
    if passed and party not in DUTY_BEARERS:
        # the requester's window closed: nobody is expected to act any more
        return NO_DEADLINE
    return DeadlineView(party, due_on, days_left(due_on, calendar, now), passed)


def days_left(due_on: date, calendar: WorkingCalendar, now: datetime) -> int:
    """Working days left until `due_on`: 0 on the due day, negative once past (at least -1)."""
    today = regency_date(now)
    if is_past(due_on, now):
        return -max(1, calendar.working_days_between(due_on, today))
    return calendar.working_days_between(today, due_on)


def mirror_deadline(
    request: InformationRequest,
    clocks: Iterable[RequestClock],
    calendar: WorkingCalendar,
    now: datetime,
) -> None:
    """Keep the request's `due_on`/`due_party` columns (sorting, older readers) in step."""
    shown = current_deadline(clocks, calendar, now)
    request.due_party = shown.party.value if shown.party else None
    request.due_on = shown.due_on
