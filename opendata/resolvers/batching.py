"""DataLoader batch functions made from the domain's `..._by_ids(session, ids)` queries.

Every loader batch is the same: open a reading session, run one query for all the keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.engine import Database

T = TypeVar("T")


def in_session(
    query: Callable[[AsyncSession, Sequence[int]], Awaitable[T]],
) -> Callable[[Database, Sequence[int]], Awaitable[T]]:
    """`query` as a batch function for `RequestScope.loader`: one session, one query."""

    async def batch(database: Database, ids: Sequence[int]) -> T:
        async with database.session() as session:
            return await query(session, ids)

    return batch
