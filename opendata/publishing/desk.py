"""What the producer's page (`/petugas/data`) and the steward's page (`/walidata`) list.

Read-only views over the versions: per dataset of an agency, the version the public sees,
the one waiting for review and the one last returned; across agencies, the review queue.
The decisions themselves are `publishing.versions`' functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Dataset
from opendata.publishing.models import DatasetVersion, VersionState

# the queue is short in practice (a version waits days at most); a page shows this many
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class DatasetDesk:
    """One dataset of an agency as its producer tracks it."""

    slug: str
    title: str
    title_en: str | None
    dataset: Dataset | None  # None until its first version is published
    published: DatasetVersion | None  # the version the public sees
    pending: DatasetVersion | None  # waiting for the steward
    returned: DatasetVersion | None  # returned with a comment, newer than the published one
    overdue: bool = False  # past its update frequency (the catalogue's freshness rule)

    @property
    def latest(self) -> DatasetVersion | None:
        return self.pending or self.returned or self.published


def _title(versions: Sequence[DatasetVersion], dataset: Dataset | None) -> tuple[str, str | None]:
    if dataset is not None:
        return dataset.title, dataset.title_en
    descriptor = versions[-1].descriptor if versions else {}
    return str(descriptor.get("title") or ""), descriptor.get("title_en")


def _last(versions: Sequence[DatasetVersion], state: VersionState) -> DatasetVersion | None:
    return next((v for v in reversed(versions) if v.state == state.value), None)


async def agency_desk(session: AsyncSession, agency_id: int) -> list[DatasetDesk]:
    """Every dataset of the agency, loaded from the catalogue or submitted, by title."""
    versions = list(
        await session.scalars(
            select(DatasetVersion)
            .where(DatasetVersion.agency_id == agency_id)
            .order_by(DatasetVersion.dataset_slug, DatasetVersion.number)
        )
    )
    datasets = {
        dataset.slug: dataset
        for dataset in await session.scalars(
            select(Dataset).where(Dataset.agency_id == agency_id, Dataset.removed_at.is_(None))
        )
    }
    by_slug: dict[str, list[DatasetVersion]] = {slug: [] for slug in datasets}
    for version in versions:
        by_slug.setdefault(version.dataset_slug, []).append(version)
    desks = []
    for slug, found in by_slug.items():
        dataset = datasets.get(slug)
        published = _last(found, VersionState.PUBLISHED)
        returned = _last(found, VersionState.RETURNED)
        if returned is not None and published is not None and returned.number < published.number:
            returned = None
        desks.append(
            DatasetDesk(
                slug,
                *_title(found, dataset),
                dataset=dataset,
                published=published,
                pending=_last(found, VersionState.SUBMITTED),
                returned=returned,
            )
        )
    return sorted(desks, key=lambda desk: (desk.title.casefold(), desk.slug))


async def review_queue(session: AsyncSession) -> list[DatasetVersion]:
    """The versions waiting for the steward, oldest submission first."""
    found = await session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.state == VersionState.SUBMITTED.value)
        .order_by(DatasetVersion.submitted_at, DatasetVersion.id)
        .limit(QUEUE_LIMIT)
    )
    return list(found)


async def published_version(session: AsyncSession, slug: str) -> DatasetVersion | None:
    """The version of `slug` the public sees now (the base of a new version's diff)."""
    found = await session.scalars(
        select(DatasetVersion)
        .where(
            DatasetVersion.dataset_slug == slug,
            DatasetVersion.state == VersionState.PUBLISHED.value,
        )
        .order_by(DatasetVersion.number.desc())
        .limit(1)
    )
    return found.first()


async def dataset_versions(session: AsyncSession, slug: str) -> list[DatasetVersion]:
    """Every version of `slug`, newest first (the steward's rollback list)."""
    found = await session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.dataset_slug == slug)
        .order_by(DatasetVersion.number.desc())
    )
    return list(found)
