"""The one interface both search backends implement, and the state they keep.

The catalogue generation (`meta.catalogue_generation`) is bumped in every unit of work that
changes datasets or exemptions, beside a change-log entry naming the datasets. Each backend
records the generation it reflects: PostgreSQL writes its rows in the same transaction, and
whoosh replays the log before every search whose generation differs; `check_and_repair`
at start-up rebuilds an index that the log cannot bring up to date (or a switch of backend).

An index kept outside the database (whoosh) also belongs to one database: `meta` holds a
random identity (`database_identity`, made by migration 0028 and made anew by every
`opendata restore`), and the index records the identity and generation it reflects. It is
used only when both are *equal* to the database's: an index of another database, or one
ahead of it (an older backup restored beside a newer index), is rebuilt, never trusted.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.changes import GENERATION_KEY
from opendata.db.models import Dataset, Meta
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
        """At start-up: rebuild unless the index reflects exactly this database's state;
        True if it wrote anything."""
        ...

    async def close(self) -> None: ...


async def live_dataset_ids(session: AsyncSession) -> list[int]:
    return list(
        await session.scalars(
            select(Dataset.id).where(Dataset.removed_at.is_(None)).order_by(Dataset.id)
        )
    )


IDENTITY_KEY = "database_identity"


@dataclass(frozen=True)
class IndexState:
    """Which database, and which catalogue generation of it, an index reflects."""

    identity: str
    generation: int


async def database_state(session: AsyncSession) -> IndexState:
    """The database's identity and generation, in one statement."""
    result = await session.execute(
        select(Meta.key, Meta.value).where(Meta.key.in_([IDENTITY_KEY, GENERATION_KEY]))
    )
    rows = {key: value for key, value in result}
    return IndexState(rows.get(IDENTITY_KEY, ""), int(rows.get(GENERATION_KEY) or 0))


async def new_identity(session: AsyncSession) -> str:
    """Give the database a new identity (a restore: no index made before it is trusted)."""
    identity = uuid.uuid4().hex
    found = await session.scalar(select(Meta.key).where(Meta.key == IDENTITY_KEY))
    if found is None:
        session.add(Meta(key=IDENTITY_KEY, value=identity))
    else:
        await session.execute(update(Meta).where(Meta.key == IDENTITY_KEY).values(value=identity))
    await session.flush()
    return identity
