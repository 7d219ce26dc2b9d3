"""Resources with their dataset's policy, kept across requests for one catalogue generation.

A page of a resource's rows (`node(id:) { ... on Resource { rows } }`, what a harvester or an
app pages through) read the resource and its policy in a statement of its own on every
request, to answer the same thing each time: every write that changes a resource or an
exemption bumps the catalogue generation (the response cache relies on it too), and an
exemption ends at midnight without a write. So a resource read at generation G on day D is
the same resource with the same policy for every request that started at G on D: it is kept
under (G, D, id), read by a request only under the generation it read before it ran (an
entry can be newer than its key, never older). After a mutation a request forgets its
generation and reads again (`RequestScope.forget_loaders`). Bounded: the oldest entry goes.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from opendata.catalogue.queries import ResourceWithPolicy

KEPT_RESOURCES = 1024


class KeptResources:
    """(generation, regency day, resource id) -> the resource and its policy, least recently
    used first out. One per process; the generation is the database's, so servers agree."""

    def __init__(self, max_entries: int = KEPT_RESOURCES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[int, date, int], ResourceWithPolicy] = OrderedDict()

    def get(self, generation: int, today: date, resource_id: int) -> ResourceWithPolicy | None:
        key = (generation, today, resource_id)
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, generation: int, today: date, found: ResourceWithPolicy) -> None:
        if self.max_entries <= 0:
            return
        key = (generation, today, found.resource.id)
        self._entries[key] = found
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
