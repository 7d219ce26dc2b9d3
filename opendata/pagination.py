"""Opaque cursors and page-size checks shared by every connection."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from opendata.errors import BadUserInput

# No list we serve is longer; an offset past it would only overflow the SQL driver's integers.
MAX_OFFSET = 2**31 - 1


def encode_cursor(kind: str, key: Any) -> str:
    """An opaque, URL-safe cursor holding a connection kind and a sort key."""
    raw = json.dumps([kind, key], separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> Any:
    """The sort key inside `cursor`, or None; a foreign or broken cursor is BAD_USER_INPUT."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_kind, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        cursor_kind, key = None, None
    if cursor_kind != kind:
        raise _invalid_cursor()
    return key


def next_offset(kind: str, cursor: str | None) -> int:
    """The offset just after the edge `cursor` names (0 without one) in an offset list."""
    index = decode_cursor(kind, cursor)
    if index is None:
        return 0
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < MAX_OFFSET:
        raise _invalid_cursor()
    return index + 1


def invalid_cursor() -> BadUserInput:
    """The refusal of a cursor that is not one of this list's (shared by every cursor kind)."""
    return _invalid_cursor()


def _invalid_cursor() -> BadUserInput:
    return BadUserInput(
        "Kursor `after` tidak valid untuk daftar ini.",
        "The `after` cursor is not valid for this list.",
        field="after",
    )


def check_page_size(first: int, maximum: int, field: str = "first") -> int:
    """`first` must be between 1 and the connection's maximum."""
    if not 1 <= first <= maximum:
        raise BadUserInput(
            f"`{field}` harus antara 1 dan {maximum}.",
            f"`{field}` must be between 1 and {maximum}.",
            field=field,
        )
    return first
