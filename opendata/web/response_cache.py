"""A response cache for anonymous catalogue reads, with ETags a CDN can use.

Keyed by the document, the variables, the operation name, the catalogue generation (every
write bumps it, on whichever server) and the regency date (exemptions expire at midnight
without a write). Only anonymous queries whose every root field is a public catalogue
field are cached: nothing a token can see differently is ever stored.

The generation in the key is read before the query runs, and every part of the answer is
at least that new (search replays the change log up to the database's generation before it
answers), so an entry never holds content older than its key says.

Shared caches (a CDN, a proxy) may keep a copy but must revalidate it with the ETag before
each use (`no-cache`): a revalidation is a 304 without a body, and after an exemption the
next request already gets the new answer, never a stale one for seconds or minutes.

Memory is bounded twice: by entries and by bytes (an answer of thousands of rows is not
kept at all), so a soak of varied queries cannot grow the process.
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


def _root_fields(document: DocumentNode, operation_name: str | None) -> list[str] | None:
    """The names of the query's root fields; None when it is not one query made only of
    fields (a mutation, fragments at the root, no such operation)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return None
    selections = operations[0].selection_set.selections
    if not all(isinstance(s, FieldNode) for s in selections):
        return None
    return [s.name.value for s in selections if isinstance(s, FieldNode)]


def is_cacheable(document: DocumentNode, operation_name: str | None) -> bool:
    names = _root_fields(document, operation_name)
    return names is not None and all(name in CACHEABLE_ROOT_FIELDS for name in names)


def reads_nothing(document: DocumentNode, operation_name: str | None) -> bool:
    """A query of introspection alone (`__typename`, `__schema`, `__type`): its answer is
    the schema's, so it needs neither the database's generation nor the calendar."""
    names = _root_fields(document, operation_name)
    return names is not None and all(name.startswith("__") for name in names)


def cache_key(
    query: str, variables: dict[str, Any] | None, operation_name: str | None, generation: str
) -> str:
    material = json.dumps(
        [query, variables or {}, operation_name, generation], sort_keys=True, default=str
    )
    return hashlib.sha256(material.encode()).hexdigest()


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# Everything cached, and the largest single answer worth keeping.
MAX_CACHE_BYTES = 32 * 1024 * 1024
MAX_ENTRY_BYTES = 256 * 1024
PUBLIC_CACHE_CONTROL = "public, no-cache"


def public_cache_headers(cached: CachedResponse) -> dict[str, str]:
    """Headers of a cacheable anonymous answer: store, but revalidate with the ETag."""
    return {"ETag": cached.etag, "Cache-Control": PUBLIC_CACHE_CONTROL, "Vary": "Authorization"}


class ResponseCache:
    """A LRU of encoded responses, bounded by entries and by bytes."""

    def __init__(self, max_entries: int, max_bytes: int = MAX_CACHE_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.size_bytes = 0
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()

    def get(self, key: str) -> CachedResponse | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: str, body: bytes) -> CachedResponse:
        entry = CachedResponse(body=body, etag=etag_for(body))
        if self.max_entries <= 0 or len(body) > min(MAX_ENTRY_BYTES, self.max_bytes):
            return entry
        replaced = self._entries.pop(key, None)
        if replaced is not None:
            self.size_bytes -= len(replaced.body)
        self._entries[key] = entry
        self.size_bytes += len(body)
        while len(self._entries) > self.max_entries or self.size_bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.size_bytes -= len(evicted.body)
        return entry

    def __len__(self) -> int:
        return len(self._entries)
