"""The one rule every door applies to what a client sends: text and whole numbers.

Text must not carry NUL or other control characters (PostgreSQL cannot store NUL, XML cannot
carry most C0 characters, and none means anything in our fields); tab, newline and carriage
return are allowed where multi-line text is expected. A whole number is read only from ASCII
digits (`"²".isdigit()` and `int("١")` both say yes) and only within the range of the column it
names (32-bit keys), so a bad number is a bilingual 400, never a 500 or someone else's row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from opendata.errors import BadUserInput

# the largest value of a 32-bit INTEGER column (every primary key and counter of ours)
MAX_INT32 = 2**31 - 1
# C0 controls and DEL except tab, newline, carriage return; C1 controls; lone surrogates
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_DIGITS = re.compile(r"[0-9]{1,10}\Z")


def too_long(field: str, limit: int) -> BadUserInput:
    """The one wording of "longer than `field` takes", whichever door and form it is."""
    return BadUserInput(
        f"`{field}` paling panjang {limit} karakter.",
        f"`{field}` is at most {limit} characters.",
        field=field,
    )


def text_problem(text: str, *, multiline: bool = True) -> BadUserInput | None:
    """Why `text` cannot be accepted as text, or None."""
    if "\x00" in text:
        return BadUserInput(
            "Teks tidak boleh berisi karakter NUL (\\u0000).",
            "Text must not contain the NUL character (\\u0000).",
        )
    if (_CONTROL if multiline else _CONTROL_SINGLE_LINE).search(text):
        return BadUserInput(
            "Teks tidak boleh berisi karakter kendali atau Unicode yang tidak valid.",
            "Text must not contain control characters or invalid Unicode.",
        )
    return None


def checked_text(text: str, *, field: str | None = None, multiline: bool = True) -> str:
    """`text` itself, or BadUserInput naming `field` (never the value)."""
    problem = text_problem(text, multiline=multiline)
    if problem is not None:
        problem.field = field
        raise problem
    return text


def is_number(text: str, *, maximum: int = MAX_INT32) -> bool:
    """Whether `text` is ASCII digits naming a whole number from 0 to `maximum`."""
    return _DIGITS.match(text) is not None and int(text) <= maximum


def parse_int(text: str, field: str, *, minimum: int = 0, maximum: int = MAX_INT32) -> int:
    """`text` as a whole number within [minimum, maximum], from ASCII digits (a leading `-`
    when `minimum` is negative); anything else is BadUserInput naming `field`."""
    negative = text.startswith("-") and minimum < 0
    digits = text[1:] if negative else text
    if _DIGITS.match(digits) is not None:
        number = -int(digits) if negative else int(digits)
        if minimum <= number <= maximum:
            return number
    raise BadUserInput(
        f"`{field}` harus bilangan bulat dari {minimum} sampai {maximum}.",
        f"`{field}` must be a whole number from {minimum} to {maximum}.",
        field=field,
    )


def int_or(text: str, default: int, *, maximum: int = MAX_INT32) -> int:
    """`text` as a whole number (ASCII digits, at most `maximum`), else `default`: for ids
    that answer "not found" rather than "invalid" (a key no row can have)."""
    return int(text) if is_number(text, maximum=maximum) else default


def check_address(path_params: Mapping[str, Any], query: Iterable[tuple[str, str]]) -> None:
    """A request's path parameters (single-line) and query string (names single-line, values
    may hold newlines) follow the rule: BadUserInput naming the parameter otherwise."""
    for name, value in path_params.items():
        if isinstance(value, str):
            checked_text(value, field=name, multiline=False)
    for name, value in query:
        checked_text(name, multiline=False)
        checked_text(value, field=name if name.isidentifier() else None)
