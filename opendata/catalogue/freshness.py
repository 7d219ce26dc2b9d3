"""Freshness: which datasets are overdue for an update, per agency.

A dataset declares how often it is renewed (`updateFrequency`); it is overdue when more than
one period (`PERIOD_DAYS`) has passed since its last published modification: the
descriptor's `modified` date, or, where a dataset never said, the day it was first
published. IRREGULAR and undeclared datasets are never overdue (nothing was promised).
The agency page, the dashboard and the steward's page all ask `overdue_by_agency`, so they
agree on what is late.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from opendata.catalogue.publication import FREQUENCY_LABELS, PERIOD_DAYS, UpdateFrequency
from opendata.db.models import Agency, Dataset
from opendata.parts import HasDatabase
from opendata.regency_time import REGENCY_TZ, regency_today


def last_published(dataset: Dataset) -> date:
    """The date of the dataset's last published modification."""
    if dataset.modified is not None:
        return dataset.modified
    return dataset.created_at.astimezone(REGENCY_TZ).date()


def due_on(frequency: str | None, last: date) -> date | None:
    """The last day a dataset published on `last` is still on time; None: no promise."""
    if frequency is None or frequency not in PERIOD_DAYS:
        return None
    return last + timedelta(days=PERIOD_DAYS[UpdateFrequency(frequency)])


def is_overdue(dataset: Dataset, today: date | None = None) -> bool:
    """`Dataset.overdueForUpdate`: past its due day (the due day itself is still on time)."""
    due = due_on(dataset.update_frequency, last_published(dataset))
    return due is not None and (today or regency_today()) > due


@dataclass(frozen=True)
class OverdueDataset:
    """One late dataset: what was promised, when it was last published, how late it is."""

    dataset_id: int
    slug: str
    title: str
    title_en: str | None
    update_frequency: UpdateFrequency
    last_published: date
    due_on: date
    days_overdue: int

    @property
    def frequency_label(self) -> tuple[str, str]:
        """(Indonesian, English) name of the promised frequency."""
        return FREQUENCY_LABELS[self.update_frequency]


@dataclass
class AgencyFreshness:
    """An agency's datasets that declare a frequency, and those of them overdue (most late
    first)."""

    agency_id: int
    slug: str
    name: str
    acronym: str | None = None
    declared: int = 0
    overdue: list[OverdueDataset] = field(default_factory=list)


async def overdue_by_agency(
    parts: HasDatabase,
    *,
    today: date | None = None,
    agency_ids: Collection[int] | None = None,
) -> list[AgencyFreshness]:
    """Per agency (by name) with at least one dataset declaring a frequency, its overdue
    datasets; `agency_ids` narrows it to some agencies (a producer's own, the agency page).

    The one call of the agency page, the dashboard and the steward's page:
    `await overdue_by_agency(current.services)` lists every agency."""
    today = today or regency_today()
    statement = (
        select(Dataset, Agency)
        .join(Agency, Agency.id == Dataset.agency_id)
        .where(
            Dataset.removed_at.is_(None),
            Agency.removed_at.is_(None),
            Dataset.update_frequency.is_not(None),
        )
        .order_by(Agency.name, Agency.id, Dataset.title, Dataset.id)
    )
    if agency_ids is not None:
        statement = statement.where(Dataset.agency_id.in_(list(agency_ids)))
    agencies: dict[int, AgencyFreshness] = {}
    async with parts.database.session() as session:
        found = [(row[0], row[1]) for row in await session.execute(statement)]
    for dataset, agency in found:
        entry = agencies.setdefault(
            agency.id, AgencyFreshness(agency.id, agency.slug, agency.name, agency.acronym)
        )
        entry.declared += 1
        last = last_published(dataset)
        due = due_on(dataset.update_frequency, last)
        if due is not None and dataset.update_frequency is not None and today > due:
            entry.overdue.append(
                OverdueDataset(
                    dataset.id,
                    dataset.slug,
                    dataset.title,
                    dataset.title_en,
                    UpdateFrequency(dataset.update_frequency),
                    last,
                    due,
                    (today - due).days,
                )
            )
    for entry in agencies.values():
        entry.overdue.sort(key=lambda item: (-item.days_overdue, item.title))
    return list(agencies.values())
