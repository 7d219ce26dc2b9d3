"""What is due, for whom, until when, as the API gives it: `InformationRequest.dueWindows`
(from `information_requests.due`) and `workingCalendarYear` (provisional years, holiday names
in both languages)."""

from __future__ import annotations

from datetime import date, timedelta

import strawberry

from opendata.calendar import WorkingCalendar
from opendata.copying import copied
from opendata.errors import BadUserInput
from opendata.information_requests.due import DueWindow
from opendata.schema.enums import ExpectedParty, RequestClockKind


@strawberry.type(name="DueWindow")
class DueWindowType:
    kind: RequestClockKind
    party: ExpectedParty
    due_on: date = strawberry.field(description="The last day (regency time) to act.")
    duty: bool = strawberry.field(
        description="True: a duty, overdue once missed; false: a right, which simply closes."
    )
    working_days_left: int = strawberry.field(
        description="0 on the due day, negative when overdue."
    )
    overdue: bool
    provisional: bool = strawberry.field(
        description="The window crosses a year with no joint decree (SKB) on national "
        "holidays and cuti bersama entered: the date may still move."
    )
    article: str
    label_id: str
    label_en: str
    objection_number: str | None = strawberry.field(
        description="The objection the window concerns, by its register number."
    )
    derived_from: RequestClockKind | None = strawberry.field(
        description="The lapsed duty that opened this window (the superior's silence opens "
        "the requester's way to the Commission)."
    )

    @classmethod
    def from_domain(cls, window: DueWindow) -> DueWindowType:
        label_id, label_en = window.label
        return copied(cls, window, duty=window.is_duty, label_id=label_id, label_en=label_en)


@strawberry.type
class Holiday:
    date: date
    name_id: str
    name_en: str


@strawberry.type
class WorkingCalendarYear:
    year: int
    provisional: bool = strawberry.field(
        description="No joint decree (SKB) entered for the year: its dates are estimates."
    )
    decree: str | None = strawberry.field(description="The SKB entered for the year.")
    holidays: list[Holiday] = strawberry.field(
        description="Weekday holidays and cuti bersama, with regional overrides."
    )

    @classmethod
    def of(cls, calendar: WorkingCalendar, year: int) -> WorkingCalendarYear:
        first = date(year, 1, 1)
        days = (first + timedelta(days=n) for n in range((date(year, 12, 31) - first).days + 1))
        holidays = [
            Holiday(date=day, name_id=names[0], name_en=names[1])
            for day in days
            if day.weekday() < 5 and (names := calendar.holiday_names(day))
        ]
        return cls(
            year=year,
            provisional=calendar.is_provisional(year),
            decree=calendar.decreed.get(year),
            holidays=holidays,
        )


def checked_year(year: int) -> int:
    if not 1900 <= year <= 2200:
        raise BadUserInput(
            "Tahun harus antara 1900 dan 2200.",
            "The year must be between 1900 and 2200.",
            field="year",
        )
    return year
