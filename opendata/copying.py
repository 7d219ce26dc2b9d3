"""Builds a value from a record whose attributes bear its fields' names.

Many of our values show a stored row or another value field by field under the same names
(a GraphQL type from its model, a public notice from its exemption); saying each name twice
(`slug=model.slug`) hid the few fields that are converted or added."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def copied(cls: type[T], source: object, **given: Any) -> T:
    """A `cls` (a dataclass, strawberry types included) with every field its constructor takes
    read from `source`'s attribute of the same name, except those `given`."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
    values = {name: getattr(source, name) for name in names if name not in given}
    return cls(**values, **given)
