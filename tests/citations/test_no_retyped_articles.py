"""No template or message retypes an article: pages, letters and e-mails print them from the
one table (`law`, `clocks`, `steps` template globals, opendata/statute.py), so a corrected
citation is corrected everywhere at once."""

from __future__ import annotations

import ast
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


# "10 working days", "30 hari kerja": a number of days the statute table (rules.Clocks) states
RETYPED_DAYS = re.compile(r"(?<!Persentil )\b\d+\s+(?:working days?|hari kerja)\b")
# where a number of days is stated: the table itself, and the law's own words
STATING_DAYS = {ROOT / "information_requests" / "rules.py", ROOT / "statute.py"}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: prose for the reader, never printed."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_message_retypes_a_number_of_days() -> None:
    """Messages and API descriptions take a number of days from the clock that states it."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in STATING_DAYS or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno}: {match.group(0)!r}"
                    for match in RETYPED_DAYS.finditer(node.value)
                ]
    texts = [path for path in TEXTS if path.suffix != ".po"]
    found += [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in texts
        for match in RETYPED_DAYS.finditer(_printed(path))
    ]
    assert found == []
