"""Setting a dataset's source from the steward's page (or a producer's), beside the catalogue
folder's `source` property: the same validation, stored as declared through the service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from opendata.accounts.viewer import Viewer
from opendata.catalogue.sources import (
    DatasetSource,
    filled_resource,
    read_source,
    store_source,
)
from opendata.db.models import Dataset, Resource
from opendata.errors import BadUserInput, not_found
from opendata.parts import HasDatabase
from opendata.pull.access import require_manager


async def declare_source(
    parts: HasDatabase, viewer: Viewer | None, dataset_slug: str, source: Mapping[str, Any] | None
) -> DatasetSource | None:
    """Set the dataset's source (the descriptor's `source` shape), or remove it with None."""
    try:
        spec = read_source(source)
    except ValueError as error:
        raise BadUserInput(
            f"Sumber data tidak sah: {error}.", f"Invalid data source: {error}.", field="source"
        ) from error
    async with parts.database.write() as session:
        dataset = await session.scalar(
            select(Dataset).where(Dataset.slug == dataset_slug, Dataset.removed_at.is_(None))
        )
        if dataset is None:
            raise not_found("Set data", "Dataset", dataset_slug, field="dataset")
        who = require_manager(viewer, dataset.agency_id)
        if spec is not None:
            names = list(
                await session.scalars(
                    select(Resource.name)
                    .where(Resource.dataset_id == dataset.id)
                    .order_by(Resource.position)
                )
            )
            if filled_resource(spec, names) is None:
                raise BadUserInput(
                    f"Sebutkan sumber daya yang diisi sumber ini: {', '.join(names)}.",
                    f"Name the resource this source fills: {', '.join(names)}.",
                    field="source.resource",
                )
        return await store_source(
            session,
            dataset.id,
            spec,
            declared_in="api",
            actor=f"{who.role}:{who.email}",
            user_id=who.user_id,
        )
