"""The `highlight` snippet: public text around the matched words, matches in <mark>.

Shared by both backends so that they explain a match the same way. Only the document's
public text is ever used (documents are built through the visibility policy).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from opendata.search.analysis import STOP_WORDS, distinct_words, stem_en, stem_id, word_spans
from opendata.search.documents import TEXT_GROUPS

WINDOW_WORDS = 24
# Preference when several parts match equally: what a person reads first.
_PRIORITY = ("title", "title_en", "description", "description_en", "meta", "values", "fields")
_LANGUAGE = {name: language for name, language, _ in TEXT_GROUPS}


def _matches(text: str, language: str, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    stem = stem_en if language == "en" else stem_id
    # Most parts of a hit match nothing: check the distinct words before placing spans.
    if not any(w not in STOP_WORDS and stem(w) in terms for w in distinct_words(text)):
        return []
    return [
        (start, end, stem(word))
        for start, end, word in word_spans(text)
        if word not in STOP_WORDS and stem(word) in terms
    ]


def _mark(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, position = [], 0
    for start, end, _ in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _window(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The WINDOW_WORDS-word stretch of `text` holding the most distinct matches."""
    tokens = [(start, end) for start, end, _ in word_spans(text)]
    if len(tokens) <= WINDOW_WORDS:
        return _mark(text, spans)
    starts = [start for start, _ in tokens]
    best, best_score = 0, -1
    for first in range(0, len(tokens) - WINDOW_WORDS + 1):
        low, high = tokens[first][0], tokens[first + WINDOW_WORDS - 1][1]
        score = len({stem for start, end, stem in spans if start >= low and end <= high})
        if score > best_score:
            best, best_score = first, score
    first = max(0, best - 2) if best_score > 0 else 0
    last = min(len(tokens) - 1, first + WINDOW_WORDS - 1)
    low, high = starts[first], tokens[last][1]
    inside = [s for s in spans if s[0] >= low and s[1] <= high]
    prefix = "… " if low > 0 else ""
    suffix = " …" if high < len(text) else ""
    return prefix + _mark(text[low:high], [(a - low, b - low, t) for a, b, t in inside]) + suffix


def highlight(
    texts: Mapping[str, str], id_terms: frozenset[str], en_terms: frozenset[str]
) -> str | None:
    """A snippet from the part of the document with the most distinct matched terms."""
    best: tuple[int, int, str, list[tuple[int, int, str]]] | None = None
    for rank, name in enumerate(_PRIORITY):
        text = texts.get(name) or ""
        if not text:
            continue
        language = _LANGUAGE[name]
        spans = _matches(text, language, en_terms if language == "en" else id_terms)
        if not spans:
            continue
        distinct = len({stem for _, _, stem in spans})
        if best is None or distinct > best[0]:
            best = (distinct, rank, name, spans)
    if best is None:
        return None
    _, _, name, spans = best
    text = texts[name]
    if name in ("values", "meta", "fields"):
        return _list_snippet(text, _LANGUAGE[name], en_terms if name.endswith("_en") else id_terms)
    return _window(text, spans)


def _list_snippet(text: str, language: str, terms: frozenset[str]) -> str:
    """For lists (cell values, keywords): the matching items, joined."""
    items = []
    for item in text.split("\n"):
        spans = _matches(item, language, terms)
        if spans:
            items.append(_mark(item, spans))
        if len(items) == 5:
            break
    return " · ".join(items)
