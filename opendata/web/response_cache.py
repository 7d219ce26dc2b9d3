"""A response cache for anonymous catalogue reads, with ETags a CDN can use.

Keyed by the document, the variables, the operation name, the catalogue generation (every
write bumps it, on whichever server) and the regency date (exemptions expire at midnight
without a write). Only anonymous queries whose every root field is a public catalogue
field are cached: nothing a token can see differently is ever stored.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FieldNode, OperationDefinitionNode, OperationType

CACHEABLE_ROOT_FIELDS = frozenset(
    {"agencies", "agency", "dataset", "datasets", "addWorkingDays", "isWorkingDay", "__typename"}
)


@dataclass(frozen=True)
class CachedResponse:
    body: bytes
    etag: str


def is_cacheable(document: DocumentNode, operation_name: str | None) -> bool:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return False
    selections = operations[0].selection_set.selections
    return all(
        isinstance(s, FieldNode) and s.name.value in CACHEABLE_ROOT_FIELDS for s in selections
    )


def cache_key(
    query: str, variables: dict[str, Any] | None, operation_name: str | None, generation: str
) -> str:
    material = json.dumps(
        [query, variables or {}, operation_name, generation], sort_keys=True, default=str
    )
    return hashlib.sha256(material.encode()).hexdigest()


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class ResponseCache:
    """A bounded LRU of encoded responses."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()

    def get(self, key: str) -> CachedResponse | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: str, body: bytes) -> CachedResponse:
        entry = CachedResponse(body=body, etag=etag_for(body))
        if self.max_entries > 0:
            self._entries[key] = entry
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return entry
