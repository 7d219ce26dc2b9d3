"""A reload by another process (the CLI) while a server answers searches: nothing the
database now withholds is served afterwards, by POST or by cacheable GET, on any backend;
also when that process died between its commit and any index write.

Each test draws a fresh marker value (it appears nowhere in the repository), so a leak is a
substring of the response body.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services, open_services
from tests.catalogue.builders import BASE_ROWS, NIK_EXEMPTION, write_agency, write_dataset
from tests.conftest import DatabaseFactory, asgi_client, make_services

# (database, search backend, the CLI dies between its commit and any index write). PostgreSQL
# search writes its rows in the change's own transaction: there is no such window there.
CASES = [
    ("sqlite", "whoosh", False),
    ("sqlite", "whoosh", True),
    ("postgres", "whoosh", False),
    ("postgres", "whoosh", True),
    ("postgres", "postgres", False),
]
SEARCH = (
    "query($q: String!) { datasets(query: $q) { totalCount edges { highlight node { slug } } } }"
)


def catalogue_with(root: Path, marker: str, *, withheld: bool) -> Path:
    """One dataset whose `nik` column holds `marker`; FIELD-exempt when `withheld`."""
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    rows = BASE_ROWS.replace("6112000000000002", marker)
    write_dataset(
        root, "dinkes", "kasus-dbd", csv_text=rows, exemptions=[NIK_EXEMPTION] if withheld else []
    )
    return root


async def searches(client: httpx.AsyncClient, marker: str) -> list[str]:
    """The search answered over POST and over cacheable GET (twice: a cached copy too)."""
    variables = {"q": marker}
    bodies = [(await client.post("/graphql", json={"query": SEARCH, "variables": variables})).text]
    params = {"query": SEARCH, "variables": json.dumps(variables)}
    for _ in range(2):
        bodies.append((await client.get("/graphql", params=params)).text)
    return bodies


def hits(body: str) -> int:
    total: Any = json.loads(body)["data"]["datasets"]["totalCount"]
    return int(total)


async def _reload_from_another_process(
    server: Services, root: Path, *, crash_before_index: bool
) -> None:
    cli = await open_services(server.settings)
    try:
        if crash_before_index:  # the process dies after its commit, before any index write

            async def never(*_args: object) -> None:
                return None

            cli.search.index_datasets = never  # type: ignore[method-assign]
        summary = await load_catalog(cli, root)
        assert summary.ok and summary.updated == ["kasus-dbd"]
    finally:
        await cli.close()


@pytest.mark.parametrize(("dialect", "backend", "crash_before_index"), CASES)
async def test_field_exemption_loaded_by_the_cli_is_never_searched_again(
    database_factory: DatabaseFactory,
    tmp_path: Path,
    dialect: str,
    backend: str,
    crash_before_index: bool,
) -> None:
    server = await make_services(
        database_factory, dialect, tmp_path / "data", search_backend=backend
    )
    try:
        await _serve_search_across_reload(server, tmp_path, crash_before_index)
    finally:
        await server.close()


async def _serve_search_across_reload(
    server: Services, tmp_path: Path, crash_before_index: bool
) -> None:
    marker = "zq" + uuid.uuid4().hex[:12]
    assert (await load_catalog(server, catalogue_with(tmp_path / "v1", marker, withheld=False))).ok
    async with asgi_client(create_app(server)) as client:
        before = await searches(client, marker)
        assert all(hits(body) == 1 and marker in body for body in before), before

        withheld = catalogue_with(tmp_path / "v2", marker, withheld=True)
        await _reload_from_another_process(server, withheld, crash_before_index=crash_before_index)

        for body in await searches(client, marker):
            assert marker not in body
            assert hits(body) == 0
