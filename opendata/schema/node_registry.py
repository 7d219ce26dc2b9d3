"""The `node(id:)` registry: each domain registers how to fetch its Node types by key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from opendata.copying import copied
from opendata.public_ids import to_global_id
from opendata.schema.info import Info

T = TypeVar("T")

NodeFetcher = Callable[[Info, int], Awaitable[Any | None]]

NODE_FETCHERS: dict[str, NodeFetcher] = {}


def register_node(type_name: str) -> Callable[[NodeFetcher], NodeFetcher]:
    """Decorator: `@register_node("Dataset") async def fetch(scope, pk) -> DatasetType | None`."""

    def decorate(fetch: NodeFetcher) -> NodeFetcher:
        NODE_FETCHERS[type_name] = fetch
        return fetch

    return decorate


def node_copied(cls: type[T], type_name: str, model: Any, **given: Any) -> T:
    """A Node type from its stored row: the global ID from `type_name` and the row's key, the
    row kept as `_model`, every other field copied by name (`copied`) unless `given`."""
    node_id = strawberry.ID(to_global_id(type_name, model.id))
    return copied(cls, model, _model=model, id=node_id, **given)
