"""What is due, for whom, until when: every open window of a request, read from its clocks.

One function over the running clocks (`RequestClock` rows, kept right by every step and every
calendar change) and `rules.CLOCK_RULES`, so a new clock shows on every page, in the API, the
queue and the mails without code here. Besides the clocks it derives the windows the statute
opens when a duty lapses: when the superior's 30 working days run out unanswered, the
requester may go to the Commission within 14 working days (Pasal 37(2)), and that right is
shown beside the superior's missed duty, never hidden by it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from opendata.calendar import WorkingCalendar, is_past, regency_date
from opendata.information_requests.deadlines import days_left
from opendata.information_requests.models import Objection, RequestClock
from opendata.information_requests.rules import CLOCK_RULES, ClockKind, Party

# A duty that lapses opens the requester's window in its place (the window's day 1 is the
# first working day after the missed due day).
LAPSES_INTO: dict[ClockKind, ClockKind] = {
    ClockKind.OBJECTION_ANSWER: ClockKind.DISPUTE_FILING,  # Pasal 37(2)
}

PARTY_LABELS: dict[Party, tuple[str, str]] = {
    Party.OFFICER: ("PPID", "The information officer (PPID)"),
    Party.REQUESTER: ("Pemohon", "The requester"),
    Party.SUPERIOR: ("Atasan PPID", "The PPID's superior"),
    Party.COMMISSION: ("Komisi Informasi", "The Information Commission"),
    Party.EITHER: ("Pemohon atau badan publik", "The requester or the public body"),
}
# a duty is overdue once missed; a right simply closes
DUTY_LABELS = {True: ("Kewajiban", "Duty"), False: ("Hak", "Right")}


@dataclass(frozen=True)
class DueWindow:
    """One open window: who must (a duty) or may (a right) act, until which day, and why."""

    kind: ClockKind
    party: Party
    due_on: date
    is_duty: bool
    working_days_left: int  # 0 on the due day; negative once a duty is overdue
    overdue: bool
    # the window's year(s) have no SKB entered yet: the date may still move
    provisional: bool
    # the objection it concerns, by its register number (None: the request as a whole)
    objection_number: str | None = None
    # opened by a lapsed duty (e.g. the superior's silence), not by a step
    derived_from: ClockKind | None = None

    @property
    def article(self) -> str:
        return str(CLOCK_RULES[self.kind].clock.article)

    @property
    def label(self) -> tuple[str, str]:
        clock = CLOCK_RULES[self.kind].clock
        return clock.label_id, clock.label_en

    @property
    def party_label(self) -> tuple[str, str]:
        return PARTY_LABELS[self.party]

    @property
    def duty_label(self) -> tuple[str, str]:
        return DUTY_LABELS[self.is_duty]


def open_windows(
    clocks: Iterable[RequestClock],
    objections: Iterable[Objection],
    calendar: WorkingCalendar,
    now: datetime,
) -> list[DueWindow]:
    """Every open window of a request, soonest first: running duties (overdue ones stay, a
    breach is shown), rights not yet closed, and the rights a lapsed duty opened."""
    numbers = {objection.id: objection.registration_number for objection in objections}
    found: list[DueWindow] = []
    for clock in clocks:
        if clock.stopped_at is not None:
            continue
        kind = ClockKind(clock.kind)
        number = numbers.get(clock.objection_id) if clock.objection_id else None
        window = window_of(kind, Party(clock.party), clock.started_on, clock.due_on, calendar, now)
        if window is not None:
            found.append(replace(window, objection_number=number))
        follows = LAPSES_INTO.get(kind)
        if follows is not None and is_past(clock.due_on, now):
            lapsed_due = calendar.add_working_days(
                clock.due_on, CLOCK_RULES[follows].clock.working_days
            )
            derived = window_of(
                follows, CLOCK_RULES[follows].party, clock.due_on, lapsed_due, calendar, now
            )
            if derived is not None:
                found.append(replace(derived, objection_number=number, derived_from=kind))
    return sorted(found, key=lambda w: (w.due_on, not w.is_duty, w.kind.value))


def window_of(
    kind: ClockKind,
    party: Party,
    started_on: date,
    due_on: date,
    calendar: WorkingCalendar,
    now: datetime,
) -> DueWindow | None:
    """One clock's window now; None once a right has closed (nobody is overdue on a right)."""
    is_duty = CLOCK_RULES[kind].is_duty
    passed = is_past(due_on, now)
    if passed and not is_duty:
        return None
    years = range(min(started_on.year, regency_date(now).year), due_on.year + 1)
    return DueWindow(
        kind=kind,
        party=party,
        due_on=due_on,
        is_duty=is_duty,
        working_days_left=days_left(due_on, calendar, now),
        overdue=passed,
        provisional=any(calendar.is_provisional(year) for year in years),
    )


def mail_windows(windows: Iterable[DueWindow]) -> list[dict[str, str | bool | None]]:
    """The windows as a mail job's plain JSON: a mail that states deadlines states these."""
    return [
        {
            "party_id": w.party_label[0],
            "party_en": w.party_label[1],
            "duty": w.is_duty,
            "duty_id": w.duty_label[0],
            "duty_en": w.duty_label[1],
            "label_id": w.label[0],
            "label_en": w.label[1],
            "article": w.article,
            "due_on": w.due_on.isoformat(),
            "objection_number": w.objection_number,
            "provisional": w.provisional,
        }
        for w in windows
    ]
