"""What versions under review add to a dataset, for the PPID who decides its exemptions.

A version may bring a new column (a NIK column, say) or a whole new dataset: the PPID must be
able to withhold it (addExemption, FIELD) before the steward approves it, so an exemption
is checked against the published resources and those of the versions under review.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Dataset
from opendata.publishing.models import DatasetVersion, VersionResource, VersionState
from opendata.visibility.fields import FieldDef


def under_review_clause() -> ColumnElement[bool]:
    """Datasets with a version under review (an unpublished one included)."""
    return Dataset.id.in_(
        select(DatasetVersion.dataset_id).where(
            DatasetVersion.state == VersionState.SUBMITTED.value
        )
    )


async def fields_under_review(session: AsyncSession, dataset_id: int) -> dict[str, list[FieldDef]]:
    """Each resource name of the versions under review with its fields."""
    found = await session.execute(
        select(VersionResource.name, VersionResource.fields)
        .join(DatasetVersion, DatasetVersion.id == VersionResource.version_id)
        .where(
            DatasetVersion.dataset_id == dataset_id,
            DatasetVersion.state == VersionState.SUBMITTED.value,
        )
        .order_by(DatasetVersion.number, VersionResource.position)
    )
    resources: dict[str, list[FieldDef]] = {}
    for name, fields in found:
        known = resources.setdefault(name, [])
        names = {f.name for f in known}
        known += [FieldDef.from_json(raw) for raw in fields if raw["name"] not in names]
    return resources


def merged(
    one: dict[str, list[FieldDef]], other: dict[str, list[FieldDef]]
) -> dict[str, list[FieldDef]]:
    """Both resource maps; a resource in both has the fields of either."""
    result = {name: list(fields) for name, fields in one.items()}
    for name, fields in other.items():
        known = result.setdefault(name, [])
        names = {f.name for f in known}
        known += [f for f in fields if f.name not in names]
    return result
