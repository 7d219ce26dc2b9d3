"""`Resource.aggregate`: parse the arguments, load the policy, call the aggregate domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opendata.catalogue import aggregate as domain
from opendata.catalogue.row_query import row_source
from opendata.db.models import Resource
from opendata.exemptions.disclosure_control import cell_threshold
from opendata.exemptions.visibility import DatasetPolicy
from opendata.resolvers.catalogue import dataset_by_id, policy_of
from opendata.resolvers.context import Info


async def resource_aggregate(
    info: Info,
    resource: Resource,
    group_by: Sequence[str],
    measures: Sequence[tuple[str, str | None]],
    where: Any,
) -> domain.AggregateResult:
    """Grouped figures over the rows this request may see; FORBIDDEN if withheld."""
    policy = await policy_of(info, resource.dataset_id)
    source = row_source(resource, policy)
    minimum = await cell_threshold_of(info, resource.dataset_id, policy)
    query = domain.parse_aggregate(source, group_by, measures, where, minimum)
    async with info.context.services.database.session() as session:
        return await domain.aggregate(session, query)


async def cell_threshold_of(info: Info, dataset_id: int, policy: DatasetPolicy) -> int | None:
    """The dataset's small-cell threshold; None when it holds no personal data."""
    dataset = await dataset_by_id(info, dataset_id)
    return cell_threshold(policy, dataset.minimum_cell_size if dataset is not None else None)
