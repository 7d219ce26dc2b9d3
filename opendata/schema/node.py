"""`node(id:)`: fetch any Node by its global ID through the domains' registered fetchers."""

from __future__ import annotations

import strawberry

from opendata.public_ids import from_global_id
from opendata.schema.catalogue import Node
from opendata.schema.info import Info
from opendata.schema.node_registry import NODE_FETCHERS


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        type_name, pk = from_global_id(str(id))
        fetch = NODE_FETCHERS.get(type_name)
        if fetch is None:
            return None
        result: Node | None = await fetch(info, pk)
        return result
