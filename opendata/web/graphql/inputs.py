"""What every value a client sends must be before any resolver sees it.

Checked once, generically, where a request enters (the decoded JSON payload, and every string
literal in a GraphQL document), rather than in each resolver: a NUL character cannot be stored
in PostgreSQL text and means nothing in any of our fields, nor does another control character
(opendata/inputs.py: the rule every door shares); a lone surrogate (`"\\ud800"`)
cannot be encoded as UTF-8 for the database or the response; and nesting deeper than any of
our inputs needs only spends recursion. Each is BAD_USER_INPUT on both backends alike.
"""

from __future__ import annotations

import re
from typing import Any

from opendata.errors import BadUserInput
from opendata.inputs import is_number, text_problem

# Deeper than any input of ours (a `where` filter or a request input is a few levels).
MAX_NESTING = 32
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}\Z")


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


def check_map(operations: dict[str, Any], mapping: dict[str, list[str]]) -> None:
    """Every path of a multipart `map` indexes lists only with ASCII digits within the list
    (`"x"` or `"١"` as a list index is BAD_USER_INPUT, not a 500 or another item)."""
    for paths in mapping.values():
        for path in paths:
            target: Any = operations
            for key in path.split("."):
                if isinstance(target, list):
                    if not is_number(key) or int(key) >= len(target):
                        raise BadUserInput(
                            f"Jalur `{path[:80]}` di `map` tidak ada di `variables`.",
                            f"The `map` path `{path[:80]}` does not exist in `variables`.",
                            field="map",
                        )
                    target = target[int(key)]
                elif isinstance(target, dict):
                    target = target.get(key)
                else:
                    break
