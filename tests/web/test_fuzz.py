"""A schema-driven fuzz run (schemathesis, GraphQL) against a running server: no 500, no stack
trace, no SQL or driver detail in any answer, every error in the contract's codes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from graphql import StringValueNode, parse, visit
from graphql.language import Visitor
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.catalogue.builders import small_catalog
from tests.web.server import ServerProcess

# Files travel only in multipart requests; a fuzzed literal must be refused, not crash.
schemathesis.graphql.scalar("Upload", st.sampled_from(["", "a.pdf"]).map(nodes.String))
# A JSON argument (a data package's metadata): any literal, also one that is no descriptor.
schemathesis.graphql.scalar(
    "JSON",
    st.one_of(
        st.text(max_size=20).map(nodes.String),
        st.integers(-5, 5).map(nodes.Int),
        st.just(nodes.Null),
    ),
)

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("OPENDATA_FUZZ_EXAMPLES", "12"))
CODES = {
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "INVALID_TRANSITION",
    "DEADLINE_PASSED",
    "QUERY_TOO_COMPLEX",
    "RATE_LIMITED",
}
LEAK_MARKERS = (
    "traceback",
    "sqlalchemy",
    "asyncpg",
    "sqlite3",
    "aiosqlite",
    "psycopg",
    "resource_rows",
    'file "/',
    "internal_server_error",
    " line ",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("fuzz")
    process = ServerProcess(root / "data")
    process.run("catalog", "load", str(small_catalog(root / "catalog")))
    process.start()
    yield process
    process.stop()


def _echoed_strings(query: str) -> list[str]:
    """String literals the client sent: they may be echoed back in a NOT_FOUND message."""
    found: list[str] = []

    class Collect(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: object) -> None:
            found.append(node.value)

    try:
        visit(parse(query), Collect())
    except Exception:
        return []
    return found


def test_fuzzed_operations_never_fail_or_leak(server: ServerProcess) -> None:
    schema = schemathesis.graphql.from_url(f"{server.url}/graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    seen = {"cases": 0}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            seen["cases"] += 1
            assert response.status_code < 500, response.text[:500]
            body = response.json()
            for error in body.get("errors", []):
                assert error["extensions"]["code"] in CODES, error
                assert error["extensions"].get("messageEn"), error
            text = response.text
            query = (
                case.body if isinstance(case.body, str) else str((case.body or {}).get("query", ""))
            )
            for echoed in _echoed_strings(query):
                text = text.replace(echoed, "")
            lowered = text.lower()
            assert not any(marker in lowered for marker in LEAK_MARKERS), response.text[:800]

        check()
    assert seen["cases"] >= len(operations)
    Path(server.data_dir.parent / "fuzz-cases.txt").write_text(str(seen["cases"]))
