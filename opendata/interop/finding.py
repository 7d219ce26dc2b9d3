"""Finding datasets for the doors through the very resolver GraphQL's `datasets` uses.

The CKAN API, DCAT and feeds page by offset; they call the resolvers' offset-based
`find_datasets` with a request scope, so they share the API's search, browse, visibility
and batching with no second copy of that logic.
"""

from __future__ import annotations

from opendata.catalogue.queries import DatasetFilter
from opendata.pagination import MAX_OFFSET, invalid_cursor
from opendata.request_scope import RequestScope
from opendata.resolvers import catalogue as resolve


async def find_datasets(
    scope: RequestScope,
    text: str,
    dataset_filter: DatasetFilter,
    order: str,
    offset: int,
    limit: int,
    *,
    with_facets: bool,
) -> resolve.SearchPage:
    """A page of datasets as `datasets(query:, filter:, orderBy:)` answers it."""
    if offset > MAX_OFFSET:  # as far as any list of ours goes (and the SQL driver's integers)
        raise invalid_cursor()
    return await resolve.find_datasets(
        scope, text, dataset_filter, order, offset, limit, with_facets=with_facets
    )
