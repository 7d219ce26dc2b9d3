"""Global object IDs for the Node interface: opaque, typed, stable across reloads."""

from __future__ import annotations

import base64
import binascii

from opendata.errors import BadUserInput

# Primary keys are SQL INTEGER columns (32-bit on PostgreSQL): a larger key names nothing, and
# would fail in the driver rather than simply not match.
MAX_KEY = 2**31 - 1


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(
    global_id: str, expected: str | None = None, field: str = "id"
) -> tuple[str, int]:
    """(type name, primary key); a malformed ID or one of another type is BAD_USER_INPUT."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        key = int(pk) if pk.isascii() and pk.isdigit() else -1  # not "١", " 1", "1_0"
    except (binascii.Error, ValueError, UnicodeDecodeError):
        type_name, key = "", -1
    if not type_name or not 0 <= key <= MAX_KEY or (expected is not None and type_name != expected):
        wanted = f" {expected}" if expected else ""
        raise BadUserInput(f"ID{wanted} tidak valid.", f"Not a valid{wanted} ID.", field=field)
    return type_name, key
