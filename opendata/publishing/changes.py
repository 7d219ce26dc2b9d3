"""What a new version changes against the published one: rows, fields, metadata."""

from __future__ import annotations

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


def version_changes(
    old_meta: Mapping[str, Any],
    new_meta: Mapping[str, Any],
    old_rows: Iterable[tuple[Any, ...]],
    new_rows: Iterable[tuple[Any, ...]],
    old_fields: Sequence[str],
    new_fields: Sequence[str],
    key: Sequence[str] | None,
) -> VersionChanges:
    """Stub: nothing compared yet."""
    return VersionChanges()
