"""Statistical disclosure control: figures from personal data never single a person out.

Where a dataset carries a personal-data exemption in force (UU KIP Pasal 17 huruf g, private
deeds and wills; huruf h, personal secrets), a figure over fewer rows than the dataset's
`minimumCellSize` (a datapackage property, default 5) is not published.

THE rule, for one answer (an `aggregate` result):
1. *Threshold*: a group counting 1 to `minimum - 1` visible rows is suppressed (an empty
   grand total reveals no one).
2. *Complementary suppression over every margin*: for each subset of the grouped fields
   (the empty subset is the grand total), the groups sharing a margin value must hide either
   nothing, or all of that margin, or at least two groups holding at least `minimum` rows
   together. Otherwise the next smallest visible group in that margin is suppressed too, and
   the check repeats until nothing changes.

Why this rule and not "totals from unsuppressed cells only": a margin is itself a public
answer (the same aggregate grouped by fewer fields, or `rows(where:)`'s `totalCount`), so a
total can always be asked for separately; subtracting the visible groups from it must leave
nothing smaller than `minimum` rows and never exactly one group. Complementary suppression
makes that hold for every margin of the answer, whichever total is asked for next, without
making published totals disagree with each other.

Which figures: an answer's groups (`aggregate`, the dashboard, the portal's chart) where the
dataset carries a personal-data exemption in force, and every figure of a dataset published
as AGGREGATES (`publicationMode`: a dataset about people whose rows are never listed).

THE rule for a filtered `aggregate`, the *query-set rule*: its `where` defines a query set,
which must select 0 rows or at least `minimum` of the visible rows, and (when it selects any)
must leave out 0 or at least `minimum` of them. Otherwise the whole answer is refused with the
bilingual error SMALL_CELL. Why the complement: without it, `where: {kecamatan: {ne: X}}`
gives N - c, and N (the unfiltered total) is public, so c would follow by one subtraction;
with it, both sides of every filter are either empty or at least `minimum`, so the
difference of a filtered figure and the total is never a small count.

Row listings are not governed here any more. Refusing small *filters* on `rows` protected
nothing where the whole visible table could be downloaded and counted offline. How a dataset
about people is published is now an explicit choice (`DatasetPolicy.publication_mode`): ROWS,
its visible rows are public (withheld fields and rows removed; the re-identification check
at publication must pass), so every filter of them is listed; or AGGREGATES, no row is ever
listed or downloaded (`DatasetPolicy.require_rows`), and only the figures above leave.

The dataset facets of the search (agency, topic, format, year) count datasets, not rows
about people, and are unaffected; the portal's bar chart of a protected resource uses
`suppressed_cells` over its groups (complementary suppression included), as `aggregate` does.

What it does not stop: a determined series of differently filtered queries (a "tracker")
can still narrow a small group; that needs query auditing or noise, which we do not do.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

from opendata.errors import SmallCell
from opendata.visibility.policy import DatasetPolicy

# Pasal 17 letters whose content is personal data (see opendata/visibility/rules.py BASES).
PERSONAL_DATA_BASES = frozenset({"PASAL_17G", "PASAL_17H"})
DEFAULT_MINIMUM_CELL_SIZE = 5


def carries_personal_data(policy: DatasetPolicy) -> bool:
    """Has the dataset an exemption in force on a personal-data basis (17g or 17h)?"""
    return any(e.basis in PERSONAL_DATA_BASES for e in policy.exemptions)


def protects_figures(policy: DatasetPolicy) -> bool:
    """Do this dataset's figures need small-cell protection (personal data, or AGGREGATES)?"""
    return policy.aggregates_only or carries_personal_data(policy)


def cell_threshold(policy: DatasetPolicy, minimum_cell_size: int | None) -> int | None:
    """The smallest publishable group size for this dataset, or None when no rule applies."""
    if not protects_figures(policy):
        return None
    return DEFAULT_MINIMUM_CELL_SIZE if minimum_cell_size is None else minimum_cell_size


@dataclass(frozen=True)
class Cell:
    """One group of an answer: its key (one value per grouped field) and its row count."""

    key: tuple[Hashable, ...]
    rows: int


def suppressed_cells(cells: Sequence[Cell], minimum: int | None) -> set[int]:
    """Indexes of the cells to suppress under THE rule in the module docstring."""
    if minimum is None or minimum <= 1:
        return set()
    hidden = {index for index, cell in enumerate(cells) if 0 < cell.rows < minimum}
    if not hidden:
        return hidden
    width = len(cells[0].key) if cells else 0
    margins = [subset for size in range(width) for subset in combinations(range(width), size)]
    changed = True
    while changed:
        changed = False
        for subset in margins:
            for members in _margin_groups(cells, subset).values():
                extra = _complement(cells, members, hidden, minimum)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
    return hidden


def _margin_groups(
    cells: Sequence[Cell], subset: tuple[int, ...]
) -> dict[tuple[Hashable, ...], list[int]]:
    groups: dict[tuple[Hashable, ...], list[int]] = {}
    for index, cell in enumerate(cells):
        groups.setdefault(tuple(cell.key[i] for i in subset), []).append(index)
    return groups


def _complement(
    cells: Sequence[Cell], members: list[int], hidden: set[int], minimum: int
) -> int | None:
    """The next cell to hide in one margin group, or None when the group is safe."""
    hidden_here = [i for i in members if i in hidden]
    visible_here = [i for i in members if i not in hidden]
    if not hidden_here or not visible_here:
        return None
    if len(hidden_here) >= 2 and sum(cells[i].rows for i in hidden_here) >= minimum:
        return None
    return min(visible_here, key=lambda i: (cells[i].rows, i))


def query_set_refused(matching: int, total: int, minimum: int | None, *, filtered: bool) -> bool:
    """THE query-set rule (module docstring): is this filtered figure too small to answer?

    `matching` rows answer the query out of `total` visible rows; `filtered` says a filter
    chose them (an unfiltered answer is refused nowhere: its groups are suppressed instead).
    """
    if minimum is None or minimum <= 1 or not filtered or matching == 0:
        # a filter matching nothing leaves out the whole published register: no one singled out
        return False
    return matching < minimum or 0 < total - matching < minimum


def check_query_set(matching: int, total: int, minimum: int | None, *, filtered: bool) -> None:
    """Refuses (SMALL_CELL) a query the query-set rule does not let through."""
    if query_set_refused(matching, total, minimum, filtered=filtered):
        assert minimum is not None
        raise SmallCell(
            "Data ini memuat data pribadi: filter ini memilih (atau menyisakan) kurang dari "
            f"{minimum} baris, sehingga jumlah dan barisnya tidak ditampilkan. "
            "Perluas atau ubah filternya.",
            "This dataset holds personal data: this filter selects (or leaves out) fewer than "
            f"{minimum} rows, so neither their number nor the rows are shown. "
            "Widen or change the filter.",
            field="where",
        )
