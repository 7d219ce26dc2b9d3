"""Relay connection arguments: `first` is a nullable Int, as the contract and Relay say."""

from __future__ import annotations

from opendata.schema.info import Info


def page_size(info: Info, first: int | None) -> int:
    """`first: null` (a Relay client with no preference) means the field's declared default,
    read from the field itself so that each default is written once, in its signature."""
    if first is not None:
        return first
    argument = info.get_argument_definition("first")
    if argument is None or not isinstance(argument.default, int):
        raise TypeError(f"{info.field_name} declares no integer default for `first`")
    return argument.default
