"""Checks a dataset version passes before it is public (issue 22, item 3).

Pure functions over a read descriptor (opendata.catalogue.reader): no database, so the
producer sees the same results at upload as the steward in review and a push at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from opendata.catalogue.reader import DatasetDescriptor


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
    resource: str | None = None


@dataclass(frozen=True)
class CheckContext:
    withheld_fields: frozenset[str] = frozenset()
    accepted: frozenset[tuple[CheckKind, str | None]] = frozenset()
    quasi_identifiers: tuple[str, ...] = ()
    minimum_cell_size: int = 5
    publication_mode: str = "ROWS"


def run_checks(descriptor: DatasetDescriptor, context: CheckContext) -> list[CheckResult]:
    """Every check over every resource (stub: nothing checked yet)."""
    return []


def blocking_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The results that stop publication."""
    return [r for r in results if r.blocking and not r.passed]
