"""The served schema keeps every name and type of the request half of the contract."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)
from graphql import build_schema as parse_sdl

from opendata.config import Limits
from opendata.web.graphql.build import build_schema

CONTRACT = Path(__file__).with_name("contract_requests.graphql")


def _differences() -> list[str]:
    contract = parse_sdl(CONTRACT.read_text(encoding="utf-8"))
    served = build_schema(Limits())._schema
    found: list[str] = []
    for name, promised in contract.type_map.items():
        if name.startswith("__"):
            continue
        given = served.type_map.get(name)
        if given is None:
            found.append(f"type {name} is missing")
            continue
        if isinstance(promised, GraphQLEnumType):
            assert isinstance(given, GraphQLEnumType)
            found += [f"{name}.{v} is missing" for v in set(promised.values) - set(given.values)]
        if not isinstance(
            promised, GraphQLObjectType | GraphQLInputObjectType | GraphQLInterfaceType
        ):
            continue
        given_fields = given.fields  # type: ignore[attr-defined]
        for field_name, field in promised.fields.items():
            served_field = given_fields.get(field_name)
            if served_field is None:
                found.append(f"{name}.{field_name} is missing")
                continue
            if str(field.type) != str(served_field.type):
                found.append(f"{name}.{field_name}: {field.type} served as {served_field.type}")
            for argument, promised_argument in getattr(field, "args", {}).items():
                served_argument = served_field.args.get(argument)
                if served_argument is None or str(promised_argument.type) != str(
                    served_argument.type
                ):
                    found.append(f"{name}.{field_name}({argument}) differs")
    return found


def test_the_served_schema_keeps_the_request_contract() -> None:
    assert _differences() == []
