"""Builds a GraphQL object from a record whose attributes bear the fields' names.

Most of our types show a stored row or a domain value field by field under the same names;
saying each name twice (`slug=model.slug`) hid the few fields that are converted."""

from __future__ import annotations

from typing import Any, TypeVar

from strawberry.types.base import get_object_definition

T = TypeVar("T")


def copied(cls: type[T], source: object, **given: Any) -> T:
    """`cls` with each plain (resolver-less) field not in `given` read from `source`."""
    definition = get_object_definition(cls, strict=True)
    names = [f.python_name for f in definition.fields if f.base_resolver is None]
    values = {name: getattr(source, name) for name in names if name not in given}
    return cls(**values, **given)
