"""How a dataset is published (`publicationMode`) and how often it is renewed (`updateFrequency`).

Both are catalogue-format properties (docs/catalog-format.md). The mode is read by the one
visibility policy (`opendata.visibility.policy`): an AGGREGATES dataset never lists or hands
out a row; only grouped figures (with small-cell suppression) leave the service. The
frequency says when a dataset is overdue (`opendata.catalogue.freshness`).
"""

from __future__ import annotations

from enum import StrEnum

from opendata.visibility.policy import PublicationMode

__all__ = ["FREQUENCY_LABELS", "PERIOD_DAYS", "PublicationMode", "UpdateFrequency"]


class UpdateFrequency(StrEnum):
    """The DCAT frequency words a descriptor may declare (IRREGULAR: never overdue)."""

    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    SEMIANNUAL = "SEMIANNUAL"
    ANNUAL = "ANNUAL"
    IRREGULAR = "IRREGULAR"


# Days after the last publication at which a dataset of this frequency is overdue; a month
# or a year is counted at its longest, so a dataset renewed on the same date is never late.
PERIOD_DAYS: dict[UpdateFrequency, int] = {
    UpdateFrequency.DAILY: 1,
    UpdateFrequency.WEEKLY: 7,
    UpdateFrequency.MONTHLY: 31,
    UpdateFrequency.QUARTERLY: 92,
    UpdateFrequency.SEMIANNUAL: 184,
    UpdateFrequency.ANNUAL: 366,
}

FREQUENCY_LABELS: dict[UpdateFrequency, tuple[str, str]] = {
    UpdateFrequency.DAILY: ("Harian", "Daily"),
    UpdateFrequency.WEEKLY: ("Mingguan", "Weekly"),
    UpdateFrequency.MONTHLY: ("Bulanan", "Monthly"),
    UpdateFrequency.QUARTERLY: ("Triwulanan", "Quarterly"),
    UpdateFrequency.SEMIANNUAL: ("Semesteran", "Semiannual"),
    UpdateFrequency.ANNUAL: ("Tahunan", "Annual"),
    UpdateFrequency.IRREGULAR: ("Tidak tetap", "Irregular"),
}
