"""The catalogue half of the contract over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import itertools
import json

import httpx

from tests.web.helpers import data, error_codes, gql

ROWS = """query($slug: String!, $where: JSON, $first: Int = 100, $after: String) {
  dataset(slug: $slug) { access resources { id downloadUrl fields { name withheld }
    rows(first: $first, after: $after, where: $where) {
      totalCount edges { cursor node } pageInfo { hasNextPage endCursor } } } } }"""


async def test_agencies_are_paginated_with_opaque_cursors(api: httpx.AsyncClient) -> None:
    first = data(
        await gql(
            api,
            "{ agencies(first: 1) { totalCount edges { cursor node { slug } } pageInfo { hasNextPage endCursor } } }",
        )
    )
    page = first["agencies"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"] is True
    second = data(
        await gql(
            api,
            "query($a: String) { agencies(first: 1, after: $a) { edges { node { slug } } pageInfo { hasNextPage } } }",
            {"a": page["pageInfo"]["endCursor"]},
        )
    )
    slugs = [page["edges"][0]["node"]["slug"], second["agencies"]["edges"][0]["node"]["slug"]]
    assert sorted(slugs) == ["bpbd", "dinkes"]
    assert second["agencies"]["pageInfo"]["hasNextPage"] is False


async def test_first_out_of_range_is_bad_user_input(api: httpx.AsyncClient) -> None:
    for query in (
        "{ datasets(first: 0) { totalCount } }",
        "{ datasets(first: 101) { totalCount } }",
        "{ agencies(first: 500) { totalCount } }",
    ):
        body = await gql(api, query)
        assert error_codes(body) == ["BAD_USER_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == "first"
    body = await gql(api, ROWS, {"slug": "kasus-dbd", "first": 1001})
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_foreign_cursor_is_refused(api: httpx.AsyncClient) -> None:
    agencies = data(await gql(api, "{ agencies(first: 1) { pageInfo { endCursor } } }"))
    cursor = agencies["agencies"]["pageInfo"]["endCursor"]
    body = await gql(api, "query($a: String) { datasets(after: $a) { totalCount } }", {"a": cursor})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    body = await gql(api, '{ datasets(after: "!!not-a-cursor") { totalCount } }')
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_withheld_field_is_null_and_withheld_rows_are_not_counted(
    api: httpx.AsyncClient,
) -> None:
    dataset = data(await gql(api, ROWS, {"slug": "kasus-dbd"}))["dataset"]
    assert dataset["access"] == "PARTIAL"
    resource = dataset["resources"][0]
    assert {f["name"]: f["withheld"] for f in resource["fields"]}["nik"] is True
    rows = [edge["node"] for edge in resource["rows"]["edges"]]
    assert resource["rows"]["totalCount"] == 3 == len(rows)
    assert all(row["nik"] is None for row in rows)
    assert all(row["status"] != "dalam penyelidikan" for row in rows)


async def test_download_is_exactly_what_rows_shows(api: httpx.AsyncClient) -> None:
    resource = data(await gql(api, ROWS, {"slug": "kasus-dbd"}))["dataset"]["resources"][0]
    response = await api.get(resource["downloadUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    downloaded = list(csv.DictReader(io.StringIO(response.text)))
    shown = [edge["node"] for edge in resource["rows"]["edges"]]
    assert len(downloaded) == len(shown)
    # the withheld column (nik, 17h) is null in `rows` and left out of the file altogether
    assert "nik" in shown[0] and "nik" not in downloaded[0]
    for line, row in zip(downloaded, shown, strict=True):
        visible = {key: value for key, value in row.items() if key != "nik"}
        assert line == {key: "" if value is None else str(value) for key, value in visible.items()}
    assert "6112" not in response.text


async def test_rows_where_filters_by_typed_equality(api: httpx.AsyncClient) -> None:
    # imunisasi-dasar has the same rows as kasus-dbd and no personal-data exemption
    rows = data(await gql(api, ROWS, {"slug": "imunisasi-dasar", "where": {"tahun": 2023}}))
    connection = rows["dataset"]["resources"][0]["rows"]
    assert connection["totalCount"] == 2
    assert {e["node"]["kecamatan"] for e in connection["edges"]} == {"Sungai Kakap", "Rasau Jaya"}
    where = {"kecamatan": "Kubu", "kasus": None}
    one = data(await gql(api, ROWS, {"slug": "imunisasi-dasar", "where": where}))
    assert one["dataset"]["resources"][0]["rows"]["totalCount"] == 1
    # kasus-dbd carries a 17h exemption but is published as ROWS: small filters are listed
    for where, count in (({"tahun": 2023}, 2), ({"kecamatan": "Kubu", "kasus": None}, 1)):
        body = await gql(api, ROWS, {"slug": "kasus-dbd", "where": where})
        assert data(body)["dataset"]["resources"][0]["rows"]["totalCount"] == count, where


async def test_rows_where_rejects_wrong_types_unknown_and_withheld_fields(
    api: httpx.AsyncClient,
) -> None:
    for where in ({"tahun": "2023"}, {"tidak_ada": 1}, {"nik": "6112000000000001"}, ["tahun"]):
        body = await gql(api, ROWS, {"slug": "kasus-dbd", "where": where})
        assert error_codes(body) == ["BAD_USER_INPUT"], where
        assert body["errors"][0]["extensions"]["field"] == "where"
        assert "6112000000000001" not in str(body["errors"])


async def test_withheld_row_values_cannot_be_probed_by_filter(api: httpx.AsyncClient) -> None:
    body = data(
        await gql(api, ROWS, {"slug": "kasus-dbd", "where": {"status": "dalam penyelidikan"}})
    )
    assert body["dataset"]["resources"][0]["rows"]["totalCount"] == 0


async def test_rows_cursor_pagination_walks_every_visible_row(api: httpx.AsyncClient) -> None:
    seen, after = [], None
    while True:
        connection = data(await gql(api, ROWS, {"slug": "kasus-dbd", "first": 1, "after": after}))[
            "dataset"
        ]["resources"][0]["rows"]
        seen += [e["node"]["kecamatan"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == ["Sungai Kakap", "Kubu", "Rasau Jaya"]


async def test_datasets_filters_orders_and_counts_facets(api: httpx.AsyncClient) -> None:
    query = """query($f: DatasetFilter, $o: DatasetOrder) { datasets(filter: $f, orderBy: $o) {
      totalCount edges { node { slug } } facets { agency { value label count } topic { value label count }
      year { value count } format { value count } } } }"""
    everything = data(await gql(api, query))["datasets"]
    assert everything["totalCount"] == 3
    assert sum(f["count"] for f in everything["facets"]["agency"]) == 3
    assert {f["value"]: f["label"] for f in everything["facets"]["agency"]}[
        "bpbd"
    ] == "Badan Penanggulangan Bencana Daerah"
    titles = [e["node"]["slug"] for e in everything["edges"]]
    assert titles == ["imunisasi-dasar", "kasus-dbd", "kejadian-banjir"]
    recent = data(await gql(api, query, {"o": "RECENTLY_UPDATED"}))["datasets"]
    assert [e["node"]["slug"] for e in recent["edges"]] == [
        "imunisasi-dasar",
        "kasus-dbd",
        "kejadian-banjir",
    ]
    health = data(await gql(api, query, {"f": {"topic": ["kesehatan"], "year": 2024}}))["datasets"]
    assert [e["node"]["slug"] for e in health["edges"]] == ["kasus-dbd"]
    assert health["facets"]["agency"] == [
        {"value": "dinkes", "label": "Dinas Kesehatan Kabupaten Kubu Raya", "count": 1}
    ]
    immediate = data(
        await gql(
            api, query, {"f": {"category": ["IMMEDIATE"], "agency": ["bpbd"], "format": ["csv"]}}
        )
    )
    assert immediate["datasets"]["totalCount"] == 1


async def test_unknown_slug_answers_null_with_not_found(api: httpx.AsyncClient) -> None:
    body = await gql(api, '{ dataset(slug: "tidak-ada") { slug } agency(slug: "nope") { slug } }')
    assert body["data"] == {"dataset": None, "agency": None}
    assert error_codes(body) == ["NOT_FOUND", "NOT_FOUND"]
    assert body["errors"][0]["extensions"]["messageEn"]


async def test_node_fetches_every_type_by_global_id(api: httpx.AsyncClient) -> None:
    dataset = data(
        await gql(
            api,
            '{ dataset(slug: "kasus-dbd") { id agency { id } resources { id } exemptions { id } } }',
        )
    )["dataset"]
    ids = [
        dataset["id"],
        dataset["agency"]["id"],
        dataset["resources"][0]["id"],
        dataset["exemptions"][0]["id"],
    ]
    for global_id in ids:
        node = data(
            await gql(api, "query($id: ID!) { node(id: $id) { id __typename } }", {"id": global_id})
        )["node"]
        assert node["id"] == global_id
    assert error_codes(await gql(api, '{ node(id: "not-an-id") { id } }')) == ["BAD_USER_INPUT"]


async def test_row_cursors_do_not_reveal_where_withheld_rows_were(api: httpx.AsyncClient) -> None:
    from opendata.pagination import decode_cursor
    from opendata.public_ids import from_global_id

    resource = data(await gql(api, ROWS, {"slug": "kasus-dbd"}))["dataset"]["resources"][0]
    _, resource_pk = from_global_id(resource["id"])
    keys = [
        decode_cursor(f"rows:{resource_pk}:", edge["cursor"]) for edge in resource["rows"]["edges"]
    ]
    # keyset cursors carry the row's position enciphered (rows 0, 2 and 3 are shown here, the
    # withheld row 1 is not): neither the positions nor the gap between them can be read
    hidden = [key[-1] for key in keys]
    assert len(hidden) == 3 and not set(hidden) & set(range(1000))
    assert not any(0 < abs(b - a) <= 2 for a, b in itertools.pairwise(hidden))


async def test_csv_download_with_an_in_filter_sends_every_row(api: httpx.AsyncClient) -> None:
    """Issue 21 #10: on PostgreSQL an `in` filter made COPY fail after the header was sent."""
    resource = data(await gql(api, ROWS, {"slug": "imunisasi-dasar"}))["dataset"]["resources"][0]
    where = '{"kecamatan": {"in": ["Sungai Kakap", "Rasau Jaya", "Kubu"]}}'
    shown = data(await gql(api, ROWS, {"slug": "imunisasi-dasar", "where": json.loads(where)}))[
        "dataset"
    ]["resources"][0]["rows"]
    response = await api.get(resource["downloadUrl"], params={"where": where})
    assert response.status_code == 200
    downloaded = list(csv.DictReader(io.StringIO(response.text)))
    assert len(downloaded) == shown["totalCount"] > 0
    assert {line["kecamatan"] for line in downloaded} <= {"Sungai Kakap", "Rasau Jaya", "Kubu"}
