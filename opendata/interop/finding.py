"""Finding datasets for the doors through the very resolvers GraphQL's `datasets` uses.

The resolvers read only `info.context` (services and DataLoaders), so a plain context
gives the doors the same search, browse, visibility and batching as the API, with no
second copy of that logic.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from opendata.catalogue.queries import DatasetFilter
from opendata.pagination import encode_cursor
from opendata.resolvers import catalogue as resolve
from opendata.resolvers.context import AppContext, Info
from opendata.services import Services


def plain_info(services: Services) -> Info:
    """An anonymous viewer's resolver context, with fresh DataLoaders for one request."""
    return cast(Info, SimpleNamespace(context=AppContext(services)))


def _after(info: Info, text: str, offset: int) -> str | None:
    """The `after` cursor that starts the resolver's offset window at `offset`."""
    if offset <= 0:
        return None
    # The kinds of `resolve.search_datasets`: ranked search with text, browsing without.
    kind = "search" if text.strip() else "datasets"
    return encode_cursor(kind, offset - 1)


async def find_datasets(
    info: Info,
    text: str,
    dataset_filter: DatasetFilter,
    order: str,
    offset: int,
    limit: int,
    *,
    with_facets: bool,
) -> resolve.SearchPage:
    """A page of datasets as `datasets(query:, filter:, orderBy:)` answers it."""
    _, page = await resolve.search_datasets(
        info,
        text,
        dataset_filter,
        order,
        limit,
        _after(info, text, offset),
        with_facets=with_facets,
    )
    return page
