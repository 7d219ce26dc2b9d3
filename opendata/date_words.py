"""A day in words, '14 Desember 2026' and '14 December 2026': mails and letters say dates so."""

from __future__ import annotations

from datetime import date

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def tanggal(iso_day: str) -> str:
    """'2026-12-14' -> '14 Desember 2026'."""
    day = date.fromisoformat(iso_day)
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def date_en(iso_day: str) -> str:
    """'2026-12-14' -> '14 December 2026'."""
    day = date.fromisoformat(iso_day)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
