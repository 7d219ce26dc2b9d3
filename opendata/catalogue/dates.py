"""A dataset's two public dates, the same at every door (DCAT, schema.org, Atom, sitemap).

`issued`: the day it was first issued. Set once, when the dataset first appears (a first
catalogue load or its first version published through the service), and kept across every
reload: the day it appeared, or the `modified` day its descriptor stated if that is earlier
(the publisher had issued the data by then, before this catalogue took it in).

`modified`: the day its data last changed: the descriptor's `modified`, moved forward by each
version published through the service (`freshness.record_publication`); never before
`issued`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.freshness import last_published
from opendata.db.models import Dataset
from opendata.regency_time import REGENCY_TZ, regency_today


def first_issued(stated_modified: date | None, today: date | None = None) -> date:
    """The `issued` day of a dataset appearing today whose descriptor states `modified`."""
    appeared = today or regency_today()
    return min(appeared, stated_modified) if stated_modified is not None else appeared


def keep_issued(dataset: Dataset, stated_modified: date | None) -> None:
    """Give a dataset its `issued` day the first time it is written; never move it."""
    if dataset.issued is None:
        dataset.issued = first_issued(stated_modified)


def issued_on(dataset: Dataset) -> date:
    """DCAT `dct:issued`, schema.org `datePublished`, Atom `published`."""
    if dataset.issued is not None:
        return dataset.issued
    return dataset.created_at.astimezone(REGENCY_TZ).date()


def modified_on(dataset: Dataset) -> date:
    """DCAT `dct:modified`, schema.org `dateModified`, Atom `updated`, sitemap `lastmod`."""
    return max(last_published(dataset), issued_on(dataset))


@dataclass(frozen=True)
class CatalogueDates:
    """The catalogue's own `issued` (its first dataset's) and `modified`: the latest day a
    dataset's data changed or a dataset was added."""

    issued: date
    modified: date


async def catalogue_dates(session: AsyncSession) -> CatalogueDates:
    """Over the live datasets, in one query; today for an empty catalogue."""
    live = Dataset.removed_at.is_(None)
    first_issued_, last_issued, last_modified, first_added, last_added = (
        await session.execute(
            select(
                func.min(Dataset.issued),
                func.max(Dataset.issued),
                func.max(Dataset.modified),
                func.min(Dataset.created_at),
                func.max(Dataset.created_at),
            ).where(live)
        )
    ).one()
    today = regency_today()
    added = [_regency_day(moment) for moment in (first_added, last_added) if moment is not None]
    issued = min([day for day in (first_issued_, *added) if day is not None], default=today)
    modified = max(
        [day for day in (last_issued, last_modified, *added) if day is not None], default=today
    )
    return CatalogueDates(issued, max(issued, modified))


def _regency_day(moment: datetime | str) -> date:
    """A UTC timestamp from an aggregate (SQLite gives its text back) as a regency day."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(REGENCY_TZ).date()
