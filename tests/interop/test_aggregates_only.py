"""A dataset published as AGGREGATES (`publicationMode`) lists no row at any door.

The same register (tests/aggregate/catalogue.py) is loaded as ROWS, then reloaded as
AGGREGATES: each door that served its rows before (the positive control) refuses them or
offers no link to them after, while `aggregate` still answers with small-cell suppression.
Doors: GraphQL `rows` and `downloadUrl`, /download (CSV, JSON Lines, XLSX), CKAN
`datastore_search` and its resource URLs, DCAT and schema.org distributions, the dataset
page (table, CSV link), search (no cell value indexed). Both databases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.errors import RowsNotPublished
from opendata.services import Services
from tests.aggregate.catalogue import write_catalogue
from tests.aggregate.test_small_counts import AGGREGATE, MINIMUM, SIZES, SMALLEST
from tests.conftest import asgi_client
from tests.exemptions.helpers import search_slugs
from tests.web.helpers import data, error_codes, gql

SLUG = "laporan-warga"
QUERY = """query($slug: String!) { dataset(slug: $slug) { publicationMode
  resources { id downloadUrl rows(first: 5) { totalCount edges { node } } } } }"""


async def doors(client: httpx.AsyncClient) -> dict[str, Any]:
    """What each door answers about the register's rows (a status, a flag, a count)."""
    body = await gql(client, QUERY, {"slug": SLUG})
    dataset = body["data"]["dataset"]
    resource = dataset["resources"][0]
    resource_id = resource["id"]
    small = json.dumps({"kecamatan": SMALLEST})
    downloads = {
        extension: (
            await client.get(f"/download/{resource_id}.{extension}", params={"where": small})
        ).status_code
        for extension in ("csv", "jsonl", "xlsx")
    }
    datastore = await client.post(
        "/api/3/action/datastore_search", json={"resource_id": resource_id}
    )
    package = (await client.post("/api/3/action/package_show", json={"id": SLUG})).json()
    ckan_resource = package["result"]["resources"][0]
    page = await client.get(f"/dataset/{SLUG}", params={"lang": "en"})
    return {
        "mode": dataset["publicationMode"],
        "graphql_rows": resource["rows"] is not None,
        "graphql_codes": error_codes(body),
        "download_url": resource["downloadUrl"] is not None,
        "downloads": downloads,
        "datastore_search": datastore.status_code,
        "ckan_url": bool(ckan_resource["url"]),
        "ckan_datastore_active": ckan_resource["datastore_active"],
        "dcat_download": "downloadURL" in (await client.get(f"/dataset/{SLUG}.ttl")).text,
        "page_table": "<tbody>" in page.text.split('<section class="resource"')[1],
        "page_csv_link": "/download/" in page.text,
        "page_schema_org_download": "DataDownload" in page.text,
        "search_finds_a_cell_value": SLUG in await search_slugs(client, SMALLEST),
    }


async def test_every_door_refuses_the_rows_of_an_aggregates_dataset(
    services: Services, tmp_path: Path
) -> None:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM)
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        before = await doors(client)
    assert before == {
        "mode": "ROWS",
        "graphql_rows": True,
        "graphql_codes": [],
        "download_url": True,
        "downloads": {"csv": 200, "jsonl": 200, "xlsx": 200},
        "datastore_search": 200,
        "ckan_url": True,
        "ckan_datastore_active": True,
        "dcat_download": True,
        "page_table": True,
        "page_csv_link": True,
        "page_schema_org_download": True,
        "search_finds_a_cell_value": True,
    }
    write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM, laporan_mode="AGGREGATES")
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        after = await doors(client)
        refusal = (await gql(client, QUERY, {"slug": SLUG}))["errors"][0]
        resource_id = data(
            await gql(client, '{ dataset(slug: "laporan-warga") { resources { id } } }')
        )["dataset"]["resources"][0]["id"]
        download = await client.get(f"/download/{resource_id}.csv")
        grouped = await gql(
            client,
            AGGREGATE,
            {"slug": SLUG, "where": None, "groupBy": ["kecamatan"], "measures": [{"op": "COUNT"}]},
        )
    status = RowsNotPublished.http_status
    assert after == {
        "mode": "AGGREGATES",
        "graphql_rows": False,
        "graphql_codes": ["FORBIDDEN"],
        "download_url": False,
        "downloads": {"csv": status, "jsonl": status, "xlsx": status},
        "datastore_search": status,
        "ckan_url": False,
        "ckan_datastore_active": False,
        "dcat_download": False,
        "page_table": False,
        "page_csv_link": False,
        "page_schema_org_download": False,
        "search_finds_a_cell_value": False,
    }
    # the refusal says why, in both languages, at GraphQL and at the download
    assert "agregat" in refusal["message"] and "aggregates" in refusal["extensions"]["messageEn"]
    assert download.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "content-disposition" not in download.headers
    # aggregate answers, the small kecamatan and its complement suppressed
    answer = data(grouped)["dataset"]["resources"][0]["aggregate"]
    counts = {g["key"]["kecamatan"]: g["values"][0] for g in answer["groups"]}
    assert counts[SMALLEST] is None and answer["suppressedGroups"] == 2
    assert sum(v for v in counts.values() if v is not None) < sum(SIZES.values())


async def test_an_aggregates_dataset_suppresses_small_groups_without_an_exemption(
    services: Services, tmp_path: Path
) -> None:
    """No personal-data exemption in force: publishing as AGGREGATES alone brings the
    small-cell rule (the default minimum of 5 where the descriptor sets none)."""
    root = write_catalogue(tmp_path / "cat", laporan_exemptions=[], laporan_mode="AGGREGATES")
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        grouped = await gql(
            client,
            AGGREGATE,
            {"slug": SLUG, "where": None, "groupBy": ["kecamatan"], "measures": [{"op": "COUNT"}]},
        )
        small_filter = await gql(
            client,
            AGGREGATE,
            {
                "slug": SLUG,
                "where": {"kecamatan": SMALLEST},
                "groupBy": [],
                "measures": [{"op": "COUNT"}],
            },
        )
    groups = data(grouped)["dataset"]["resources"][0]["aggregate"]["groups"]
    small = [g for g in groups if g["suppressed"]]
    assert small and all(g["values"] == [None] for g in small)
    assert error_codes(small_filter) == ["SMALL_CELL"]
