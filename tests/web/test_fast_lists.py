"""Lists of leaf-only objects completed in one loop (`web/graphql/fast_lists.py`) answer
byte for byte what graphql-core's own completion answers: values, order, aliases,
directives, fragments, errors, their paths and null propagation.

Each query runs through the schema twice, with the fast executor and with strawberry's plain
one, and the two JSON answers are compared; on the catalogue (both databases, withheld
fields, rows and a dataset withheld whole in force) and on a small schema made to fail in
every way a leaf list can.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry.scalars import JSON
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.catalogue.loader import load_catalog
from opendata.config import Limits
from opendata.request_scope import RequestScope
from opendata.services import Services
from opendata.web.errors import format_graphql_error
from opendata.web.graphql.build import build_schema
from opendata.web.graphql.fast_lists import FastListExecutor, LeafListPlan
from opendata.web.responses import encode
from tests.catalogue.builders import small_catalog, write_dataset

WITHHELD_WHOLE = {
    "scope": "DATASET",
    "basis": "PASAL_17I",
    "consequenceTest": "Memorandum internal.",
    "decidedOn": "2025-01-01",
}

ROWS = """
fragment Edge on RowEdge { cursor node }
query($slug: String!, $on: Boolean!) { dataset(slug: $slug) {
  slug topics keywords
  fields: resources { name fields { name title type withheld __typename } }
  exemptions { __typename id basis scope consequenceTest decidedOn expiresOn active }
  resources { rows(first: 3) {
    totalCount
    edges { node cursor __typename }
    again: edges { n: node, c: cursor @include(if: $on), t: __typename @skip(if: $on) }
    hidden: edges @include(if: false) { node }
    spread: edges { ...Edge ... on RowEdge { kind: __typename } }
    pageInfo { hasNextPage endCursor }
  } }
} }"""
PAGED = """query($slug: String!, $after: String) { dataset(slug: $slug) { resources {
  rows(first: 2, after: $after, orderBy: [{field: "kasus", direction: DESC}]) {
    edges { cursor node } pageInfo { endCursor hasNextPage } } } } }"""
FILTERED = """query($slug: String!) { dataset(slug: $slug) { resources {
  a: rows(where: {tahun: 2023}, fields: ["kecamatan", "kasus"]) { edges { node } }
  b: rows(where: {nik: "6112000000000001"}) { edges { node } }
  c: rows(where: {tahun: {gte: "x"}}) { edges { node } } } } }"""
CATALOGUE = """query { agencies { totalCount edges { cursor node { slug name acronym } }
    pageInfo { hasNextPage endCursor } }
  datasets(first: 10, orderBy: TITLE) {
    totalCount
    edges { cursor score highlight node { slug title topics keywords category access } }
    facets { agency { value label labelEn count } topic { value count label }
             format { count value } year { value count } }
    pageInfo { hasNextPage endCursor } }
  found: datasets(query: "banjir") { edges { highlight node { slug } }
    facets { topic { __typename value count } } } }"""
# (query, variables, whether some list in the answer takes the fast path)
CASES: list[tuple[str, dict[str, Any], bool]] = [
    (ROWS, {"slug": "kasus-dbd", "on": True}, True),
    (ROWS, {"slug": "kasus-dbd", "on": False}, True),
    (ROWS, {"slug": "imunisasi-dasar", "on": True}, True),
    (ROWS, {"slug": "memo-internal", "on": True}, True),  # FORBIDDEN at rows, the rest stays
    (PAGED, {"slug": "kasus-dbd"}, True),
    (PAGED, {"slug": "kasus-dbd", "after": "not-a-cursor"}, False),  # an error, no list
    (FILTERED, {"slug": "kasus-dbd"}, True),
    (FILTERED, {"slug": "kejadian-banjir"}, True),
    (CATALOGUE, {}, True),
]


def plain_twin(schema: strawberry.Schema) -> strawberry.Schema:
    """The schema built for the app, with graphql-core's own completion of every list."""
    assert schema.execution_context_class is FastListExecutor
    schema.execution_context_class = StrawberryGraphQLCoreExecutionContext
    return schema


class RecordingExecutor(FastListExecutor):
    """The fast executor, noting the plans it made (to show the fast path is taken)."""

    plans: ClassVar[list[LeafListPlan]] = []

    def _new_plan(self, *args: Any) -> LeafListPlan | None:
        plan = super()._new_plan(*args)
        if plan is not None:
            self.plans.append(plan)
        return plan


@pytest.fixture
def recorded() -> Iterator[list[LeafListPlan]]:
    RecordingExecutor.plans = []
    yield RecordingExecutor.plans
    RecordingExecutor.plans = []


