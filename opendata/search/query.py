"""A search request and its answer, and the query plan both backends execute.

The plan is where typo tolerance lives: a word whose stems match nothing in the index is
replaced by the indexed words within its edit budget (one edit for 4 to 7 letters, two for
longer, same first letter). Correcting only unknown words keeps precise queries precise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from opendata.catalogue.queries import DatasetFilter, FacetCount, facet_values
from opendata.search.analysis import edit_distance, max_typos, query_words, stem_en, stem_id

ORDERS = ("RELEVANCE", "TITLE", "RECENTLY_UPDATED")
FACETS = ("agency", "topic", "format", "year")
# A typo never expands into more than this many indexed words (most frequent kept).
MAX_CORRECTIONS = 8
# a year in a query ("stunting 2024"): four digits from 1900 to 2099 standing alone
YEAR_IN_TEXT = re.compile(r"(?<![\w.,/-])(?:19|20)\d\d(?![\w.,/-])")


def years_as_coverage(text: str, dataset_filter: DatasetFilter) -> tuple[str, DatasetFilter]:
    """A year in the query filters by temporal coverage instead of being a word to find:
    "demam berdarah 2023" finds the dengue datasets that cover 2023, whether or not their
    text says "2023". Only when no year is chosen already (the `year` facet or filter
    wins, and the query's year then stays a word); the first year is taken, the words
    left are searched as before (places among them match the rows' place names, which
    the search documents hold). Both backends get the same query and filter."""
    if dataset_filter.year is not None:
        return text, dataset_filter
    found = YEAR_IN_TEXT.search(text)
    if found is None:
        return text, dataset_filter
    rest = " ".join((text[: found.start()] + " " + text[found.end() :]).split())
    return rest, replace(dataset_filter, year=int(found.group()))


@dataclass(frozen=True)
class SearchQuery:
    """Text, filters, order and a window of the ranked list (offset-based)."""

    text: str
    filter: DatasetFilter = field(default_factory=DatasetFilter)
    order: str = "RELEVANCE"
    offset: int = 0
    limit: int = 20
    with_facets: bool = True
    with_highlights: bool = True


@dataclass(frozen=True)
class SearchHit:
    dataset_id: int
    slug: str
    score: float
    highlight: str | None = None


@dataclass
class SearchResults:
    """One page of hits; `total` and `facets` count the whole result set when `exact`.
    Not exact: more than `total` datasets match, and each facet count is a lower bound
    (a backend that bounds its work per query stopped reading matches)."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    exact: bool = True


def search_results(
    total: int,
    hits: list[SearchHit],
    counted: Mapping[str, Sequence[tuple[str, int]]] | None = None,
    agency_names: Mapping[str, str] | None = None,
    *,
    exact: bool = True,
) -> SearchResults:
    """The answer both backends give: facets labelled from each facet's (value, count) pairs,
    or every facet empty when they were not counted (`counted` None: not asked for)."""
    names = agency_names or {}
    facets = {
        facet: facet_values(facet, counted[facet], names) if counted is not None else []
        for facet in FACETS
    }
    return SearchResults(total=total, hits=hits, facets=facets, exact=exact)


@dataclass(frozen=True)
class WordPlan:
    """What one query word looks for: Indonesian and English terms (stems)."""

    word: str
    id_terms: tuple[str, ...]
    en_terms: tuple[str, ...]
    corrected_from: str | None = None


@dataclass(frozen=True)
class QueryPlan:
    words: tuple[WordPlan, ...]

    @property
    def id_terms(self) -> frozenset[str]:
        return frozenset(t for w in self.words for t in w.id_terms)

    @property
    def en_terms(self) -> frozenset[str]:
        return frozenset(t for w in self.words for t in w.en_terms)

    @property
    def empty(self) -> bool:
        return not self.words


def exact_plan(word: str) -> WordPlan:
    return WordPlan(word, (stem_id(word),), tuple(dict.fromkeys((stem_en(word),))))


def corrected_plan(word: str, near: Iterable[str]) -> WordPlan:
    """The word as typed plus the indexed words close to it."""
    candidates = [word, *near]
    id_terms = tuple(dict.fromkeys(stem_id(c) for c in candidates))
    en_terms = tuple(dict.fromkeys(stem_en(c) for c in candidates))
    return WordPlan(word, id_terms, en_terms, corrected_from=word)


def close_words(word: str, candidates: Iterable[str]) -> list[str]:
    """Candidates within the word's typo budget and sharing its first letter, closest first."""
    budget = max_typos(word)
    scored = []
    for candidate in candidates:
        if candidate == word or not candidate or candidate[0] != word[0]:
            continue
        distance = edit_distance(word, candidate, budget)
        if distance <= budget:
            scored.append((distance, candidate))
    return [c for _, c in sorted(scored)[:MAX_CORRECTIONS]]


def exact_plans(text: str) -> list[WordPlan]:
    """One exact plan per meaningful word of the query."""
    return [exact_plan(word) for word in query_words(text)]


def finish_plan(
    exact: Sequence[WordPlan], known: Sequence[bool], near: Callable[[str, int], Iterable[str]]
) -> QueryPlan:
    """Correct the words that match nothing: `near(word, n)` lists indexed words within n
    edits (the backend's vocabulary look-up); it is only asked for unknown words."""
    planned = []
    for plan, is_known in zip(exact, known, strict=True):
        budget = max_typos(plan.word)
        if is_known or budget == 0:
            planned.append(plan)
            continue
        nearby = close_words(plan.word, near(plan.word, budget))
        planned.append(corrected_plan(plan.word, nearby) if nearby else plan)
    return QueryPlan(tuple(planned))
