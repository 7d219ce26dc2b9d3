"""Facet counting over a whole result set with numpy, for the whoosh backend.

Walking every hit in Python to count its facet values is what makes naive whoosh slow at
scale. Instead each searcher keeps, per facet, two parallel arrays (document number, value
ordinal) built once; counting a result set is then one boolean gather and one `bincount`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from opendata.catalogue.queries import DatasetFilter

FACET_NAMES = ("agency", "topic", "format", "year", "category")

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FacetRow:
    """The facet values of one document."""

    agency: str
    topics: Sequence[str]
    formats: Sequence[str]
    years: Sequence[int]
    category: str

    def values(self, facet: str) -> Sequence[str]:
        if facet == "agency":
            return (self.agency,)
        if facet == "category":
            return (self.category,)
        if facet == "topic":
            return self.topics
        if facet == "format":
            return self.formats
        return [str(year) for year in self.years]


class FacetTable:
    """Per-facet (document, value ordinal) pairs for every document of one searcher."""

    def __init__(self, rows: Sequence[FacetRow | None]) -> None:
        self.size = len(rows)
        self.labels: dict[str, list[str]] = {}
        self.pair_docs: dict[str, IntArray] = {}
        self.pair_values: dict[str, IntArray] = {}
        for facet in FACET_NAMES:
            ordinals: dict[str, int] = {}
            docs: list[int] = []
            values: list[int] = []
            for docnum, row in enumerate(rows):
                if row is None:
                    continue
                for value in row.values(facet):
                    docs.append(docnum)
                    values.append(ordinals.setdefault(value, len(ordinals)))
            self.labels[facet] = list(ordinals)
            self.pair_docs[facet] = np.asarray(docs, dtype=np.int64)
            self.pair_values[facet] = np.asarray(values, dtype=np.int64)

    def having(self, facet: str, accepted: Sequence[str]) -> BoolArray:
        """Documents with at least one of the accepted values of `facet`."""
        mask = np.zeros(self.size, dtype=np.bool_)
        wanted = [i for i, label in enumerate(self.labels[facet]) if label in set(accepted)]
        if wanted:
            pairs = np.isin(self.pair_values[facet], np.asarray(wanted, dtype=np.int64))
            mask[self.pair_docs[facet][pairs]] = True
        return mask

    def filter_mask(self, dataset_filter: DatasetFilter) -> BoolArray | None:
        """Documents passing every facet condition of the filter (None: no condition)."""
        mask: BoolArray | None = None
        for facet, accepted in dataset_filter.facet_conditions():
            condition = self.having(facet, accepted)
            mask = condition if mask is None else mask & condition
        return mask

    def count(self, selected: BoolArray, facets: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """(value, count) of each facet over the selected documents, zero counts left out."""
        counted: dict[str, list[tuple[str, int]]] = {}
        for facet in facets:
            labels = self.labels[facet]
            chosen = self.pair_values[facet][selected[self.pair_docs[facet]]]
            counts = np.bincount(chosen, minlength=len(labels))
            counted[facet] = [(labels[i], int(counts[i])) for i in np.flatnonzero(counts).tolist()]
        return counted
