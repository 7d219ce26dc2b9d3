"""Relay connections: one edge and one connection shape for every list the schema pages.

Each listed type names its own `XEdge(Edge[X])` and `XConnection(Connection[XEdge])`,
so the contract's type names stay as they are while the fields are written once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import strawberry

from opendata.resolvers.catalogue import OffsetWindow

C = TypeVar("C")
N = TypeVar("N")
E = TypeVar("E")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


def page_info(cursors: list[str], has_next: bool) -> PageInfo:
    return PageInfo(has_next_page=has_next, end_cursor=cursors[-1] if cursors else None)


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[E]):
    total_count: int
    edges: list[E]
    page_info: PageInfo


def offset_connection(
    connection: Callable[..., C],
    edge: Callable[..., Any],
    window: OffsetWindow,
    nodes: Iterable[Any],
    total: int,
) -> C:
    """A connection of `nodes` at an offset window: one edge per node, cursors from the window."""
    edges = [edge(cursor=window.cursor(index), node=node) for index, node in enumerate(nodes)]
    return connection(
        total_count=total,
        edges=edges,
        page_info=page_info([e.cursor for e in edges], window.has_next(total)),
    )
