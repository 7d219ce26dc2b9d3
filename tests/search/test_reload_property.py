"""Property: while a real server answers searches, an `opendata catalog load` run from the
command line that withholds values (FIELD and ROW exemptions) makes every search that starts
after the command has exited blind to them, over POST and cacheable GET, on every backend.

Hypothesis draws the datasets and which of their values the reload withholds; every value
is a fresh marker (nowhere in the repository), so a leak is a substring of a response.
`OPENDATA_RELOAD_EXAMPLES` cases per backend (default 2), derandomized.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import DatabaseFactory
from tests.web.server import ServerProcess

EXAMPLES = int(os.environ.get("OPENDATA_RELOAD_EXAMPLES", "2"))
CASES = [("sqlite", "whoosh"), ("postgres", "whoosh"), ("postgres", "postgres")]
SEARCH = (
    "query($q: String!) { datasets(query: $q) { totalCount edges { highlight node { slug } } } }"
)
ROWS = 4
FIELDS = [
    {"name": "kecamatan", "type": "string"},
    {"name": "tahun", "type": "integer"},
    {"name": "nik", "type": "string"},
]


@dataclass(frozen=True)
class DatasetPlan:
    """What the reload withholds in one dataset: the `nik` field, and some rows."""

    field_withheld: bool
    rows_withheld: frozenset[int]


plans = st.lists(
    st.builds(
        DatasetPlan,
        field_withheld=st.booleans(),
        rows_withheld=st.frozensets(st.integers(0, ROWS - 1), max_size=2),
    ),
    min_size=1,
    max_size=3,
)


def _marker() -> str:
    return "qw" + uuid.uuid4().hex[:12]


def _write(
    root: Path, agency: str, cells: list[list[list[str]]], plan: list[DatasetPlan] | None
) -> Path:
    folder = root / agency
    folder.mkdir(parents=True)
    (folder / "agency.yaml").write_text(yaml.safe_dump({"name": f"Badan {agency}"}))
    for number, rows in enumerate(cells):
        exemptions = []
        if plan is not None and plan[number].field_withheld:
            exemptions.append(
                {
                    "scope": "FIELD",
                    "field": "nik",
                    "basis": "PASAL_17H",
                    "consequenceTest": "Membuka NIK mengungkap data pribadi.",
                    "decidedOn": "2025-02-01",
                }
            )
        for row in sorted(plan[number].rows_withheld) if plan is not None else []:
            exemptions.append(
                {
                    "scope": "ROW",
                    "rowFilter": {"kecamatan": rows[row][0]},
                    "basis": "PASAL_17A",
                    "consequenceTest": "Membuka baris ini menghambat penyelidikan.",
                    "decidedOn": "2025-02-01",
                    "expiresOn": "2099-12-31",
                }
            )
        dataset = folder / f"{agency}-{number}"
        dataset.mkdir()
        descriptor = {
            "name": dataset.name,
            "title": f"Data uji {number}",
            "licenses": [{"name": "CC-BY-4.0"}],
            "category": "PERIODIC",
            "topics": ["kesehatan"],
            "resources": [
                {"name": "data", "path": "data.csv", "format": "csv", "schema": {"fields": FIELDS}}
            ],
            "exemptions": exemptions,
        }
        (dataset / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False))
        lines = ["kecamatan,tahun,nik"] + [f"{r[0]},2024,{r[1]}" for r in rows]
        (dataset / "data.csv").write_text("\n".join(lines) + "\n")
    return root


def _search(client: httpx.Client, marker: str, over_get: bool) -> str:
    variables = {"q": marker}
    if over_get:
        params = {"query": SEARCH, "variables": json.dumps(variables)}
        return client.get("/graphql", params=params).text
    return client.post("/graphql", json={"query": SEARCH, "variables": variables}).text


class Poller(threading.Thread):
    """Searches the markers over and over, recording when each search started."""

    def __init__(self, url: str, markers: list[str]) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.markers = markers
        self.stop = threading.Event()
        self.answers: list[tuple[float, str]] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            turn = 0
            while not self.stop.is_set():
                marker = self.markers[turn % len(self.markers)]
                started = time.monotonic()
                self.answers.append((started, _search(client, marker, over_get=turn % 2 == 1)))
                turn += 1


def check_reload(server: ServerProcess, tmp_path: Path, plan: list[DatasetPlan]) -> None:
    agency = "uji-" + uuid.uuid4().hex[:8]
    cells = [[[_marker(), _marker()] for _ in range(ROWS)] for _ in plan]
    withheld = [
        value
        for rows, dataset in zip(cells, plan, strict=True)
        for index, (kecamatan, nik) in enumerate(rows)
        for value in (
            ([kecamatan, nik] if index in dataset.rows_withheld else [])
            + ([nik] if dataset.field_withheld else [])
        )
    ]
    public = [v for rows in cells for row in rows for v in row if v not in withheld]
    server.run("catalog", "load", str(_write(tmp_path / agency / "v1", agency, cells, None)))
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for marker in withheld + public:  # everything is searchable before the reload
            assert marker in _search(client, marker, over_get=False)
    poller = Poller(server.url, withheld or public)
    poller.start()
    server.run("catalog", "load", str(_write(tmp_path / agency / "v2", agency, cells, plan)))
    exited = time.monotonic()
    time.sleep(0.5)
    poller.stop.set()
    poller.join(timeout=60)
    after = [body for started, body in poller.answers if started > exited]
    assert after, "no search started after the reload"
    for body in after:
        assert not [marker for marker in withheld if marker in body], body
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for marker in withheld:
            for over_get in (False, True):
                body = _search(client, marker, over_get)
                assert marker not in body and '"totalCount":0' in body, body
        for marker in public:  # and nothing more than the plan is withheld
            assert marker in _search(client, marker, over_get=True)


@pytest.mark.slow
@pytest.mark.parametrize(("dialect", "backend"), CASES)
async def test_cli_reload_while_serving_never_leaks_to_a_later_search(
    database_factory: DatabaseFactory, tmp_path: Path, dialect: str, backend: str
) -> None:
    url = await database_factory.url(dialect) if dialect == "postgres" else ""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = ServerProcess(data_dir, url, OPENDATA_SEARCH_BACKEND=backend)
    await asyncio.to_thread(server.start)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        print_blob=False,
    )
    @given(plan=plans)
    def property_holds(plan: list[DatasetPlan]) -> None:
        check_reload(server, tmp_path, plan)

    try:
        await asyncio.to_thread(property_holds)
    finally:
        await asyncio.to_thread(server.stop)
