"""Every catalogue change goes through here: one generation counter, and the search index.

The generation (in `meta`) is bumped in the same transaction as the change, so response
caches keyed by it and the search index's stored generation can tell when they are behind.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.changelog import log_change
from opendata.db.models import Meta
from opendata.parts import HasIndex

GENERATION_KEY = "catalogue_generation"
# the stored generation (no row: 0); a scalar subquery of it lets a door read it together
# with other facts in one statement (`web.graphql.endpoint`)
GENERATION = select(Meta.value).where(Meta.key == GENERATION_KEY)


async def read_generation(session: AsyncSession) -> int:
    value = await session.scalar(GENERATION)
    return int(value) if value is not None else 0


async def bump_generation(session: AsyncSession) -> int:
    """Increase the catalogue generation inside the caller's transaction (row-locked)."""
    current = await session.scalar(GENERATION.with_for_update())
    new = int(current or 0) + 1
    if current is None:
        session.add(Meta(key=GENERATION_KEY, value=str(new)))
    else:
        await session.execute(update(Meta).where(Meta.key == GENERATION_KEY).values(value=str(new)))
    await session.flush()
    return new


async def record_catalogue_change(
    services: HasIndex, session: AsyncSession, dataset_ids: Iterable[int]
) -> int:
    """Call inside the unit of work that changed these datasets (content or exemptions)."""
    ids = set(dataset_ids)
    generation = await bump_generation(session)
    await log_change(session, generation, ids)  # the durable record every index replays
    if ids:
        await services.search.index_datasets(session, ids)
    return generation
