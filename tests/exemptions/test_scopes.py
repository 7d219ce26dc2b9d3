"""Each scope on every output path: rows and counts, the CSV download, search, notices."""

from __future__ import annotations

from tests.exemptions.conftest import World
from tests.exemptions.helpers import (
    DATASET,
    NOTICE,
    SEARCH,
    add,
    download,
    first_resource,
    rows_of,
    search_slugs,
)
from tests.web.helpers import data, error_codes, gql

INVESTIGATION = "laporan-investigasi-wabah"


async def test_field_scope_nulls_the_field_in_rows_download_and_search(world: World) -> None:
    client = world.client
    total, rows = await rows_of(client, "kasus-dbd")
    assert rows and all(row["nik"] is None for row in rows)
    resource = await first_resource(client, "kasus-dbd")
    assert {f["name"]: f["withheld"] for f in resource["fields"]} == {
        "kecamatan": False,
        "tahun": False,
        "kasus": False,
        "nik": True,
        "status": False,
    }
    csv_text = (await download(client, resource["id"])).text
    assert "6112000000000001" not in csv_text and csv_text.count("\n") == total + 1
    assert "kasus-dbd" not in await search_slugs(client, "6112000000000001")


async def test_row_scope_added_through_the_api_hides_rows_counts_download_search_at_once(
    world: World,
) -> None:
    client = world.client
    assert await search_slugs(client, "Ambawang") == [INVESTIGATION]
    assert (await rows_of(client, INVESTIGATION))[0] == 2
    body = await add(
        client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="ROW",
        basis="PASAL_17A",
        rowFilter={"status": "dalam penyelidikan"},
        expiresOn="2099-12-31",
    )
    assert data(body)["addExemption"]["target"] == "status = dalam penyelidikan"
    total, rows = await rows_of(client, INVESTIGATION)
    assert total == 1 and [row["kecamatan"] for row in rows] == ["Teluk Pakedai"]
    filtered = data(
        await gql(
            client, DATASET, {"slug": INVESTIGATION, "where": {"kecamatan": "Sungai Ambawang"}}
        )
    )["dataset"]["resources"][0]["rows"]
    assert filtered == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }
    resource = await first_resource(client, INVESTIGATION)
    csv_text = (await download(client, resource["id"])).text
    assert "Ambawang" not in csv_text and "Teluk Pakedai" in csv_text
    result = data(await gql(client, SEARCH, {"q": "Ambawang"}))["datasets"]
    assert result["totalCount"] == 0 and result["edges"] == []
    assert all(values == [] for values in result["facets"].values())
    assert await search_slugs(client, "Pakedai") == [INVESTIGATION]
    notice = data(await gql(client, NOTICE, {"slug": INVESTIGATION}))["dataset"]
    assert notice["access"] == "PARTIAL"


async def test_dataset_scope_keeps_metadata_and_notice_public_and_refuses_content(
    world: World,
) -> None:
    client = world.client
    body = await add(
        client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="DATASET",
        basis="PASAL_17A",
        expiresOn="2099-12-31",
    )
    assert data(body)["addExemption"]["target"] is None
    # rows are refused (the non-null `rows` then nulls the dataset in that one answer) ...
    answer = await gql(client, DATASET, {"slug": INVESTIGATION})
    assert error_codes(answer) == ["FORBIDDEN"]
    error = answer["errors"][0]
    assert "PASAL_17A" in error["message"] and "Pasal 17 huruf a" in error["extensions"]["messageEn"]
    assert "Ambawang" not in str(answer)
    # ... while the metadata and the notice stay public
    notice = data(await gql(client, NOTICE, {"slug": INVESTIGATION}))["dataset"]
    assert notice["access"] == "WITHHELD"
    assert [e["basis"] for e in notice["exemptions"]] == ["PASAL_17A"]
    title = data(await gql(client, '{ dataset(slug: "laporan-investigasi-wabah") { title } }'))
    assert title["dataset"]["title"] == "Laporan Investigasi Wabah"
    resource = notice["resources"][0]
    assert resource["downloadUrl"] is None
    assert all(f["withheld"] for f in resource["fields"])
    refused = await download(client, resource["id"])
    assert refused.status_code == 403 and "PASAL_17A" in refused.text
    assert "Ambawang" not in refused.text
    assert await search_slugs(client, "Ambawang") == []
    assert await search_slugs(client, "Pakedai") == []
    assert INVESTIGATION in await search_slugs(client, "investigasi wabah")


async def test_periodic_and_immediate_datasets_cannot_be_withheld_whole(world: World) -> None:
    for slug in ("kasus-dbd", "kejadian-banjir"):
        body = await add(
            world.client, world.tokens.admin, dataset=slug, scope="DATASET", basis="PASAL_17H"
        )
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == "scope"


async def test_a_row_filter_value_on_a_withheld_field_is_masked_in_the_notice(
    world: World,
) -> None:
    body = await add(
        world.client,
        world.tokens.officer,
        dataset="kasus-dbd",
        scope="ROW",
        rowFilter={"nik": "6112000000000004", "tahun": 2023},
    )
    added = data(body)["addExemption"]
    assert added["target"] == "nik = [dikecualikan/withheld]; tahun = 2023"
    assert "6112000000000004" not in str(body)
    notice = await gql(world.client, NOTICE, {"slug": "kasus-dbd"})
    assert "6112000000000004" not in str(notice)
    total, rows = await rows_of(world.client, "kasus-dbd")
    assert total == 2 and "Rasau Jaya" not in str(rows)


async def test_withheld_datasets_lists_an_agencys_dik(world: World) -> None:
    query = """query($agency: String!) { withheldDatasets(agency: $agency) { totalCount
      edges { node { slug access exemptions { basis scope target } } } } }"""
    dik = data(await gql(world.client, query, {"agency": "dinkes"}))["withheldDatasets"]
    assert [edge["node"]["slug"] for edge in dik["edges"]] == ["kasus-dbd"]
    assert {e["scope"] for e in dik["edges"][0]["node"]["exemptions"]} == {"FIELD", "ROW"}
    await add(
        world.client,
        world.tokens.officer,
        dataset=INVESTIGATION,
        scope="DATASET",
        basis="PASAL_17I",
    )
    dik = data(await gql(world.client, query, {"agency": "dinkes"}))["withheldDatasets"]
    assert dik["totalCount"] == 2
    assert [edge["node"]["access"] for edge in dik["edges"]] == ["PARTIAL", "WITHHELD"]
    empty = data(await gql(world.client, query, {"agency": "bpbd"}))["withheldDatasets"]
    assert empty == {"totalCount": 0, "edges": []}
    assert error_codes(await gql(world.client, query, {"agency": "tidak-ada"})) == ["NOT_FOUND"]
