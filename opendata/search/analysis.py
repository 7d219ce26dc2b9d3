"""Text analysis shared by both backends: folding, tokens, stop words, stemming, typo rule.

Both backends index the lexemes made here (whoosh through its analyzer, PostgreSQL as
pre-stemmed text in a `simple` tsvector), so a word matches the same datasets on both.

Indonesian stemming uses Sastrawi (Nazief-Adriani with a root dictionary), not snowball:
snowball's Indonesian (what PostgreSQL's `indonesian` configuration uses) cuts
`kependudukan` to `nduduk`, `sekolah` to `seko`, `sungai` to `sunga`, `nelayan` to `nelay`
and `kendaraan` to `ndara`, so it splits families that people expect to meet and has no stop
list. Sastrawi is slower (0.1 ms a word), which a per-word cache makes irrelevant.
English fields use snowball's English (Porter2).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Bump when analysis changes: stored indexes built with another version are rebuilt.
ANALYZER_VERSION = "1"

_TOKEN = re.compile(r"[^\W_]+")
_MAX_TOKEN = 40
# Lower-case ASCII letters and digits kept, every other byte a space: `_TOKEN` on ASCII text.
_ASCII_SEPARATORS = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))

# Function words that carry no meaning in a search (after Tala's list, trimmed to what
# appears in catalogue text; content words such as "data" or "jumlah" are kept).
_INDONESIAN_STOP_TEXT = """
    ada adalah agar akan an antara apa atau bagi bahwa banyak beberapa belum berupa
    bila bisa dalam dan dapat dari demikian dengan di dia ditempat guna hal hanya harus
    hingga ia ini itu jika juga kami kamu kapan karena ke kepada ketika kita lagi lain
    maka mana masih melalui mereka misalnya mungkin namun oleh pada para per perlu
    pula saat saja sampai sangat sebagai sebelum secara sedang sehingga sejak selain
    seluruh semua sendiri seperti serta setelah setiap sudah supaya tanpa tentang
    tersebut tetapi untuk yaitu yakni yang
    """

_ENGLISH_STOP_TEXT = """
    a an and are as at be by can for from has have if in into is it its of on or per
    that the their this to was were which will with
    """

INDONESIAN_STOP_WORDS = frozenset(_INDONESIAN_STOP_TEXT.split())
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_TEXT.split())
STOP_WORDS = INDONESIAN_STOP_WORDS | ENGLISH_STOP_WORDS

_sastrawi = StemmerFactory().create_stemmer()
_english = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower case without accents: `Évaluasi` and `evaluasi` are one word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """Folded word tokens (letters and digits; underscores and hyphens split words)."""
    if text.isascii():  # the common case: split on a byte table, three times faster
        found = text.lower().encode().translate(_ASCII_SEPARATORS).decode().split()
    else:
        found = _TOKEN.findall(fold(text))
    if found and max(map(len, found)) > _MAX_TOKEN:  # rare: only then filter word by word
        return [w for w in found if len(w) <= _MAX_TOKEN]
    return found


def word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) over the original text, for highlighting."""
    if text.isascii():  # lower() keeps offsets: fold the whole text at once
        for match in _TOKEN.finditer(text.lower()):
            yield match.start(), match.end(), match.group()
        return
    for match in _TOKEN.finditer(text):
        yield match.start(), match.end(), fold(match.group())


def distinct_words(text: str) -> set[str]:
    """The distinct folded tokens of a text (what `word_spans` yields, without offsets)."""
    if text.isascii():
        return set(text.lower().encode().translate(_ASCII_SEPARATORS).decode().split())
    return {fold(token) for token in _TOKEN.findall(text)}


# Stems are cached by word, and search queries bring new words (typos, names) for as long as
# the server runs: every cache here has a size that keeps a long-running server flat.
STEM_CACHE_SIZE = 20_000


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem_id(word: str) -> str:
    """Indonesian stem of a folded word (`menyehatkan` -> `sehat`); numbers kept as they are."""
    if word.isdigit() or len(word) < 4:
        return word
    return _sastrawi.stem(word) or word


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem_en(word: str) -> str:
    """English stem of a folded word (`roads` -> `road`)."""
    if word.isdigit() or len(word) < 3:
        return word
    return str(_english.stemWord(word))


_STEMS: dict[str, dict[str, str]] = {"id": {}, "en": {}}
_STEMMERS = {"id": stem_id, "en": stem_en}
_MAX_CACHED_STEMS = 100_000


def stem_words(found: list[str], language: str) -> list[str]:
    """Stems of the meaningful words of `found` (stop words dropped), through a plain dict
    cache: a bulk build stems millions of words from a vocabulary of thousands."""
    cache = _STEMS[language]
    try:
        return [cache[w] for w in found if w not in STOP_WORDS]
    except KeyError:
        if len(cache) > _MAX_CACHED_STEMS:
            cache.clear()
        stem = _STEMMERS[language]
        for word in found:
            if word not in cache and word not in STOP_WORDS:
                cache[word] = stem(word)
        return [cache[w] for w in found if w not in STOP_WORDS]


def terms_id(text: str) -> list[str]:
    """Indonesian-analysed terms of a text (stop words dropped)."""
    return [stem_id(w) for w in words(text) if w not in STOP_WORDS]


def terms_en(text: str) -> list[str]:
    """English-analysed terms of a text (stop words dropped)."""
    return [stem_en(w) for w in words(text) if w not in STOP_WORDS]


def query_words(text: str) -> list[str]:
    """The distinct meaningful words of a query, in order."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)[:12]


def max_typos(word: str) -> int:
    """Edits forgiven: none up to 3 letters, one for 4 to 7, two for 8 and more; never digits."""
    if any(c.isdigit() for c in word) or len(word) < 4:
        return 0
    return 1 if len(word) <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
