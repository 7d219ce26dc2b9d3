"""What a new version changes against the published one: rows, fields, metadata.

Rows are matched by the primary key where one is declared (and kept in both versions):
then a row whose key stays but whose values differ is "changed". Without a key rows are
matched by whole-row identity (as a multiset): an edited row counts as one removed and one
added, `rows_changed` is 0 and `by_key` is False, so the review page can say so. Values
are compared over the fields both versions have; added or removed fields are listed apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class VersionChanges:
    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    # False: rows were matched whole (no primary key), so changed rows cannot be told apart
    by_key: bool = True


def _projector(fields: Sequence[str], wanted: Sequence[str]) -> Any:
    indexes = [list(fields).index(name) for name in wanted]
    return lambda row: tuple(row[i] for i in indexes)


def metadata_changes(old_meta: Mapping[str, Any], new_meta: Mapping[str, Any]) -> list[str]:
    """The descriptor keys whose values differ (added and removed keys included)."""
    return sorted(
        k for k in old_meta.keys() | new_meta.keys() if old_meta.get(k) != new_meta.get(k)
    )


def version_changes(
    old_meta: Mapping[str, Any],
    new_meta: Mapping[str, Any],
    old_rows: Iterable[tuple[Any, ...]],
    new_rows: Iterable[tuple[Any, ...]],
    old_fields: Sequence[str],
    new_fields: Sequence[str],
    key: Sequence[str] | None,
) -> VersionChanges:
    """Rows added/removed/changed, fields added/removed, metadata keys changed."""
    common = [name for name in new_fields if name in old_fields]
    by_key = bool(key) and all(name in common for name in key or ())
    old_values, new_values = _projector(old_fields, common), _projector(new_fields, common)
    if by_key:
        added, removed, changed = _by_key(
            old_rows, new_rows, old_values, new_values, common, key or ()
        )
    else:
        added, removed = _whole_rows(old_rows, new_rows, old_values, new_values)
        changed = 0
    return VersionChanges(
        rows_added=added,
        rows_removed=removed,
        rows_changed=changed,
        fields_added=[name for name in new_fields if name not in old_fields],
        fields_removed=[name for name in old_fields if name not in new_fields],
        metadata_changed=metadata_changes(old_meta, new_meta),
        by_key=by_key,
    )


def _by_key(
    old_rows: Iterable[tuple[Any, ...]],
    new_rows: Iterable[tuple[Any, ...]],
    old_values: Any,
    new_values: Any,
    common: Sequence[str],
    key: Sequence[str],
) -> tuple[int, int, int]:
    key_of = _projector(common, key)
    old: dict[Any, Any] = {}
    for row in old_rows:
        values = old_values(row)
        old[key_of(values)] = values
    added = changed = 0
    for row in new_rows:
        values = new_values(row)
        before = old.pop(key_of(values), None)
        if before is None:
            added += 1
        elif before != values:
            changed += 1
    return added, len(old), changed


def _whole_rows(
    old_rows: Iterable[tuple[Any, ...]],
    new_rows: Iterable[tuple[Any, ...]],
    old_values: Any,
    new_values: Any,
) -> tuple[int, int]:
    remaining = Counter(old_values(row) for row in old_rows)
    added = 0
    for row in new_rows:
        values = new_values(row)
        if remaining[values] > 0:
            remaining[values] -= 1
        else:
            added += 1
    return added, sum(remaining.values())
