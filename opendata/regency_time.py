"""Regency time: statutory days and exemption expiry are counted in Asia/Pontianak (UTC+7)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

REGENCY_TZ = ZoneInfo("Asia/Pontianak")


def regency_now() -> datetime:
    return datetime.now(REGENCY_TZ)


def regency_today() -> date:
    return regency_now().date()
