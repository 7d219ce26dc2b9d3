"""Working days (hari kerja) on the official calendar, counted in regency time (kip-rules §1).

National holidays and cuti bersama come from the `holidays` package; a local YAML file in the
data folder adds regional holidays and late government decisions, or removes a day:

    add:
      - date: 2026-08-17
        name: Hari jadi kabupaten
    remove:
      - 2026-12-24
    decreed:
      2027: SKB Menteri Agama, Menteri Ketenagakerjaan, Menteri PANRB tentang libur 2027

A year whose national dates are still estimates and whose SKB (the joint decree on national
holidays and cuti bersama) is not entered as `decreed` is provisional: deadlines in it are
shown as such, never silently as final. In a running service the overrides live in the
database (`calendar_store`), so every server counts on the same calendar.
"""

from __future__ import annotations

import functools
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
    # years whose SKB is entered (year -> the decree's reference): their dates are final
    decreed: dict[int, str] = field(default_factory=dict)
    # the stored calendar's version this was read at (`calendar_store`); 0: never stored
    version: int = 0
    _national: holidays.HolidayBase = field(
        default_factory=lambda: _national_holidays("en_US"), repr=False
    )
    _national_id: holidays.HolidayBase = field(
        default_factory=lambda: _national_holidays("id"), repr=False
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
        if not isinstance(raw, dict) or set(raw) - {"add", "remove", "decreed"}:
            raise CalendarOverridesError(
                f"{source}: expected a mapping with `add`, `remove` and `decreed`"
            )
        added: dict[date, str] = {}
        for entry in raw.get("add") or []:
            if isinstance(entry, dict):
                added[_as_date(entry.get("date"), source)] = str(entry.get("name") or "")
            else:
                added[_as_date(entry, source)] = ""
        removed = {_as_date(entry, source) for entry in raw.get("remove") or []}
        decreed = raw.get("decreed") or {}
        if not isinstance(decreed, dict) or not all(isinstance(y, int) for y in decreed):
            raise CalendarOverridesError(f"{source}: `decreed` maps a year to its decree")
        return cls(
            added_days=added,
            removed_days=removed,
            decreed={year: str(reference) for year, reference in decreed.items()},
        )

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday on `day`, or None on an ordinary day (weekends included)."""
        names = self.holiday_names(day)
        return names[1] if names else None

    def holiday_names(self, day: date) -> tuple[str, str] | None:
        """The holiday on `day` in Indonesian and English, or None on an ordinary day."""
        if day in self.removed_days:
            return None
        if day in self.added_days:
            name = self.added_days[day]
            return (name, name) if name else REGIONAL_HOLIDAY
        name_en = self._national.get(day)
        if not name_en:
            return None
        name_id = str(self._national_id.get(day) or name_en)
        if day.year in self.decreed:  # the decree fixed the date: no longer an estimate
            return _without_estimate(name_id), _without_estimate(str(name_en))
        return name_id, str(name_en)

    def is_provisional(self, year: int) -> bool:
        """Whether `year`'s national dates are still estimates with no SKB entered: deadlines
        in it may move when the decree comes (and will, by `calendar_store`)."""
        if year in self.decreed:
            return False
        return _has_estimates(year)

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


REGIONAL_HOLIDAY = ("Libur daerah", "Regional holiday")
# how the `holidays` package marks a date computed ahead of the decree ("perkiraan" in Indonesian)
ESTIMATE_MARK = "(estimated)"
_ESTIMATE_MARKS = (" (estimated)", " (perkiraan)")


def _national_holidays(language: str, year: int | None = None) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "ID", categories=("public", "government"), language=language, years=year
    )


@functools.cache
def _has_estimates(year: int) -> bool:
    return any(ESTIMATE_MARK in str(name) for name in _national_holidays("en_US", year).values())


def _without_estimate(name: str) -> str:
    for mark in _ESTIMATE_MARKS:
        name = name.replace(mark, "")
    return name


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
