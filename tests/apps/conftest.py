"""The app over HTTP with the small catalogue and two app tokens of dinkes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from opendata.app import create_app
from opendata.apps.registry import add_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.catalogue.builders import small_catalog
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

FIELDS = ("kecamatan", "tahun", "kasus", "nik", "status")
OPEN_DATASET = "imunisasi-dasar"  # no exemption
EXEMPT_DATASET = "kasus-dbd"  # nik withheld (FIELD), "dalam penyelidikan" rows withheld (ROW)
FOREIGN_DATASET = "kejadian-banjir"  # bpbd's
RESOURCE = "kasus"
LOADED_ROWS = 4  # tests.catalogue.builders.BASE_ROWS

ROWS = """query($slug: String!, $first: Int = 10, $where: JSON) {
  dataset(slug: $slug) { resources { id name rows(first: $first, where: $where) {
    totalCount edges { node } } } } }"""


@dataclass
class PushWorld:
    client: httpx.AsyncClient
    services: Services
    open_token: str  # may write imunisasi-dasar only
    exempt_token: str  # may write kasus-dbd only


@pytest.fixture
async def push_world(services: Services, tmp_path: Path) -> AsyncIterator[PushWorld]:
    summary = await load_catalog(services, small_catalog(tmp_path / "catalog"))
    assert summary.ok, summary.refused
    rt_online = await add_app(
        services.database, name="RT Online", agency_slug="dinkes", dataset_slugs=[OPEN_DATASET]
    )
    lapor = await add_app(
        services.database, name="Lapor DBD", agency_slug="dinkes", dataset_slugs=[EXEMPT_DATASET]
    )
    async with asgi_client(create_app(services)) as client:
        yield PushWorld(client, services, rt_online.token, lapor.token)


def make_rows(count: int, *, start: int = 0, **fixed: Any) -> list[dict[str, Any]]:
    return [
        {
            "kecamatan": f"Kecamatan {(start + i) % 97}",
            "tahun": 2025,
            "kasus": start + i,
            "nik": f"{9100000000000000 + start + i}",
            "status": "terbuka",
            **fixed,
        }
        for i in range(count)
    ]


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


async def push(
    client: httpx.AsyncClient,
    token: str | None,
    rows: list[dict[str, Any]] | bytes,
    *,
    dataset: str = OPEN_DATASET,
    resource: str = RESOURCE,
    mode: str = "append",
    key: str = "key-1",
    csv_body: bool = False,
) -> httpx.Response:
    """POST rows as JSON (a list) or CSV (`csv_body`, or bytes given as they are)."""
    if isinstance(rows, bytes):
        body, content_type = rows, "text/csv"
    elif csv_body:
        body, content_type = as_csv(rows), "text/csv"
    else:
        body, content_type = json.dumps(rows).encode(), "application/json"
    headers = {"Content-Type": content_type, "Idempotency-Key": key}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await client.post(
        f"/api/push/{dataset}/{resource}?mode={mode}", content=body, headers=headers, timeout=120
    )


async def rows_of(
    client: httpx.AsyncClient, slug: str, where: dict[str, Any] | None = None, first: int = 10
) -> tuple[int, list[dict[str, Any]]]:
    """(totalCount, first rows) of the dataset's resource through GraphQL `rows`."""
    body = await gql(client, ROWS, {"slug": slug, "where": where, "first": first})
    resource = data(body)["dataset"]["resources"][0]
    return resource["rows"]["totalCount"], [edge["node"] for edge in resource["rows"]["edges"]]
