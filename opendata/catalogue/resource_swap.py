"""A dataset's resources keep their ids across reloads and versions: matched by name.

A download link (`/download/<resource id>.csv`), a resource's global id and the key inside
its row cursors all name the resource row; a new version (a catalogue reload or a published
dataset version) therefore updates the row of the same name instead of replacing it, and
only points it at other row tables. A resource that leaves the dataset is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.reader import ResourceDescriptor
from opendata.catalogue.tables import new_cursor_key
from opendata.db.models import Resource, TabularColumns


@dataclass(frozen=True)
class ResourceShape:
    """What a version says of one resource (its rows' table is set by the caller)."""

    name: str
    position: int
    path: str
    format: str
    mediatype: str | None
    fields: list[dict[str, Any]]
    title: str | None = None
    title_en: str | None = None

    @classmethod
    def read(cls, position: int, descriptor: ResourceDescriptor) -> ResourceShape:
        """As the catalogue reader read it (a folder, or a staged upload)."""
        return cls(
            descriptor.name,
            position,
            descriptor.path,
            descriptor.format,
            descriptor.mediatype,
            [f.to_json() for f in descriptor.fields],
            descriptor.title,
            descriptor.title_en,
        )

    @classmethod
    def stored(cls, row: TabularColumns) -> ResourceShape:
        return cls(
            row.name,
            row.position,
            row.path,
            row.format,
            row.mediatype,
            list(row.fields),
            row.title,
            row.title_en,
        )

    def columns(self) -> dict[str, Any]:
        """Keyword arguments of a stored row of this shape."""
        return asdict(self)


async def stored_resources(session: AsyncSession, dataset_id: int) -> dict[str, Resource]:
    found = await session.scalars(select(Resource).where(Resource.dataset_id == dataset_id))
    return {resource.name: resource for resource in found}


async def reuse_resource(
    session: AsyncSession, dataset_id: int, stored: dict[str, Resource], shape: ResourceShape
) -> tuple[Resource, str]:
    """The resource of this name (taken out of `stored`), or a new one, shaped as `shape`;
    with the table it pointed at before ("" for a new one). Flushed: its id is known."""
    resource = stored.pop(shape.name, None)
    if resource is None:
        resource = Resource(dataset_id=dataset_id, name=shape.name, cursor_key=new_cursor_key())
        session.add(resource)
    previous = resource.row_table or ""
    for key, value in shape.columns().items():
        if key != "name":
            setattr(resource, key, value)
    await session.flush()
    return resource, previous


async def remove_resources(session: AsyncSession, leftovers: Iterable[Resource]) -> list[str]:
    """Delete the resources a new version no longer has; returns the tables they pointed at."""
    gone = list(leftovers)
    if gone:
        await session.execute(delete(Resource).where(Resource.id.in_([r.id for r in gone])))
    return [resource.row_table for resource in gone if resource.row_table]
