"""The vocabulary of the publication checks: kinds, results, context, and a row scan.

Kept apart from the package's `run_checks` so each check module can import it without
importing every other check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

# How many line numbers a message names before it counts the rest.
LINES_NAMED = 10


class CheckKind(StrEnum):
    SCHEMA = "SCHEMA"
    METADATA = "METADATA"
    AREA_CODES = "AREA_CODES"
    PERSONAL_DATA = "PERSONAL_DATA"
    REIDENTIFICATION = "REIDENTIFICATION"


@dataclass(frozen=True)
class CheckResult:
    kind: CheckKind
    passed: bool
    blocking: bool
    field: str | None
    message: str
    message_en: str
    resource: str | None = None  # which resource of the dataset, where it is about one


@dataclass(frozen=True)
class CheckContext:
    # fields withheld by an exemption in force: they pass PERSONAL_DATA
    withheld_fields: frozenset[str] = frozenset()
    # (kind, field) a steward accepted with a reason: that failure passes
    accepted: frozenset[tuple[CheckKind, str | None]] = frozenset()
    quasi_identifiers: tuple[str, ...] = ()
    minimum_cell_size: int = 5
    publication_mode: str = "ROWS"  # "ROWS" | "AGGREGATES"


class RowScan(Protocol):
    """One check's view of one resource, fed each good line once (one pass for all checks)."""

    def add(self, line: int, values: tuple[Any, ...]) -> None: ...

    def results(self) -> list[CheckResult]: ...


def lines_text(lines: Sequence[int], total: int) -> tuple[str, str]:
    """'baris 3, 7 dan 2 lainnya' / 'lines 3, 7 and 2 more': the first lines, then a count."""
    named = ", ".join(str(n) for n in lines[:LINES_NAMED])
    rest = total - min(len(lines), LINES_NAMED)
    if rest <= 0:
        return f"baris {named}", f"line{'s' if total > 1 else ''} {named}"
    return f"baris {named} dan {rest} lainnya", f"lines {named} and {rest} more"
