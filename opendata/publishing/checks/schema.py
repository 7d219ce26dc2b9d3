"""SCHEMA: every line fits the resource's Table Schema (types, required, enum, unique ...).

Types and the per-cell constraints are the catalogue reader's (`cell_reader`): a bad line
is a `BadRow` there. `unique` spans lines, so it is counted here. Blocking: a line that
does not fit cannot be loaded, and a version missing lines is not the one submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opendata.catalogue.reader import BadRow, ResourceDescriptor
from opendata.publishing.checks.kinds import LINES_NAMED, CheckKind, CheckResult, lines_text


@dataclass
class _Problems:
    reason: str
    lines: list[int] = field(default_factory=list)
    total: int = 0

    def note(self, line: int) -> None:
        self.total += 1
        if len(self.lines) < LINES_NAMED:
            self.lines.append(line)


class SchemaScan:
    """Bad lines per field (None: the line as a whole), with the first reason seen."""

    def __init__(self, resource: ResourceDescriptor) -> None:
        self.resource = resource
        self.problems: dict[str | None, _Problems] = {}
        self.unique = [
            (index, f.name) for index, f in enumerate(resource.fields) if f.constraints.unique
        ]
        self.seen: dict[str, set[Any]] = {name: set() for _, name in self.unique}

    def add_bad(self, bad: BadRow) -> None:
        self.problems.setdefault(bad.field, _Problems(bad.reason)).note(bad.line_number)

    def add(self, line: int, values: tuple[Any, ...]) -> None:
        for index, name in self.unique:
            value = values[index]
            if value is None:
                continue
            seen = self.seen[name]
            if value in seen:
                self.problems.setdefault(name, _Problems("a value seen on an earlier line")).note(
                    line
                )
            else:
                seen.add(value)

    def results(self) -> list[CheckResult]:
        name = self.resource.name
        if not self.problems:
            return [
                CheckResult(
                    CheckKind.SCHEMA,
                    True,
                    True,
                    None,
                    f"Semua baris '{name}' sesuai skema tabel.",
                    f"Every line of '{name}' fits the table schema.",
                    name,
                )
            ]
        return [self._failure(field_name, found) for field_name, found in self.problems.items()]

    def _failure(self, field_name: str | None, found: _Problems) -> CheckResult:
        name = self.resource.name
        where_id, where_en = lines_text(found.lines, found.total)
        column_id = f", kolom '{field_name}'" if field_name else ""
        column_en = f", field '{field_name}'" if field_name else ""
        return CheckResult(
            CheckKind.SCHEMA,
            False,
            True,
            field_name,
            f"{found.total} baris '{name}'{column_id} tidak sesuai skema ({where_id}): "
            f"{found.reason}.",
            f"{found.total} line{'s' if found.total > 1 else ''} of '{name}'{column_en} "
            f"do not fit the schema ({where_en}): {found.reason}.",
            name,
        )
