"""Working days (hari kerja) on the official calendar, counted in regency time (kip-rules §1).

National holidays and cuti bersama come from the `holidays` package; a local YAML file in the
data folder adds regional holidays and late government decisions, or removes a day:

    add:
      - date: 2026-08-17
        name: Hari jadi kabupaten
    remove:
      - 2026-12-24
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

import holidays
import yaml

from opendata.errors import BadUserInput
from opendata.regency_time import REGENCY_TZ

# Enough for any statutory window (the longest is 100 working days) and a safety cap on input.
MAX_WORKING_DAYS = 2000


class _HasOverridesFile(Protocol):
    @property
    def calendar_overrides_file(self) -> Path: ...


class CalendarOverridesError(ValueError):
    """The override file cannot be read: the service refuses to start with a wrong calendar."""


@dataclass
class WorkingCalendar:
    """Monday to Friday, minus national holidays, cuti bersama and regional additions."""

    added_days: dict[date, str] = field(default_factory=dict)
    removed_days: set[date] = field(default_factory=set)
    _national: holidays.HolidayBase = field(
        default_factory=lambda: holidays.country_holidays(
            "ID", categories=("public", "government")
        ),
        repr=False,
    )

    @classmethod
    def from_settings(cls, settings: _HasOverridesFile) -> WorkingCalendar:
        return cls.from_file(settings.calendar_overrides_file)

    @classmethod
    def from_file(cls, path: Path) -> WorkingCalendar:
        """The calendar with the overrides in `path`; a missing file means no overrides."""
        if not path.exists():
            return cls()
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise CalendarOverridesError(f"{path}: not valid YAML: {error}") from error
        return cls.from_mapping(raw, source=str(path))

    @classmethod
    def from_mapping(cls, raw: Any, source: str = "overrides") -> WorkingCalendar:
        if not isinstance(raw, dict) or set(raw) - {"add", "remove"}:
            raise CalendarOverridesError(f"{source}: expected a mapping with `add` and `remove`")
        added: dict[date, str] = {}
        for entry in raw.get("add") or []:
            if isinstance(entry, dict):
                added[_as_date(entry.get("date"), source)] = str(entry.get("name") or "")
            else:
                added[_as_date(entry, source)] = ""
        removed = {_as_date(entry, source) for entry in raw.get("remove") or []}
        return cls(added_days=added, removed_days=removed)

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday on `day`, or None on an ordinary day (weekends included)."""
        if day in self.removed_days:
            return None
        if day in self.added_days:
            return self.added_days[day] or "Libur daerah / Regional holiday"
        name = self._national.get(day)
        return str(name) if name else None

    def is_working_day(self, day: date) -> bool:
        if day in self.removed_days:
            return day.weekday() < 5
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_working_days(self, start: date, days: int) -> date:
        """Day `days` counted from `start`: `start` itself is not counted (kip-rules §1).

        Day 1 is the first working day after `start`, whatever `start` is. Negative counts go
        backwards (day -1 is the last working day before `start`); 0 gives `start`.
        """
        if abs(days) > MAX_WORKING_DAYS:
            raise ValueError(f"at most {MAX_WORKING_DAYS} working days")
        step = timedelta(days=1 if days >= 0 else -1)
        current = start
        remaining = abs(days)
        try:
            while remaining:
                current += step
                if self.is_working_day(current):
                    remaining -= 1
        except OverflowError:
            raise BadUserInput(
                "Tanggal di luar kalender (tahun 1 sampai 9999).",
                "The date falls outside the calendar (years 1 to 9999).",
                field="start",
            ) from None
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 for the same day, negative when `end` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def regency_date(moment: datetime) -> date:
    """The calendar date of `moment` in the regency (Asia/Pontianak)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: statutory time needs a timezone")
    return moment.astimezone(REGENCY_TZ).date()


def end_of_day(day: date) -> datetime:
    """23:59:59 regency time on `day`, in UTC: the last moment a deadline on `day` is met."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=REGENCY_TZ).astimezone(UTC)


def is_past(day: date, now: datetime) -> bool:
    """Whether the whole of `day` (regency time) lies before `now`."""
    return regency_date(now) > day


def _as_date(value: Any, source: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarOverridesError(f"{source}: {value!r} is not a date (YYYY-MM-DD)")
