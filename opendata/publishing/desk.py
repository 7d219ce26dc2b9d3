"""What the producer's page (`/petugas/data`) lists: per dataset of an agency, the version
the public sees, the one waiting for the steward and the one last returned.

A grouping over `versions.agency_versions` (who may see them is decided there) and the
agency's datasets loaded from the catalogue (which may have no version yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from opendata.accounts.viewer import Viewer
from opendata.db.models import Agency, Dataset
from opendata.publishing.models import DatasetVersion, VersionState
from opendata.publishing.versions import PublishingParts, agency_versions


@dataclass(frozen=True)
class DatasetDesk:
    """One dataset of an agency as its producer tracks it."""

    slug: str
    title: str
    title_en: str | None
    dataset: Dataset | None  # None: submitted before the service stored datasets at submission
    published: DatasetVersion | None  # the version the public sees, if published here
    pending: DatasetVersion | None  # waiting for the steward
    returned: DatasetVersion | None  # returned with a comment, newer than the published one

    @property
    def public(self) -> bool:
        """Public now (a first version not yet approved: not)."""
        return self.dataset is not None and self.dataset.removed_at is None

    @property
    def latest(self) -> DatasetVersion | None:
        """The version a new one starts from: waiting, returned, or published."""
        return self.pending or self.returned or self.published


def _newest(versions: Sequence[DatasetVersion], state: VersionState) -> DatasetVersion | None:
    return next((v for v in versions if v.state == state.value), None)


def _desk(dataset: Dataset | None, versions: Sequence[DatasetVersion]) -> DatasetDesk:
    """`versions` newest first."""
    published_number = dataset.published_version if dataset is not None else None
    published = next((v for v in versions if v.number == published_number), None)
    returned = _newest(versions, VersionState.RETURNED)
    if returned is not None and published is not None and returned.number < published.number:
        returned = None
    descriptor = versions[0].descriptor if versions else {}
    return DatasetDesk(
        slug=dataset.slug if dataset is not None else versions[0].dataset_slug,
        title=dataset.title if dataset is not None else str(descriptor.get("title") or ""),
        title_en=dataset.title_en if dataset is not None else descriptor.get("title_en"),
        dataset=dataset,
        published=published,
        pending=_newest(versions, VersionState.SUBMITTED),
        returned=returned,
    )


async def agency_desk(
    parts: PublishingParts, viewer: Viewer | None, agency: Agency
) -> list[DatasetDesk]:
    """Every dataset of the agency, loaded from the catalogue or submitted, by title."""
    versions = await agency_versions(parts, viewer, agency.slug)
    async with parts.database.session() as session:
        datasets = {
            dataset.slug: dataset
            for dataset in await session.scalars(
                select(Dataset).where(Dataset.agency_id == agency.id)
            )
        }
    by_slug: dict[str, list[DatasetVersion]] = {
        slug: [] for slug, dataset in datasets.items() if dataset.removed_at is None
    }
    for version in versions:
        by_slug.setdefault(version.dataset_slug, []).append(version)
    desks = [_desk(datasets.get(slug), found) for slug, found in by_slug.items()]
    return sorted(desks, key=lambda desk: (desk.title.casefold(), desk.slug))
