"""`Resource.aggregate`: parse the arguments, load the policy, call the aggregate domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opendata.catalogue import aggregate as domain
from opendata.catalogue.row_query import figure_source, small_cell_facts
from opendata.db.models import Resource
from opendata.request_scope import RequestScope
from opendata.resolvers.catalogue import policy_of


async def resource_aggregate(
    scope: RequestScope,
    resource: Resource,
    group_by: Sequence[str],
    measures: Sequence[tuple[str, str | None]],
    where: Any,
) -> domain.AggregateResult:
    """Grouped figures over the rows this request may see; FORBIDDEN if withheld.

    The dataset's `minimumCellSize` and the catalogue generation (the query-set rule's
    cache key) are read in one statement of the aggregate's own session.
    """
    policy = await policy_of(scope, resource.dataset_id)
    source = figure_source(resource, policy)
    async with scope.database.session() as session:
        facts = await small_cell_facts(session, source)
        query = domain.parse_aggregate(source, group_by, measures, where, facts.minimum)
        return await domain.aggregate(session, query, facts)
