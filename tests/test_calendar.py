"""Working days on the official calendar (kip-rules §1), on real dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from opendata.calendar import (
    CalendarOverridesError,
    WorkingCalendar,
    end_of_day,
    is_past,
    regency_date,
)
from opendata.config import Settings

calendar = WorkingCalendar()


def test_day_of_receipt_not_counted_around_nyepi_and_idul_fitri_2026() -> None:
    # received Mon 16 March 2026; 17 March is day 1; 18-24 March are Nyepi, cuti bersama,
    # Idul Fitri and a weekend; Good Friday 3 April; so day 10 is Tue 7 April 2026
    assert calendar.add_working_days(date(2026, 3, 16), 1) == date(2026, 3, 17)
    assert calendar.add_working_days(date(2026, 3, 16), 2) == date(2026, 3, 25)
    assert calendar.add_working_days(date(2026, 3, 16), 10) == date(2026, 4, 7)


def test_idul_fitri_2027_and_its_cuti_bersama_are_not_working_days() -> None:
    # Nyepi Mon 8 March 2027, Idul Fitri 10-11 March, cuti bersama 9, 12 and 15 March
    for day in (8, 9, 10, 11, 12, 15):
        assert not calendar.is_working_day(date(2027, 3, day)), day
    # received Fri 5 March 2027: day 1 is Tue 16 March, Good Friday 25-26 March skipped
    assert calendar.add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 16)
    assert calendar.add_working_days(date(2027, 3, 5), 10) == date(2027, 3, 31)


def test_cuti_bersama_counts_as_non_working_day() -> None:
    assert not calendar.is_working_day(date(2026, 3, 18))  # cuti bersama Nyepi
    assert not calendar.is_working_day(date(2026, 3, 24))  # cuti bersama Idul Fitri
    assert not calendar.is_working_day(date(2026, 12, 24))  # cuti bersama Natal


def test_weekends_are_not_working_days() -> None:
    assert not calendar.is_working_day(date(2026, 4, 11))  # Saturday
    assert not calendar.is_working_day(date(2026, 4, 12))  # Sunday
    assert calendar.is_working_day(date(2026, 4, 13))


def test_receipt_on_a_holiday_day_one_is_the_first_working_day_after() -> None:
    # Sat 21 March 2026 is Idul Fitri: day 1 is Wed 25 March
    assert calendar.add_working_days(date(2026, 3, 21), 1) == date(2026, 3, 25)


def test_zero_days_is_the_start_and_negative_days_count_backwards() -> None:
    assert calendar.add_working_days(date(2026, 3, 16), 0) == date(2026, 3, 16)
    assert calendar.add_working_days(date(2026, 3, 25), -1) == date(2026, 3, 17)


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert calendar.working_days_between(date(2026, 3, 16), date(2026, 4, 7)) == 10
    assert calendar.working_days_between(date(2026, 4, 7), date(2026, 4, 7)) == 0
    assert calendar.working_days_between(date(2026, 4, 7), date(2026, 3, 16)) == -10


def test_deadline_ends_at_23_59_59_regency_time() -> None:
    assert end_of_day(date(2026, 4, 7)) == datetime(2026, 4, 7, 16, 59, 59, tzinfo=UTC)
    assert not is_past(date(2026, 4, 7), datetime(2026, 4, 7, 16, 59, 59, tzinfo=UTC))
    assert is_past(date(2026, 4, 7), datetime(2026, 4, 7, 17, 0, 0, tzinfo=UTC))


def test_regency_date_of_a_utc_evening_is_the_next_day() -> None:
    assert regency_date(datetime(2026, 3, 16, 18, 0, tzinfo=UTC)) == date(2026, 3, 17)


def test_override_file_adds_a_regional_holiday_and_removes_a_day(tmp_path: Path) -> None:
    overrides = tmp_path / "calendar-overrides.yaml"
    overrides.write_text(
        "add:\n  - date: 2026-04-06\n    name: Hari jadi kabupaten\n  - 2026-04-08\n"
        "remove:\n  - 2026-03-24\n",
        encoding="utf-8",
    )
    local = WorkingCalendar.from_settings(Settings(data_dir=tmp_path).with_overrides())
    assert not local.is_working_day(date(2026, 4, 6))
    assert local.holiday_name(date(2026, 4, 6)) == "Hari jadi kabupaten"
    assert local.is_working_day(date(2026, 3, 24))  # cuti bersama cancelled by decision
    # 17, 24 (restored), 25, 26, 27, 30, 31 March, 1, 2, 7 April (6 and 8 April are regional)
    assert local.add_working_days(date(2026, 3, 16), 10) == date(2026, 4, 7)
    assert local.add_working_days(date(2026, 3, 16), 11) == date(2026, 4, 9)


def test_missing_override_file_means_the_national_calendar(tmp_path: Path) -> None:
    local = WorkingCalendar.from_settings(Settings(data_dir=tmp_path / "none"))
    assert local.add_working_days(date(2026, 3, 16), 10) == date(2026, 4, 7)


@pytest.mark.parametrize(
    "content", ["add: [not-a-date]\n", "- 2026-01-01\n", "add: [\n", "holidays: []\n"]
)
def test_broken_override_file_is_refused(tmp_path: Path, content: str) -> None:
    overrides = tmp_path / "calendar-overrides.yaml"
    overrides.write_text(content, encoding="utf-8")
    with pytest.raises(CalendarOverridesError):
        WorkingCalendar.from_file(overrides)
