"""The one interface both search backends implement, and the generation they keep.

The catalogue generation (`meta.catalogue_generation`) is bumped in every unit of work that
changes datasets or exemptions, beside a change-log entry naming the datasets. Each backend
records the generation it reflects: PostgreSQL writes its rows in the same transaction, and
whoosh replays the log before every search whose generation is behind; `check_and_repair`
at start-up rebuilds an index that the log cannot bring up to date (or a switch of backend).
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

        PostgreSQL writes its rows in the same transaction; whoosh does nothing here and
        replays the change log before its next search."""
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
