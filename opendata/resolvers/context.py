"""The per-request GraphQL context: services, the viewer, and this request's DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from opendata.accounts.viewer import Viewer
from opendata.services import Services

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SharedLoader(DataLoader[K, V]):
    """A DataLoader whose shared futures survive one awaiting resolver being cancelled.

    graphql-core cancels sibling resolvers when a non-null field fails; awaiting a shared
    future from a cancelled task would cancel it for every other resolver batched with it.
    """

    def load(self, key: K) -> Awaitable[V]:  # type: ignore[override]
        return asyncio.shield(super().load(key))


@dataclass
class AppContext:
    services: Services
    viewer: Viewer | None = None
    client_address: str = ""
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

    def loader(
        self, name: str, batch: Callable[[Services, Sequence[K]], Awaitable[Sequence[V]]]
    ) -> DataLoader[K, V]:
        """This request's DataLoader named `name`, batching through `batch(services, keys)`.

        Each resolver module declares its own batch functions; one loader per name per
        request, so that N parents cost one query, not N.
        """
        existing = self._loaders.get(name)
        if existing is None:
            services = self.services

            async def load(keys: list[K]) -> Sequence[V]:
                return await batch(services, keys)

            existing = SharedLoader(load_fn=load)
            self._loaders[name] = existing
        return existing

    def forget_loaders(self) -> None:
        """After a mutation: later reads in the same request see the new state."""
        self._loaders.clear()


Info = StrawberryInfo[AppContext, None]
