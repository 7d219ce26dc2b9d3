"""CKAN's own client code against a running server of ours, on SQLite and on PostgreSQL.

ckanext-harvest's `CKANHarvester` gather stage (its real `_search_for_datasets`) and the
`ckanapi` command line run in the CKAN 2.11 environment (`make ckan-env`, see
`tests/interop/ckan_env.py`); what they gather is compared with what `package_list` and
`package_show` say, so each filter has exactly one right answer.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest
from sqlalchemy import update

from opendata.db.engine import Database
from opendata.db.models import Dataset
from tests.catalogue.builders import write_dataset
from tests.conftest import DatabaseFactory
from tests.interop.ckan_env import ckan_command, ckan_environ, ckan_python, run_client
from tests.interop.conftest import (
    PARTLY_WITHHELD,
    SECRET_VALUE,
    UNIQUE_NIKS,
    WITHHELD_ROW_PLACE,
    harvest_catalog,
)
from tests.web.server import ServerProcess

pytestmark = pytest.mark.slow
RECENT = "kejadian-banjir"  # the one dataset changed since the last harvest
REGISTER = "posko-pengungsian"  # 30 rows, for paging a filtered datastore_search
REGISTER_ROWS = "kecamatan,tahun,kasus,nik,status\n" + "".join(
    f"{['Kubu', 'Sungai Raya', 'Rasau Jaya'][i % 3]},{2020 + i % 4},{i},61120000{i:08d},terbuka\n"
    for i in range(30)
)
LONG_AGO = datetime.now(UTC) - timedelta(days=3)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
async def server(
    request: pytest.FixtureRequest,
    database_factory: DatabaseFactory,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[ServerProcess]:
    ckan_python()  # skip (or fail under OPENDATA_REQUIRE_CKAN) before starting anything
    url = await database_factory.url(request.param)
    root = tmp_path_factory.mktemp(f"ckan-{request.param}")
    catalog = harvest_catalog(root / "catalog")
    write_dataset(catalog, "bpbd", REGISTER, csv_text=REGISTER_ROWS, topics=["sosial"])
    process = ServerProcess(root / "data", database_url=url)
    process.run("catalog", "load", str(catalog))
    # Every dataset but one last changed three days ago: the incremental harvest's filter.
    database = Database(url)
    async with database.write() as session:
        await session.execute(
            update(Dataset).where(Dataset.slug != RECENT).values(updated_at=LONG_AGO)
        )
    await database.dispose()
    await asyncio.to_thread(process.start)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def packages(server: ServerProcess) -> Iterator[dict[str, dict[str, Any]]]:
    """package_list, each with its package_show: what every filter is checked against."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        names = client.get("/api/3/action/package_list").json()["result"]
        yield {
            name: client.get("/api/3/action/package_show", params={"id": name}).json()["result"]
            for name in names
        }


LAST_HARVEST = datetime.now(UTC) - timedelta(days=1)
# Every harvest the tests check, by label: the source configuration and the last harvest.
RUNS: dict[str, tuple[dict[str, Any], datetime | None]] = {
    "full": ({}, None),
    "include bpbd": ({"organizations_filter_include": ["bpbd"]}, None),
    "include both": ({"organizations_filter_include": ["bpbd", "dinkes"]}, None),
    "exclude bpbd": ({"organizations_filter_exclude": ["bpbd"]}, None),
    "include groups": ({"groups_filter_include": ["kebencanaan", "sosial"]}, None),
    "exclude kesehatan": ({"groups_filter_exclude": ["kesehatan"]}, None),
    "dinkes and kesehatan": (
        {"organizations_filter_include": ["dinkes"], "groups_filter_include": ["kesehatan"]},
        None,
    ),
    "since yesterday": ({}, LAST_HARVEST),
    "since tomorrow": ({}, datetime.now(UTC) + timedelta(days=1)),
    "dinkes since yesterday": ({"organizations_filter_include": ["dinkes"]}, LAST_HARVEST),
}


