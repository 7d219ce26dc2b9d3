"""What domain functions need of the running service, named as read-only protocols.

The domain never imports the composition root (`opendata.services`): a function says which
parts it reads, and `Services` (and the request scope) satisfy these structurally, so
callers keep passing what they hold. Low on purpose: it names only low modules, so any
domain package may import it without a circle (the search index is named by the one call
the domain makes of it, not by the search package, which sits above the catalogue).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from opendata.calendar import WorkingCalendar
    from opendata.config import Settings
    from opendata.db.engine import Database


class DatasetIndexer(Protocol):
    """The one thing a catalogue change asks of the search index (see `SearchIndex`)."""

    async def index_datasets(self, session: AsyncSession, dataset_ids: Iterable[int]) -> None: ...


class HasDatabase(Protocol):
    @property
    def database(self) -> Database: ...


class HasSettings(Protocol):
    @property
    def settings(self) -> Settings: ...


class HasCalendar(HasDatabase, Protocol):
    """Deadlines are counted on the one working calendar of the process; replaced when the
    stored calendar changed (`calendar_store.refreshed_calendar`)."""

    calendar: WorkingCalendar


class HasIndex(HasDatabase, Protocol):
    """A catalogue change is written and indexed in one unit of work."""

    @property
    def search(self) -> DatasetIndexer: ...


class HasDatabaseAndSettings(HasDatabase, HasSettings, Protocol):
    pass


class Parts(HasCalendar, HasIndex, HasSettings, Protocol):
    """All of them: for the request steps that count deadlines, store files and queue mail."""


class HoldsCalendar(HasDatabase, Protocol):
    """A process whose calendar can be replaced (a decree arrives): the recalculation."""

    calendar: WorkingCalendar
