"""What every value a client sends must be before any resolver sees it.

Checked once, generically, where a request enters (the decoded JSON payload, and every string
literal in a GraphQL document), rather than in each resolver: a NUL character cannot be stored
in PostgreSQL text and means nothing in any of our fields; a lone surrogate (`"\\ud800"`)
cannot be encoded as UTF-8 for the database or the response; and nesting deeper than any of
our inputs needs only spends recursion. Each is BAD_USER_INPUT on both backends alike.
"""

from __future__ import annotations

import re
from typing import Any

from opendata.errors import BadUserInput

# Deeper than any input of ours (a `where` filter or a request input is a few levels).
MAX_NESTING = 32
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}\Z")


def text_problem(text: str) -> BadUserInput | None:
    """Why `text` cannot be accepted as text, or None."""
    if "\x00" in text:
        return BadUserInput(
            "Teks tidak boleh berisi karakter NUL (\\u0000).",
            "Text must not contain the NUL character (\\u0000).",
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return BadUserInput(
            "Teks berisi karakter Unicode yang tidak valid (surrogate tunggal).",
            "Text contains an invalid Unicode character (a lone surrogate).",
        )
    return None


def check_payload(payload: dict[str, Any]) -> None:
    """Every string (keys too) is acceptable text and nothing nests deeper than MAX_NESTING.

    Raises BadUserInput whose `field` names the top-level variable (never the value)."""
    stack: list[tuple[Any, int, str | None]] = [(payload, 0, None)]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem is not None:
                problem.field = field
                raise problem
        elif isinstance(value, dict | list):
            if depth >= MAX_NESTING:
                raise BadUserInput(
                    f"Data JSON bersarang terlalu dalam (maksimum {MAX_NESTING} tingkat).",
                    f"The JSON data is nested too deeply (at most {MAX_NESTING} levels).",
                    field=field,
                )
            if isinstance(value, list):
                stack.extend((item, depth + 1, field) for item in value)
                continue
            for key, item in value.items():
                stack.append((key, depth + 1, field))
                stack.append((item, depth + 1, _field_name(value, payload, key, field)))


def _field_name(
    container: dict[str, Any], payload: dict[str, Any], key: str, field: str | None
) -> str | None:
    """Below `variables`, errors name the variable (`$input`), if it is a plain name."""
    if field is not None:
        return field
    if container is payload:
        return key if key in ("query", "operationName") else None
    if container is payload.get("variables") and _NAME.match(key):
        return f"${key}"
    return None
