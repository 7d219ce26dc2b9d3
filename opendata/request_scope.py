"""One request's scope: the service parts, who is asking, and this request's DataLoaders.

GraphQL hands it to resolvers as `info.context`; the pages and the CKAN layer build one per
request and call the same resolver functions with it. It holds the parts themselves (not the
composition root), so every door can import it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from strawberry.dataloader import DataLoader

from opendata.accounts.viewer import Viewer
from opendata.calendar import WorkingCalendar
from opendata.catalogue.kept_resources import KeptResources
from opendata.config import Settings
from opendata.copying import copied
from opendata.db.engine import Database
from opendata.parts import Parts as DomainParts
from opendata.search.index import SearchIndex

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Parts(DomainParts, Protocol):
    """The running service's parts as the doors are given them (`Services` has them): the
    domain's parts (opendata/parts.py), with the whole search index, since the doors query it."""

    @property
    def search(self) -> SearchIndex: ...


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose shared futures survive one awaiting resolver being cancelled.

    graphql-core cancels sibling resolvers when a non-null field fails; awaiting a shared
    future from a cancelled task would cancel it for every other resolver batched with it.
    """

    def load(self, key: K) -> Awaitable[V]:  # type: ignore[override]
        return asyncio.shield(super().load(key))


@dataclass
class RequestScope:
    settings: Settings
    database: Database
    search: SearchIndex
    calendar: WorkingCalendar
    viewer: Viewer | None = None
    client_address: str = ""
    # the address the request came in on (`Request.base_url`): absolute links without a
    # configured public URL (`opendata.urls.PublicUrls.under`)
    base_url: str = ""
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict, init=False)
    # the catalogue generation the GraphQL endpoint read before the request ran, and its
    # process's resources kept for it (`catalogue.kept_resources`); None elsewhere
    generation: int | None = field(default=None, init=False)
    kept_resources: KeptResources | None = field(default=None, init=False)

    @classmethod
    def of(
        cls,
        parts: Parts,
        viewer: Viewer | None = None,
        client_address: str = "",
        base_url: str = "",
    ) -> RequestScope:
        """A fresh scope (no loaders yet) over the running service's parts, each under its
        own name."""
        return copied(cls, parts, viewer=viewer, client_address=client_address, base_url=base_url)

    def loader(
        self, name: str, batch: Callable[[Database, Sequence[K]], Awaitable[Sequence[V]]]
    ) -> DataLoader[K, V]:
        """This request's DataLoader named `name`, batching through `batch(database, keys)`.

        Each resolver module declares its own batch functions; one loader per name per
        request, so that N parents cost one query, not N.
        """
        existing = self._loaders.get(name)
        if existing is None:
            database = self.database

            async def load(keys: list[K]) -> Sequence[V]:
                return await batch(database, keys)

            existing = SharedLoader(load_fn=load)
            self._loaders[name] = existing
        return existing

    def forget_loaders(self) -> None:
        """After a mutation: later reads in the same request see the new state (nothing
        kept for the generation read before it)."""
        self._loaders.clear()
        self.generation = None
