"""Text folded for matching as people type: case- and accent-insensitive, the same everywhere.

`fold` maps each character of FOLD_FROM to the one at the same place in FOLD_TO (ASCII
capitals, and the Latin-1 and Latin Extended-A letters to their lower-case base letter:
"Sungai Kakap", "SUNGAI KAKAP" and "sungai kâkap" all fold to "sungai kakap"). One
character always becomes one, so lengths and prefixes are kept. PostgreSQL runs the same
table with `translate(text, FOLD_FROM, FOLD_TO)`, SQLite with `od_fold`, this function
registered on each connection (`db.engine`): both databases fold exactly alike, whatever
their locale, and other characters are left as they are on both.
"""

from __future__ import annotations

import unicodedata


def _table() -> dict[int, str]:
    folded: dict[int, str] = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x180)]:
        letter = chr(code)
        decomposed = unicodedata.normalize("NFKD", letter.lower())
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1 and base != letter:
            folded[code] = base
    return folded


FOLD_TABLE = _table()
FOLD_FROM = "".join(chr(code) for code in FOLD_TABLE)
FOLD_TO = "".join(FOLD_TABLE.values())
SQLITE_FUNCTION = "od_fold"


def fold(text: str | None) -> str | None:
    """`text` as compared by the text filters (None stays None, as SQL's NULL)."""
    return None if text is None else text.translate(FOLD_TABLE)
