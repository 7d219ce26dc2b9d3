"""The one interface both search backends implement, and the generation they keep.

The catalogue generation (`meta.catalogue_generation`) is bumped in every unit of work that
changes datasets or exemptions. Each backend records the generation it reflects; at start-up
`check_and_repair` compares the two and rebuilds the index when they disagree (a crash
between the database commit and the whoosh write, or a switch of backend).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Dataset
from opendata.search.query import SearchQuery, SearchResults


class SearchIndex(Protocol):
    """What the loader, the exemption mutations, the resolvers and the CLI call."""

    name: str

    async def index_datasets(self, session: AsyncSession, dataset_ids: Iterable[int]) -> None:
        """Inside the unit of work that changed these datasets, before it commits.

        PostgreSQL writes its rows in the same transaction; whoosh prepares documents now
        and writes them when the session commits (nothing if it rolls back)."""
        ...

    async def search(self, query: SearchQuery) -> SearchResults: ...

    async def reindex_all(self) -> int:
        """Rebuild from the database; returns the number of datasets indexed."""
        ...

    async def check_and_repair(self) -> bool:
        """At start-up: rebuild if the index is behind the database; True if it rebuilt."""
        ...

    async def close(self) -> None: ...


async def live_dataset_ids(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(
            select(Dataset.id).where(Dataset.removed_at.is_(None)).order_by(Dataset.id)
        )
    )
