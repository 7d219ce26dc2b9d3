"""`copied`: a value built from a record's same-named attributes, with the converted ones given."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import strawberry

from opendata.copying import copied


@dataclass(frozen=True)
class Shown:
    name: str
    size: int
    label: str


@strawberry.type
class ShownType:
    name: str
    size: int

    @strawberry.field
    def doubled(self) -> int:
        return self.size * 2


def test_fields_come_from_the_same_named_attributes_and_given_ones_win() -> None:
    record = SimpleNamespace(name="a", size=3, label="ignored", extra=1)
    assert copied(Shown, record, label="L") == Shown("a", 3, "L")


def test_a_strawberry_resolver_is_not_a_field_to_copy() -> None:
    built = copied(ShownType, SimpleNamespace(name="b", size=4))
    assert (built.name, built.size, built.doubled()) == ("b", 4, 8)


def test_a_missing_attribute_is_an_error_not_a_silent_default() -> None:
    with pytest.raises(AttributeError):
        copied(Shown, SimpleNamespace(name="c"), label="L")
