"""No template or message retypes an article: pages, letters and e-mails print them from the
one table (`law`, `clocks`, `steps` template globals, opendata/statute.py), so a corrected
citation is corrected everywhere at once."""

from __future__ import annotations

import re
from pathlib import Path

import opendata

ROOT = Path(opendata.__file__).parent
TEXTS = [
    *sorted((ROOT / "portal" / "templates").glob("*.html")),
    *sorted((ROOT / "mail" / "templates").glob("*.jinja")),
    *sorted((ROOT / "letters" / "templates").glob("*.html")),
    *sorted((ROOT / "portal" / "locale").glob("*/LC_MESSAGES/*.po")),
]
# "Pasal 22", "Article 36", "ayat (8)", "22(4)", "Pasal 47-48"
RETYPED = re.compile(r"\b(?:Pasal|Article|ayat|huruf)\s*\(?\d|\b\d{1,2}\(\d+\)")
COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)  # a template's comments
PO_COMMENT = re.compile(r"^#.*$", re.MULTILINE)  # a catalog's comments (source lines)


def _printed(path: Path) -> str:
    return PO_COMMENT.sub("", COMMENT.sub("", path.read_text(encoding="utf-8")))


def test_the_texts_exist() -> None:
    assert len(TEXTS) > 40


def test_no_template_or_message_retypes_an_article() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in TEXTS
        for match in RETYPED.finditer(_printed(path))
    ]
    assert found == []
