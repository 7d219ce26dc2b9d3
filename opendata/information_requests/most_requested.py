"""Most requested (issue 24): how often each dataset was asked about, from the requests that
name it (`InformationRequest.dataset_id`, set when a request is filed from a dataset's page).

Public figures: the register already shows every request; these only count them per dataset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from opendata.db.engine import Database
from opendata.db.models import Dataset
from opendata.information_requests.models import InformationRequest

HOME_LIMIT = 5


@dataclass(frozen=True)
class AskedAbout:
    dataset: Dataset
    times: int


async def times_requested(database: Database, dataset_ids: Sequence[int]) -> list[int]:
    """How many requests name each dataset (a DataLoader batch: one query for many)."""
    async with database.session() as session:
        rows = await session.execute(
            select(InformationRequest.dataset_id, func.count())
            .where(InformationRequest.dataset_id.in_(list(set(dataset_ids))))
            .group_by(InformationRequest.dataset_id)
        )
        counts = {dataset_id: int(count) for dataset_id, count in rows}
    return [counts.get(dataset_id, 0) for dataset_id in dataset_ids]


async def most_requested(
    database: Database, agency_id: int | None = None, limit: int = HOME_LIMIT
) -> list[AskedAbout]:
    """The datasets asked about most (of one agency, or of all), most first, then by title."""
    asked = func.count(InformationRequest.id).label("asked")
    query = (
        select(Dataset, asked)
        .join(InformationRequest, InformationRequest.dataset_id == Dataset.id)
        .where(Dataset.removed_at.is_(None))
        .group_by(Dataset.id)
        .order_by(asked.desc(), Dataset.title, Dataset.id)
        .limit(limit)
    )
    if agency_id is not None:
        query = query.where(Dataset.agency_id == agency_id)
    async with database.session() as session:
        return [AskedAbout(dataset, int(times)) for dataset, times in await session.execute(query)]
