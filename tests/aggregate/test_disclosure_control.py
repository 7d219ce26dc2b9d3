"""THE small-cell rule as a property: whatever the cells, no shown cell is small and no margin
minus its shown cells leaves one small cell to be read off."""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from opendata.visibility.disclosure_control import Cell, suppressed_cells

KEYS = st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(KEYS, st.integers(min_value=1, max_value=30), min_size=1, max_size=9),
    st.integers(min_value=2, max_value=12),
)
def test_no_margin_reveals_a_suppressed_cell(
    sizes: dict[tuple[str, str], int], minimum: int
) -> None:
    cells = [Cell(key, rows) for key, rows in sorted(sizes.items())]
    hidden = suppressed_cells(cells, minimum)
    assert all(cells[i].rows >= minimum for i in range(len(cells)) if i not in hidden)
    for subset in [(), (0,), (1,)]:
        members: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index, cell in enumerate(cells):
            members[tuple(cell.key[i] for i in subset)].append(index)
        for indexes in members.values():
            hidden_here = [i for i in indexes if i in hidden]
            if hidden_here and len(hidden_here) < len(indexes):
                assert len(hidden_here) >= 2
                assert sum(cells[i].rows for i in hidden_here) >= minimum


def test_no_rule_without_a_threshold_and_no_suppression_of_big_cells() -> None:
    cells = [Cell(("a",), 1), Cell(("b",), 40)]
    assert suppressed_cells(cells, None) == set()
    assert suppressed_cells([Cell(("a",), 5), Cell(("b",), 6)], 5) == set()


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    cells = [Cell((k,), n) for k, n in zip("abcd", [2, 9, 7, 30], strict=True)]
    assert suppressed_cells(cells, 5) == {0, 2}


def test_an_empty_grand_total_is_not_suppressed() -> None:
    assert suppressed_cells([Cell((), 0)], 5) == set()
    assert suppressed_cells([Cell((), 3)], 5) == {0}


def test_margins_of_three_fields_hold_too() -> None:
    sizes = [1, 6, 9, 2, 14, 5, 7, 3, 11, 8, 4, 20]
    keys = list(itertools.product("ab", "xyz", "pq"))
    cells = [Cell(key, n) for key, n in zip(keys, sizes, strict=True)]
    hidden = suppressed_cells(cells, 5)
    for size in range(3):
        for subset in itertools.combinations(range(3), size):
            groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for index, cell in enumerate(cells):
                groups[tuple(cell.key[i] for i in subset)].append(index)
            for indexes in groups.values():
                hidden_here = [i for i in indexes if i in hidden]
                if hidden_here and len(hidden_here) < len(indexes):
                    assert len(hidden_here) >= 2
                    assert sum(cells[i].rows for i in hidden_here) >= 5
