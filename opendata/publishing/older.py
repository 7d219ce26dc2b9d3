"""An earlier version of a resource, read through the same doors as the current one.

`/download/<resource id>.csv?version=N` asks for version N of the dataset: the resource row
is the same (its id, its cursor key, its dataset, so the one visibility policy with every
exemption in force decides), only the fields and the row table are that version's. A version
under review or returned was never public: it is not found.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.resource_swap import ResourceShape
from opendata.db.models import Resource
from opendata.errors import BadUserInput, not_found
from opendata.publishing.models import PUBLIC_STATES, DatasetVersion, VersionResource


def version_number(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise BadUserInput(
            "`version` adalah nomor versi (1, 2, 3, ...).",
            "`version` is a version number (1, 2, 3, ...).",
            field="version",
        )
    return int(text)


async def resource_at_version(session: AsyncSession, resource: Resource, number: int) -> Resource:
    """The resource as published version `number` had it (a transient copy, never stored)."""
    found = await session.scalar(
        select(VersionResource)
        .join(DatasetVersion, DatasetVersion.id == VersionResource.version_id)
        .where(
            DatasetVersion.dataset_id == resource.dataset_id,
            DatasetVersion.number == number,
            DatasetVersion.state.in_(PUBLIC_STATES),
            VersionResource.name == resource.name,
        )
    )
    if found is None:
        raise not_found("Versi", "Version", str(number), field="version")
    return Resource(
        id=resource.id,
        dataset_id=resource.dataset_id,
        **{**ResourceShape.stored(found).columns(), "position": resource.position},
        row_count=found.row_count,
        row_table=found.row_table,
        cursor_key=resource.cursor_key,
    )
