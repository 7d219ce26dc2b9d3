"""REIDENTIFICATION: in a ROWS dataset, no combination of quasi-identifiers is rarer than
the dataset's minimum cell size (k-anonymity over the rows the public would see).

Counted over the visible rows (the descriptor's ROW exemptions removed) and the declared
quasi-identifiers that stay visible (a withheld field tells the public nothing). Blocking
in ROWS mode; not run for AGGREGATES, where no row is ever listed (aggregates have their
own small-cell suppression). One Counter over tuples: 1,000,000 rows in about a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from opendata.catalogue.reader import DatasetDescriptor, ResourceDescriptor
from opendata.publishing.checks.kinds import CheckContext, CheckKind, CheckResult
from opendata.publishing.checks.nik import is_nik
from opendata.publishing.checks.personal_data import EMAIL, is_phone
from opendata.visibility.fields import row_matches
from opendata.visibility.policy import typed_row_filter

HIDDEN = "(disembunyikan / hidden)"


def small_groups(counts: Counter[Any], minimum: int) -> tuple[int, int, Any]:
    """(groups smaller than `minimum`, rows in them, the key of one of them or None)."""
    groups = rows = 0
    example = None
    for key, size in counts.items():
        if size < minimum:
            groups += 1
            rows += size
            if example is None:
                example = key
    return groups, rows, example


def _shown(value: Any) -> str:
    """A value of the example key, unless it looks like a person's own identifier."""
    text = "" if value is None else str(value)
    if is_nik(text) or EMAIL.fullmatch(text) or is_phone(text):
        return HIDDEN
    return text[:40]


class ReidentificationScan:
    def __init__(
        self,
        resource: ResourceDescriptor,
        names: list[str],
        minimum: int,
        hidden_row: Callable[[tuple[Any, ...]], bool] | None,
    ) -> None:
        self.resource = resource
        self.names = names
        self.minimum = minimum
        indexes = [next(i for i, f in enumerate(resource.fields) if f.name == n) for n in names]
        self.key = itemgetter(*indexes) if len(indexes) > 1 else (lambda v: (v[indexes[0]],))
        self.hidden_row = hidden_row
        self.counts: Counter[Any] = Counter()

    def add(self, line: int, values: tuple[Any, ...]) -> None:
        if self.hidden_row is None or not self.hidden_row(values):
            self.counts[self.key(values)] += 1

    def results(self) -> list[CheckResult]:
        resource, k = self.resource.name, self.minimum
        columns = ", ".join(self.names)
        groups, rows, example = small_groups(self.counts, k)
        if not groups:
            return [
                CheckResult(
                    CheckKind.REIDENTIFICATION,
                    True,
                    True,
                    None,
                    f"Setiap kombinasi {columns} di '{resource}' berisi sedikitnya {k} baris.",
                    f"Every combination of {columns} in '{resource}' has at least {k} rows.",
                    resource,
                )
            ]
        shown = ", ".join(
            f"{name}={_shown(value)}" for name, value in zip(self.names, example, strict=True)
        )
        return [
            CheckResult(
                CheckKind.REIDENTIFICATION,
                False,
                True,
                None,
                f"'{resource}': {groups} kombinasi {columns} berisi kurang dari {k} baris "
                f"({rows} baris; contoh: {shown}). Orang di dalamnya dapat dikenali: "
                "gabungkan kategori, hapus kolom, atau terbitkan sebagai AGGREGATES.",
                f"'{resource}': {groups} combination(s) of {columns} have fewer than {k} rows "
                f"({rows} rows; e.g. {shown}). The people in them can be singled out: "
                "merge categories, drop a column, or publish as AGGREGATES.",
                resource,
            )
        ]


def _hidden_rows(
    descriptor: DatasetDescriptor, resource: ResourceDescriptor
) -> Callable[[tuple[Any, ...]], bool] | None:
    """Whether a row is removed by one of the descriptor's ROW exemptions (None: none apply)."""
    filters = [
        typed
        for e in descriptor.exemptions
        if e.scope == "ROW" and e.row_filter
        if (typed := typed_row_filter(e.row_filter, resource.fields)) is not None
    ]
    if not filters:
        return None
    names = [f.name for f in resource.fields]

    def hidden(values: tuple[Any, ...]) -> bool:
        row = dict(zip(names, values, strict=True))
        return any(row_matches(f, row) for f in filters)

    return hidden


def scan(
    descriptor: DatasetDescriptor, resource: ResourceDescriptor, context: CheckContext
) -> ReidentificationScan | None:
    """None for AGGREGATES, or where none of the declared quasi-identifiers is visible here."""
    if context.publication_mode != "ROWS":
        return None
    present = {f.name for f in resource.fields}
    names = [
        n for n in context.quasi_identifiers if n in present and n not in context.withheld_fields
    ]
    if not names:
        return None
    return ReidentificationScan(
        resource, names, context.minimum_cell_size, _hidden_rows(descriptor, resource)
    )
