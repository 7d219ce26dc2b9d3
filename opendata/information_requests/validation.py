"""Checking what a person typed: required text, value lists and dates, with bilingual errors.

Messages never echo the value given (it may be personal data).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from opendata.errors import BadUserInput
from opendata.inputs import too_long

MAX_TEXT = 10_000
MAX_SHORT_TEXT = 500

E = TypeVar("E", bound=StrEnum)


def required_text(value: str | None, field_name: str, *, limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise BadUserInput(
            f"`{field_name}` wajib diisi.", f"`{field_name}` is required.", field=field_name
        )
    if len(cleaned) > limit:
        raise too_long(field_name, limit)
    return cleaned


def optional_text(value: str | None, field_name: str, *, limit: int = MAX_SHORT_TEXT) -> str | None:
    if value is None or not value.strip():
        return None
    return required_text(value, field_name, limit=limit)


def one_of(kind: type[E], value: str, field_name: str, label_id: str, label_en: str) -> E:
    """`value` as a member of `kind`, or BAD_USER_INPUT naming the field."""
    try:
        return kind(value)
    except ValueError:
        raise BadUserInput(
            f"{label_id} tidak dikenal.", f"Unknown {label_en}.", field=field_name
        ) from None


def not_given(value: object, field_name: str, why_id: str, why_en: str) -> None:
    """Refuse an argument that does not belong to this step (never silently dropped)."""
    if value is not None:
        raise BadUserInput(
            f"`{field_name}` tidak berlaku: {why_id}.",
            f"`{field_name}` does not apply: {why_en}.",
            field=field_name,
        )


def date_between(
    value: date, earliest: date, latest: date, field_name: str, what_id: str, what_en: str
) -> date:
    if not earliest <= value <= latest:
        raise BadUserInput(
            f"{what_id} harus antara {earliest.isoformat()} dan {latest.isoformat()}.",
            f"{what_en} must fall between {earliest.isoformat()} and {latest.isoformat()}.",
            field=field_name,
        )
    return value