def answer(result: Any) -> tuple[str, str]:
    """The answer as graphql-core formats it and as the endpoint sends it, as JSON text."""
    raw = json.dumps(
        {"data": result.data, "errors": [e.formatted for e in result.errors or ()]},
        sort_keys=False,
        default=str,
    )
    body = {"errors": [format_graphql_error(e) for e in result.errors or ()], "data": result.data}
    return raw, encode(body).decode()


@dataclass
class Catalogue:
    services: Services
    officer: Viewer


@pytest.fixture
async def catalogue(services: Services, tmp_path: Path) -> AsyncIterator[Catalogue]:
    root = small_catalog(tmp_path / "catalog")
    write_dataset(
        root, "dinkes", "memo-internal", category="ON_REQUEST", exemptions=[WITHHELD_WHOLE]
    )
    assert (await load_catalog(services, root)).ok
    made = await create_user(
        services.database,
        email="ppid@dinkes.test",
        name="PPID",
        role="OFFICER",
        agency_slug="dinkes",
    )
    yield Catalogue(services, made.viewer)


async def run(
    services: Services,
    schema: strawberry.Schema,
    query: str,
    variables: dict[str, Any],
    viewer: Viewer | None,
) -> tuple[str, str]:
    scope = RequestScope.of(services, viewer, "127.0.0.1", "http://testserver/")
    async with services.database.shared_reads():
        result = await schema.execute(query, variable_values=variables, context_value=scope)
    return answer(result)


async def test_the_catalogue_answers_the_same_with_and_without_the_fast_path(
    catalogue: Catalogue, recorded: list[LeafListPlan]
) -> None:
    """Every case, anonymous and as the agency's officer, on one loaded catalogue."""
    fast = build_schema(Limits())
    fast.execution_context_class = RecordingExecutor
    plain = plain_twin(build_schema(Limits()))
    for query, variables, fast_path in CASES:
        for viewer in (None, catalogue.officer):
            recorded.clear()
            ours = await run(catalogue.services, fast, query, variables, viewer)
            theirs = await run(catalogue.services, plain, query, variables, viewer)
            case = (query[:60], variables, viewer and viewer.role)
            assert ours == theirs, case
            assert bool(recorded) == fast_path, case


async def test_rows_edges_take_the_fast_path_and_withheld_stays_withheld(
    catalogue: Catalogue, recorded: list[LeafListPlan]
) -> None:
    fast = build_schema(Limits())
    fast.execution_context_class = RecordingExecutor
    raw, _ = await run(catalogue.services, fast, ROWS, {"slug": "kasus-dbd", "on": True}, None)
    rows = json.loads(raw)["data"]["dataset"]["resources"][0]["rows"]
    edges = [edge["node"] for edge in rows["edges"]]
    assert rows["totalCount"] == 3  # the row under investigation is withheld
    assert [e["kecamatan"] for e in edges] == ["Sungai Kakap", "Kubu", "Rasau Jaya"]
    assert all(e["nik"] is None for e in edges)  # the withheld field
    assert rows["again"][0] == {"n": edges[0], "c": rows["edges"][0]["cursor"]}
    first = rows["edges"][0]
    assert list(rows["spread"][0].items()) == [
        ("cursor", first["cursor"]),
        ("node", first["node"]),
        ("kind", "RowEdge"),
    ]
    assert "hidden" not in rows
    row_edge_plans = [p for p in recorded if getattr(p.item, "name", None) == "RowEdge"]
    assert len(row_edge_plans) == 3  # edges, again, spread: one plan each
    # `Exemption.active` has a resolver: the exemptions take graphql-core's path
    assert not any(getattr(p.item, "name", None) == "Exemption" for p in recorded)


# A small schema made to fail in every way a list of leaves or leaf-only objects can.


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Item(Named):
    name: str
    size: int | None = None
    colour: Colour = Colour.RED
    data: JSON | None = None
    tags: list[str] = field(default_factory=list)

    @strawberry.field
    def loud(self) -> str:
        return self.name.upper()


@strawberry.type
class Other(Named):
    name: str


@strawberry.type
class Bare:
    """A type with no interface: graphql-core checks nothing of its values' types."""

    name: str
    size: int | None = None


class Raising(Item):
    """An item whose attribute read fails (as a broken property would)."""

    def __init__(self) -> None:
        pass

    @property
    def name(self) -> str:  # type: ignore[override]
        raise RuntimeError("the attribute could not be read")


class Stranger:
    """Not an Item, though it has every attribute one has (its type check refuses it)."""

    name = "stranger"
    size = 1
    colour = Colour.RED
    data = None


async def _value(value: Any) -> Any:
    return value