@pytest.fixture(scope="module")
def gathered(server: ServerProcess) -> dict[str, list[str]]:
    """What the real gather stage gathers for each of RUNS (one CKAN process for all)."""
    runs = [
        {"config": config, "since": since and since.replace(tzinfo=None).isoformat()}
        for config, since in RUNS.values()
    ]
    results = run_client("harvest_gather", server.url, json.dumps(runs))
    names: dict[str, list[str]] = {}
    for label, result in zip(RUNS, results, strict=True):
        assert result["errors"] == [], (label, result["errors"])
        assert len(result["names"]) == len(set(result["names"])) == len(result["ids"] or [])
        names[label] = result["names"]
    return names


def _names_where(packages: dict[str, dict[str, Any]], keep: Any) -> list[str]:
    return sorted(name for name, package in packages.items() if keep(package))


def _organization(package: dict[str, Any]) -> str:
    return str(package["organization"]["name"])


def _groups(package: dict[str, Any]) -> set[str]:
    return {group["name"] for group in package["groups"]}


def test_a_full_harvest_gathers_exactly_package_list(
    gathered: dict[str, list[str]], packages: dict[str, dict[str, Any]]
) -> None:
    assert len(packages) == 5
    assert sorted(gathered["full"]) == sorted(packages)


def test_harvest_include_and_exclude_by_organization(
    gathered: dict[str, list[str]], packages: dict[str, dict[str, Any]]
) -> None:
    include = gathered["include bpbd"]
    assert sorted(include) == _names_where(packages, lambda p: _organization(p) == "bpbd")
    both = gathered["include both"]
    assert sorted(both) == sorted(packages)
    exclude = gathered["exclude bpbd"]
    assert sorted(exclude) == _names_where(packages, lambda p: _organization(p) != "bpbd")
    assert include and exclude and not set(include) & set(exclude)


def test_harvest_include_and_exclude_by_group(
    gathered: dict[str, list[str]], packages: dict[str, dict[str, Any]]
) -> None:
    include = gathered["include groups"]
    expected = _names_where(packages, lambda p: bool(_groups(p) & {"kebencanaan", "sosial"}))
    assert sorted(include) == expected and len(expected) == 2
    exclude = gathered["exclude kesehatan"]
    assert sorted(exclude) == _names_where(packages, lambda p: "kesehatan" not in _groups(p))
    assert sorted(exclude) == sorted(include)
    mixed = gathered["dinkes and kesehatan"]
    assert sorted(mixed) == _names_where(
        packages, lambda p: _organization(p) == "dinkes" and "kesehatan" in _groups(p)
    )


def test_the_incremental_harvest_gathers_what_changed_since_the_last_one(
    gathered: dict[str, list[str]], packages: dict[str, dict[str, Any]]
) -> None:
    # the harvester asks from an hour before its last run: metadata_modified:[... TO *]
    since = (LAST_HARVEST - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    changed = gathered["since yesterday"]
    assert changed == _names_where(packages, lambda p: p["metadata_modified"] >= since)
    assert changed == [RECENT]
    assert gathered["since tomorrow"] == []
    # with a filter too: an organization that changed nothing gives nothing
    assert gathered["dinkes since yesterday"] == []


def _ckanapi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ckan_command("ckanapi")), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ckan_python().parent,
        env=ckan_environ(),
    )


