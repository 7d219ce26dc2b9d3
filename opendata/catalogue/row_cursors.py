"""Keyset cursors for `rows`: the last row's sort values, and its position kept secret.

A cursor names where a page ended: the values of the `orderBy` fields (visible anyway) and
the row's `_id`, the tie-break. A plain `_id` would show the gaps where withheld rows sit, so
it travels enciphered with the resource's own key (a four-round Feistel network over 64
bits with HMAC-SHA256 as its round function, the Luby-Rackoff construction: a keyed
permutation, from the standard library alone). A forged cursor only seeks to some other
place among the visible rows.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from opendata.pagination import decode_cursor, encode_cursor, invalid_cursor

_ROUNDS = 4
_MASK32 = 0xFFFFFFFF


def _round(key: bytes, number: int, half: int) -> int:
    digest = hmac.new(key, bytes((number,)) + half.to_bytes(4, "big"), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def hide_position(key: str, position: int) -> int:
    """The position enciphered (0 <= result < 2**64)."""
    secret = bytes.fromhex(key)
    left, right = position >> 32 & _MASK32, position & _MASK32
    for number in range(_ROUNDS):
        left, right = right, left ^ _round(secret, number, right)
    return left << 32 | right


def reveal_position(key: str, hidden: int) -> int:
    secret = bytes.fromhex(key)
    left, right = hidden >> 32 & _MASK32, hidden & _MASK32
    for number in reversed(range(_ROUNDS)):
        left, right = right ^ _round(secret, number, left), left
    return left << 32 | right


def encode_row_cursor(kind: str, key: str, values: list[Any], position: int) -> str:
    return encode_cursor(kind, [*values, hide_position(key, position)])


def decode_row_cursor(
    kind: str, key: str, cursor: str | None, width: int
) -> tuple[list[Any], int] | None:
    """(sort values, position) from a cursor of this list; BAD_USER_INPUT if not one."""
    raw = decode_cursor(kind, cursor)
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != width + 1:
        raise invalid_cursor()
    hidden = raw[-1]
    if not isinstance(hidden, int) or isinstance(hidden, bool) or not 0 <= hidden < 2**64:
        raise invalid_cursor()
    position = reveal_position(key, hidden)
    if position >= 2**63:  # no row has it: a forged cursor, which a BIGINT cannot even hold
        raise invalid_cursor()
    return raw[:-1], position
