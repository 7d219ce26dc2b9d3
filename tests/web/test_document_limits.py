"""Documents are measured once per fragment, after validation, off the event loop: a client
cannot stall the server, and no way of writing a query costs less than its literal twin."""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query

from tests.web.helpers import data, error_codes, gql
from tests.web.server import ServerProcess


@pytest.fixture
def dialect() -> str:
    """Storage plays no part in measuring a document: these run on SQLite only."""
    return "sqlite"


# Costs past the largest safe JSON integer are reported as it.
COST_CEILING = 2**53 - 1


def fragment_bomb(levels: int, prefix: str = "F") -> str:
    """Each fragment spreads the next twice: 2**levels `__typename` once expanded."""
    spreads = " ".join(
        f"fragment {prefix}{i} on Query {{ ...{prefix}{i + 1} ...{prefix}{i + 1} }}"
        for i in range(levels)
    )
    return f"query {{ ...{prefix}0 }} {spreads} fragment {prefix}{levels} on Query {{ __typename }}"


@pytest.fixture
def server(tmp_path: Path, dialect: str) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "data")
    process.start()
    try:
        yield process
    finally:
        process.stop()


async def test_fragment_bombs_are_refused_by_their_cost_without_being_expanded(
    server: ServerProcess,
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        for levels, cost in ((30, 2**30), (80, COST_CEILING)):
            response = await client.post("/graphql", json={"query": fragment_bomb(levels)})
            body = response.json()
            assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
            assert body["extensions"]["cost"]["requested"] == cost
            assert "data" not in body


async def test_healthz_answers_while_hostile_documents_arrive(server: ServerProcess) -> None:
    """Bombs, deep and wide documents, each new text (no cache helps), several at once."""
    documents = [fragment_bomb(26 + n, prefix=f"B{n}x") for n in range(4)]
    documents += [
        "{" + f"__typename a{n}: __typename " + "__typename " * 3800 + "}" for n in range(2)
    ]
    documents += [
        "query { ...D0 } "
        + " ".join(
            f"fragment D{i} on Query {{ ...D{i + 1} ...D{i + 1} agencies {{ totalCount }} }}"
            for i in range(40)
        )
        + " fragment D40 on Query { __typename }"
    ]
    async with (
        httpx.AsyncClient(base_url=server.url, timeout=60) as hostile,
        httpx.AsyncClient(base_url=server.url, timeout=2) as probe,
    ):
        bodies: list[dict[str, Any]] = [{"query": d} for d in documents]
        # a body near the size limit, all small values to walk (decoded off the loop too)
        bodies += [{"query": fragment_bomb(30, prefix="V"), "variables": {"v": [[0]] * 40_000}}]
        sent = [asyncio.create_task(hostile.post("/graphql", json=b)) for b in bodies]
        try:
            await asyncio.sleep(0.05)
            answered = 0
            while not all(task.done() for task in sent) or answered < 10:
                response = await probe.get("/healthz")  # ReadTimeout here: the loop stalled
                assert response.json() == {"status": "ok"}
                answered += 1
                await asyncio.sleep(0.02)
            for task in sent:
                assert error_codes((await task).json()) == ["QUERY_TOO_COMPLEX"]
        finally:
            for task in sent:
                task.cancel()
            await asyncio.gather(*sent, return_exceptions=True)


async def test_depth_and_alias_limits_count_through_fragments(api: httpx.AsyncClient) -> None:
    nested = "agency { datasets { edges { node { " * 4 + "slug" + " } } } }" * 4
    deep = f'query {{ ...Q }} fragment Q on Query {{ dataset(slug: "kasus-dbd") {{ {nested} }} }}'
    assert error_codes(await gql(api, deep)) == ["QUERY_TOO_COMPLEX"]
    aliases = " ".join(f"t{i}: __typename" for i in range(8))
    spread = (
        "query { ...A ...A2 } fragment A on Query { ...A1 ...A1 } fragment A2 on Query { ...A1 } "
    )
    wide = spread + f"fragment A1 on Query {{ {aliases} }}"
    body = await gql(api, wide)  # 3 spreads of 8 aliases: 24, allowed
    assert error_codes(body) == []
    four = spread.replace("...A2 }", "...A2 ...A2 }") + f"fragment A1 on Query {{ {aliases} }}"
    body = await gql(api, four)  # 4 spreads of 8: 32 > 30
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "32" in body["errors"][0]["extensions"]["messageEn"]


async def test_fields_written_are_bounded_before_validation(api: httpx.AsyncClient) -> None:
    body = await gql(api, "{" + "__typename " * 1001 + "}")
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "1001" in body["errors"][0]["extensions"]["messageEn"]
    assert data(await gql(api, "{" + "__typename " * 300 + "}")) == {"__typename": "Query"}


async def test_graphiql_can_still_read_the_schema(api: httpx.AsyncClient) -> None:
    body = await gql(api, get_introspection_query())
    assert data(body)["__schema"]["queryType"]["name"] == "Query"


ROWS_BY_VARIABLES = """query($f: Int = 100, $g: Int = 1000) {
  datasets(first: $f) { edges { node { resources { rows(first: $g) { totalCount } } } } } }"""
ROWS_LITERAL = """query {
  datasets(first: 100) { edges { node { resources { rows(first: 1000) { totalCount } } } } } }"""


def cost_of(body: dict[str, Any]) -> int:
    requested: int = body["extensions"]["cost"]["requested"]
    return requested


async def test_variable_defaults_cost_what_the_literal_query_costs(api: httpx.AsyncClient) -> None:
    literal = await gql(api, ROWS_LITERAL)
    by_defaults = await gql(api, ROWS_BY_VARIABLES)
    assert error_codes(literal) == error_codes(by_defaults) == ["QUERY_TOO_COMPLEX"]
    assert cost_of(by_defaults) == cost_of(literal) > 50_000
    assert "data" not in by_defaults
    given = await gql(api, ROWS_BY_VARIABLES, {"f": 2, "g": 3})
    assert error_codes(given) == []
    assert cost_of(given) < cost_of(literal)


async def test_a_null_first_costs_and_pages_as_the_field_default(api: httpx.AsyncClient) -> None:
    default = await gql(api, "{ datasets { edges { node { slug } } } }")
    nulled = await gql(
        api, "query($f: Int) { datasets(first: $f) { edges { node { slug } } } }", {"f": None}
    )
    literal_null = await gql(api, "{ datasets(first: null) { edges { node { slug } } } }")
    assert data(default) == data(nulled) == data(literal_null)
    assert cost_of(default) == cost_of(nulled) == cost_of(literal_null)


# The contract: every `first` is a nullable Int with its default (Relay clients pass null).
FIRST_ARGUMENTS = {
    ("Query", "agencies"): "50",
    ("Query", "datasets"): "20",
    ("Query", "informationRequests"): "20",
    ("Viewer", "myRequests"): "20",
    ("Agency", "datasets"): "20",
    ("Resource", "rows"): "100",
}

TYPE_ARGS = """query($name: String!) { __type(name: $name) { fields {
  name args { name defaultValue type { kind name } } } } }"""


async def test_every_first_argument_is_a_nullable_int_with_its_default(
    api: httpx.AsyncClient,
) -> None:
    for (type_name, field_name), default in FIRST_ARGUMENTS.items():
        fields = data(await gql(api, TYPE_ARGS, {"name": type_name}))["__type"]["fields"]
        field = next(f for f in fields if f["name"] == field_name)
        first = next(a for a in field["args"] if a["name"] == "first")
        assert first == {
            "name": "first",
            "defaultValue": default,
            "type": {"kind": "SCALAR", "name": "Int"},
        }, (type_name, field_name)


async def test_first_null_is_accepted_by_every_connection(api: httpx.AsyncClient) -> None:
    body = await gql(
        api,
        """query($n: Int) { agencies(first: $n) { edges { node { slug datasets(first: $n) { totalCount } } } }
          datasets(first: $n) { totalCount } informationRequests(first: $n) { totalCount } }""",
        {"n": None},
    )
    answer = data(body)
    assert len(answer["agencies"]["edges"]) == 2
    assert answer["datasets"]["totalCount"] == 3
    rows = """query($n: Int) { dataset(slug: "imunisasi-dasar") { resources {
      rows(first: $n) { totalCount edges { cursor } } } } }"""
    resources = data(await gql(api, rows, {"n": None}))["dataset"]["resources"]
    assert all(len(r["rows"]["edges"]) == min(100, r["rows"]["totalCount"]) for r in resources)


async def test_prepared_documents_are_kept_within_their_budget() -> None:
    from opendata.config import Limits
    from opendata.web.graphql.build import build_schema
    from opendata.web.graphql.documents import BYTES_PER_CHARACTER

    preparer = build_schema(Limits()).documents
    preparer.max_bytes = 2_000 * BYTES_PER_CHARACTER
    texts = [f"{{ a{n}: __typename }}" for n in range(500)]
    for text in texts:
        assert (await preparer.prepare(text)).errors == ()
    kept = [text for text in texts if text in preparer._entries]
    assert 0 < sum(map(len, kept)) <= 2_000
    assert kept == texts[-len(kept) :]  # the most recent are kept


@pytest.mark.slow
async def test_prepared_documents_hold_no_more_memory_than_their_budget() -> None:
    """The budget is in bytes, not characters: a document keeps every token and node (and
    an invalid one its errors), so 2,000,000 characters of distinct texts once held ~330 MB.
    Distinct texts of three shapes, ~8 MB of them, must leave at most a 1 MB budget."""
    from opendata.config import Limits
    from opendata.web.graphql.build import build_schema

    preparer = build_schema(Limits()).documents
    budget = 1024 * 1024
    preparer.max_bytes = budget
    shapes = (
        lambda n: "{ " + " ".join(f"nope{n}x{k}" for k in range(60)) + " }",  # 60 errors
        lambda n: (
            f"query($s: String!) {{ dataset(slug: $s) {{ title resources {{ id name "
            f"fields {{ name withheld }} rows(first: {n}) {{ totalCount edges {{ node }} }} }} }} }}"
        ),
        lambda n: f"{{ a{n}: __typename " + "__typename " * 40 + "}",
    )
    await preparer.prepare("{ __typename }")
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1, 61):
            for shape in shapes:
                await preparer.prepare(shape(n))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held <= budget * 1.1, f"{held / 2**20:.1f} MB held for a 1 MB budget"
    assert len(preparer._entries) < 3 * 60  # some were evicted
