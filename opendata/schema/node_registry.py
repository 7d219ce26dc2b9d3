"""The `node(id:)` registry: each domain registers how to fetch its Node types by key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from opendata.schema.info import Info

NodeFetcher = Callable[[Info, int], Awaitable[Any | None]]

NODE_FETCHERS: dict[str, NodeFetcher] = {}


def register_node(type_name: str) -> Callable[[NodeFetcher], NodeFetcher]:
    """Decorator: `@register_node("Dataset") async def fetch(scope, pk) -> DatasetType | None`."""

    def decorate(fetch: NodeFetcher) -> NodeFetcher:
        NODE_FETCHERS[type_name] = fetch
        return fetch

    return decorate
