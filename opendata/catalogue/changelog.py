"""The catalogue change log: which datasets each generation changed, for indexes to replay.

`log_change` runs inside the unit of work that bumps the generation. `changed_between`
answers "what must an index at generation A rewrite to reach B?", or None when the log no
longer covers A..B (pruned, or a generation bumped without a log entry): the caller then
rebuilds from the database, which is always correct, only slower.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import CatalogueChange

# Generations kept; an index further behind than this is rebuilt whole.
KEEP_GENERATIONS = 5000
PRUNE_EVERY = 100


async def log_change(session: AsyncSession, generation: int, dataset_ids: Iterable[int]) -> None:
    session.add(CatalogueChange(generation=generation, dataset_ids=sorted(set(dataset_ids))))
    if generation % PRUNE_EVERY == 0:
        await session.execute(
            delete(CatalogueChange).where(
                CatalogueChange.generation <= generation - KEEP_GENERATIONS
            )
        )
    await session.flush()


async def changed_between(session: AsyncSession, after: int, upto: int) -> set[int] | None:
    """Datasets changed in generations after..upto; None if the log misses any of them."""
    if upto <= after:
        return set()
    window = (CatalogueChange.generation > after, CatalogueChange.generation <= upto)
    count = await session.scalar(select(func.count()).where(*window))
    if count != upto - after:
        return None
    changed: set[int] = set()
    for dataset_ids in await session.scalars(select(CatalogueChange.dataset_ids).where(*window)):
        changed.update(int(dataset_id) for dataset_id in dataset_ids)
    return changed
