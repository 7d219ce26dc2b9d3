"""How far back an officer may date a request that reached the agency before it was registered.

Our rule (the law leaves it open; kip-rules §2): a walk-in, letter, e-mail or phone request is
registered with the time it really arrived (`receivedAt`, Pasal 22(4): the number is given on
receipt), but that time may lie no earlier than the Monday of the previous working week, and
never in a year whose annual report has already fallen due. Why: paperwork from the front desk
reaches the system within days, and a week covers a weekend, a holiday or a day off; a date
further back would rewrite figures already counted (the PPID's timeliness, the register) and,
past 31 March, a report already given (an officer once registered a 2025 request in 2027).
The real time of registration is always kept beside it (`registered_at`) and shown to staff.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from opendata.calendar import WorkingCalendar, regency_date
from opendata.errors import BadUserInput

# An officer's clock may run a little ahead of ours; a receipt further in the future is a typo.
RECEIPT_CLOCK_SKEW = timedelta(minutes=5)
# The annual report of a year is due by 31 March of the next (Perki 1/2021): month and day.
ANNUAL_REPORT_DUE = (3, 31)
# A week with no working day at all (Idul Fitri and its cuti bersama) is passed over, up to this.
WEEKS_WITHOUT_WORK = 3


def previous_working_week_start(today: date, calendar: WorkingCalendar) -> date:
    """The Monday of the last week before this one that had a working day."""
    monday = today - timedelta(days=today.weekday(), weeks=1)
    for _ in range(WEEKS_WITHOUT_WORK):
        if any(calendar.is_working_day(monday + timedelta(days=day)) for day in range(7)):
            break
        monday -= timedelta(weeks=1)
    return monday


def first_open_reporting_day(today: date) -> date:
    """1 January of the oldest year whose annual report has not yet fallen due."""
    month, day = ANNUAL_REPORT_DUE
    return (
        date(today.year - 1, 1, 1)
        if today <= date(today.year, month, day)
        else date(today.year, 1, 1)
    )


def earliest_receipt(today: date, calendar: WorkingCalendar) -> date:
    """The earliest regency date a request registered `today` may say it was received."""
    return max(previous_working_week_start(today, calendar), first_open_reporting_day(today))


def checked_receipt(given: datetime | None, now: datetime, calendar: WorkingCalendar) -> datetime:
    """`given` (None: now) when it lies within the limit above, else BAD_USER_INPUT."""
    if given is None:
        return now
    if given.tzinfo is None:
        raise BadUserInput(
            "`receivedAt` harus memuat zona waktu.",
            "`receivedAt` must include a time zone offset.",
            field="receivedAt",
        )
    if given > now + RECEIPT_CLOCK_SKEW:
        raise BadUserInput(
            "`receivedAt` tidak boleh di masa depan.",
            "`receivedAt` cannot be in the future.",
            field="receivedAt",
        )
    earliest = earliest_receipt(regency_date(now), calendar)
    if regency_date(given) < earliest:
        raise BadUserInput(
            f"Waktu diterima tidak boleh sebelum {earliest.isoformat()} (awal minggu kerja "
            "sebelumnya, dan tidak pada tahun yang laporannya sudah jatuh tempo). Permohonan "
            "yang lebih lama didaftarkan dengan waktu sekarang.",
            f"The time received cannot be before {earliest.isoformat()} (the start of the "
            "previous working week, and never in a year whose report is already due). Register "
            "an older request as received now.",
            field="receivedAt",
        )
    return given