class Later:
    """An awaitable of `value` that has an item's attributes itself (only awaiting it shows
    the item); its coroutine is made when awaited, so nothing warns when nobody does."""

    name = "read without awaiting"
    size = 0
    colour = Colour.RED
    data = None

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        return _value(self.value).__await__()


BROKEN: dict[str, Any] = {
    "good": [
        Item(name="a", size=1, colour=Colour.BLUE, data=JSON({"x": [1, None]})),
        Item(name="b"),
        Item(name="c", size=3),
    ],
    "null_item": [Item(name="a"), None, Item(name="c")],
    "null_name": [Item(name="a"), Item(name=None), Item(name="c")],  # type: ignore[arg-type]
    "bad_colour": [Item(name="a"), Item(name="b", colour="green")],  # type: ignore[arg-type]
    "big_size": [Item(name="a", size=2**40)],
    "raising": [Item(name="a"), Raising()],
    "wrong_type": [Item(name="a"), Other(name="o")],
    "stranger": [Item(name="a"), Stranger()],
    "awaitable_item": [Item(name="a"), Later(Item(name="b"))],
    "awaitable_name": [Item(name="a"), Item(name=Later("b"))],  # type: ignore[arg-type]
    "awaitable_data": [Item(name="a", data=Later({"x": 1}))],  # type: ignore[arg-type]
    "error_data": [Item(name="a", data=ValueError("a value that is an error"))],  # type: ignore[arg-type]
    "exception": [Item(name="a"), ValueError("an item that is an error")],
    "empty": [],
}


def _items(kind: str) -> list[Any]:
    return list(BROKEN[kind])


@strawberry.type
class Query:
    @strawberry.field
    def items(self, kind: str) -> list[Item] | None:
        return _items(kind)

    @strawberry.field
    def strict(self, kind: str) -> list[Item]:
        return _items(kind)

    @strawberry.field
    def bare(self, kind: str) -> list[Bare | None] | None:
        return _items(kind)

    @strawberry.field
    def maybe(self, kind: str) -> list[Item | None] | None:
        return _items(kind)

    @strawberry.field
    def names(self, kind: str) -> list[str] | None:
        return [getattr(item, "name", None) for item in _items(kind)]  # type: ignore[misc]

    @strawberry.field
    def sizes(self, kind: str) -> list[int | None] | None:
        return [getattr(item, "size", None) for item in _items(kind)]

    @strawberry.field
    async def later(self, kind: str) -> list[Item] | None:
        return _items(kind)


SMALL_QUERIES = [
    "query($k: String!) { items(kind: $k) { name size colour data __typename } }",
    "query($k: String!) { items(kind: $k) { n: name s: size, name } }",
    "query($k: String!) { strict(kind: $k) { name } other: items(kind: $k) { size } }",
    "query($k: String!) { maybe(kind: $k) { name colour } }",
    "query($k: String!) { bare(kind: $k) { size name } }",
    "query($k: String!) { later(kind: $k) { ...F } } fragment F on Item { size name }",
    "query($k: String!) { items(kind: $k) { ... on Named { name } size @skip(if: true) } }",
    "query($k: String!) { items(kind: $k) { name @skip(if: true) } }",  # nothing selected
    "query($k: String!) { items(kind: $k) { name loud } }",  # a resolver: the plain path
    "query($k: String!) { items(kind: $k) { name tags } }",  # a list inside: the plain path
    "query($k: String!) { names(kind: $k) sizes(kind: $k) }",
]


def small_schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    fast = strawberry.Schema(query=Query, types=[Other], execution_context_class=RecordingExecutor)
    plain = strawberry.Schema(query=Query, types=[Other])
    return fast, plain


@pytest.mark.parametrize("kind", list(BROKEN))
@pytest.mark.parametrize("query", SMALL_QUERIES)
async def test_every_failure_answers_as_graphql_core_answers_it(
    recorded: list[LeafListPlan], query: str, kind: str
) -> None:
    fast, plain = small_schemas()
    ours = await fast.execute(query, variable_values={"k": kind})
    theirs = await plain.execute(query, variable_values={"k": kind})
    assert answer(ours) == answer(theirs)


def test_only_plain_leaves_make_a_plan(recorded: list[LeafListPlan]) -> None:
    fast, _ = small_schemas()
    fast.execute_sync('{ items(kind: "good") { name size colour data } }')
    (plan,) = recorded
    assert [(f.key, f.attribute) for f in plan.fields] == [
        ("name", "name"),
        ("size", "size"),
        ("colour", "colour"),
        ("data", "data"),
    ]
    recorded.clear()
    fast.execute_sync('{ items(kind: "good") { name loud } }')
    fast.execute_sync('{ items(kind: "good") { name tags } }')
    assert not [p for p in recorded if isinstance(p.item, GraphQLObjectType)]