def test_ckanapi_dumps_every_dataset_and_organization(
    server: ServerProcess, packages: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    datasets = tmp_path / "datasets.jsonl"
    done = _ckanapi("dump", "datasets", "--all", "-r", server.url, "-O", str(datasets), "-q")
    assert done.returncode == 0, done.stderr
    dumped = [json.loads(line) for line in datasets.read_text().splitlines()]
    assert sorted(d["name"] for d in dumped) == sorted(packages)
    text = datasets.read_text()
    assert not any(nik in text for nik in UNIQUE_NIKS)
    assert WITHHELD_ROW_PLACE not in text and SECRET_VALUE not in text
    organizations = tmp_path / "organizations.jsonl"
    done = _ckanapi(
        "dump", "organizations", "--all", "-r", server.url, "-O", str(organizations), "-q"
    )
    assert done.returncode == 0, done.stderr
    dumped_orgs = [json.loads(line) for line in organizations.read_text().splitlines()]
    assert sorted(o["name"] for o in dumped_orgs) == ["bpbd", "dinkes"]
    assert {o["name"]: o["package_count"] for o in dumped_orgs} == {
        "bpbd": len(_names_where(packages, lambda p: _organization(p) == "bpbd")),
        "dinkes": len(_names_where(packages, lambda p: _organization(p) == "dinkes")),
    }


def _follow(client: httpx.Client, first: httpx.Response) -> tuple[list[dict[str, Any]], int]:
    """Every record from a first answer on, following `_links.next` until a page is empty."""
    collected: list[dict[str, Any]] = []
    answer, pages = first, 0
    while True:
        assert answer.status_code == 200, answer.text
        result = answer.json()["result"]
        if not result["records"]:
            return collected, pages
        collected += result["records"]
        pages += 1
        assert pages < 50
        assert result["_links"]["next"].startswith("/api/3/action/datastore_search?")
        answer = client.get(urljoin(str(answer.url), result["_links"]["next"]))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_following_next_from_a_filtered_search_returns_exactly_the_filtered_rows(
    server: ServerProcess, packages: dict[str, dict[str, Any]], method: str
) -> None:
    resource_id = packages[REGISTER]["resources"][0]["id"]
    query: dict[str, Any] = {
        "resource_id": resource_id,
        "filters": json.dumps({"kecamatan": ["Kubu", "Rasau Jaya"], "tahun": [2020, 2021, 2023]}),
        "q": "61",
        "sort": "kasus desc",
        "fields": "kecamatan,tahun,kasus",
        "limit": 4,
    }
    with httpx.Client(base_url=server.url, timeout=30) as client:
        path = "/api/3/action/datastore_search"
        everything = client.get(path, params={**query, "limit": 1000}).json()["result"]
        if method == "GET":
            first = client.get(path, params=query)
        else:
            first = client.post(path, json={**query, "filters": json.loads(query["filters"])})
        collected, pages = _follow(client, first)
    expected = [
        row
        for row in everything["records"]
        if row["kecamatan"] in ("Kubu", "Rasau Jaya") and row["tahun"] in (2020, 2021, 2023)
    ]
    assert len(everything["records"]) == everything["total"] == len(expected) == 15
    assert collected == everything["records"]
    assert [row["kasus"] for row in collected] == sorted(
        (r["kasus"] for r in collected), reverse=True
    )
    assert pages == 4 and all(
        set(row) == {"_id", "kecamatan", "tahun", "kasus"} for row in collected
    )


def test_datastore_records_formats_distinct_and_q_per_field(
    server: ServerProcess, packages: dict[str, dict[str, Any]]
) -> None:
    resource_id = packages[REGISTER]["resources"][0]["id"]
    path = "/api/3/action/datastore_search"
    with httpx.Client(base_url=server.url, timeout=30) as client:

        def search(**params: Any) -> dict[str, Any]:
            answer = client.post(path, json={"resource_id": resource_id, **params})
            assert answer.status_code == 200, answer.text
            result: dict[str, Any] = answer.json()["result"]
            return result

        as_csv = search(
            fields=["kecamatan", "tahun"], limit=2, sort="kasus asc", records_format="csv"
        )
        assert as_csv["records"] == "1,Kubu,2020\n2,Sungai Raya,2021\n"
        as_tsv = search(fields=["kecamatan"], limit=1, records_format="tsv", offset=2)
        assert as_tsv["records"] == "3\tRasau Jaya\n"
        distinct = search(fields=["kecamatan"], distinct=True, sort="kecamatan asc")
        assert [r["kecamatan"] for r in distinct["records"]] == [
            "Kubu",
            "Rasau Jaya",
            "Sungai Raya",
        ]
        assert distinct["total"] == 3
        per_field = search(q={"kecamatan": "sungai"}, fields=["kecamatan"])
        assert per_field["total"] == 10
        assert {r["kecamatan"] for r in per_field["records"]} == {"Sungai Raya"}
        by_id = search(id=resource_id, limit=1)  # `id` is another name for resource_id
        assert by_id["total"] == 30
        refused = client.post(path, json={"resource_id": resource_id, "q": {"tidak_ada": "6112"}})
        assert refused.status_code == 409
        partly = packages[PARTLY_WITHHELD]["resources"][0]["id"]
        withheld = client.post(path, json={"resource_id": partly, "q": {"nik": UNIQUE_NIKS[0]}})
        assert withheld.status_code == 409 and UNIQUE_NIKS[0] not in withheld.text
