"""The operator's commands and a push over a real loopback HTTP server (`opendata serve`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.apps.conftest import LOADED_ROWS, OPEN_DATASET, as_csv, make_rows
from tests.catalogue.builders import small_catalog
from tests.conftest import DatabaseFactory
from tests.web.server import ServerProcess

ROWS = (
    """query { dataset(slug: "imunisasi-dasar") { resources { rows(first: 1) { totalCount } } } }"""
)


def _total(client: httpx.Client) -> int:
    body = client.post("/graphql", json={"query": ROWS}).json()
    return int(body["data"]["dataset"]["resources"][0]["rows"]["totalCount"])


@pytest.mark.slow
async def test_apps_commands_and_a_push_over_loopback(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    url = await database_factory.url(dialect)
    server = ServerProcess(tmp_path / "data", database_url=url if dialect == "postgres" else "")
    server.run("catalog", "load", str(small_catalog(tmp_path / "catalog")))
    added = server.run(
        "apps", "add", "--agency", "dinkes", "--dataset", OPEN_DATASET, "--name", "RT Online"
    )
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("oda_")
    with pytest.raises(subprocess.CalledProcessError) as refused:
        server.run(
            "apps", "add", "--agency", "dinkes", "--dataset", "kejadian-banjir", "--name", "Banjir"
        )
    assert "does not belong" in refused.value.stderr
    listed = server.run("apps", "list").stdout
    assert f"RT Online\tdinkes\t{OPEN_DATASET}\tactive" in listed
    assert token not in listed

    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            headers = {
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": "loopback-1",
                "Content-Type": "text/csv",
            }
            target = f"/api/push/{OPEN_DATASET}/kasus?mode=append"
            body = as_csv(make_rows(5000))
            first = client.post(target, content=body, headers=headers)
            again = client.post(target, content=body, headers=headers)
            assert first.status_code == again.status_code == 200, first.text
            assert first.json() == again.json() == {"rows": 5000, "version": 1}
            assert _total(client) == LOADED_ROWS + 5000

            server.run("apps", "revoke", "RT Online")
            headers["Idempotency-Key"] = "loopback-2"
            assert client.post(target, content=body, headers=headers).status_code == 401
            assert _total(client) == LOADED_ROWS + 5000
    finally:
        server.stop()
    assert "revoked" in server.run("apps", "list").stdout
