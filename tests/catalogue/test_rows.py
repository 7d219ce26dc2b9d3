"""Rows in typed tables on SQLite and PostgreSQL: exact round trips, filters, order, keyset
pages, chosen fields, exports, ROW exemptions across field types, reloads and bad rows."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select

from opendata.app import create_app
from opendata.catalogue.loader import RowOptions, load_catalog
from opendata.catalogue.row_cursors import hide_position, reveal_position
from opendata.catalogue.row_load import LoadProgress, describe_progress
from opendata.catalogue.tables import row_table_names
from opendata.db.models import Resource
from opendata.services import Services
from tests.catalogue.builders import write_agency, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, error_codes, gql
from tests.web.test_statement_counts import count_statements

TYPED_FIELDS = [
    {"name": "kode", "type": "integer"},
    {"name": "nama", "type": "string"},
    {"name": "tanggal", "type": "date"},
    {"name": "waktu", "type": "datetime"},
    {"name": "nilai", "type": "number"},
    {"name": "aktif", "type": "boolean"},
    {"name": "anggaran", "type": "integer"},
]
TYPED_CSV = (
    "kode,nama,tanggal,waktu,nilai,aktif,anggaran\n"
    "9223372036854775807,Sungai Kakap,2024-02-29,2024-02-29T10:15:30,0.30000000000000004,true,1644504000000\n"
    "-9223372036854775808,,1999-12-31,,1e-05,false,\n"
    '3,"Kubu ""Raya"", dan teman",,2025-01-01T00:00:00.250000,,,-1\n'
    "4,Rasau Jaya,2023-07-01,,12.5,true,1644504000001\n"
)
EXPECTED_ROWS = [
    {
        "kode": 9223372036854775807,
        "nama": "Sungai Kakap",
        "tanggal": "2024-02-29",
        "waktu": "2024-02-29T10:15:30",
        "nilai": 0.30000000000000004,
        "aktif": True,
        "anggaran": 1644504000000,
    },
    {
        "kode": -9223372036854775808,
        "nama": None,
        "tanggal": "1999-12-31",
        "waktu": None,
        "nilai": 1e-05,
        "aktif": False,
        "anggaran": None,
    },
    {
        "kode": 3,
        "nama": 'Kubu "Raya", dan teman',
        "tanggal": None,
        "waktu": "2025-01-01T00:00:00.250000",
        "nilai": None,
        "aktif": None,
        "anggaran": -1,
    },
    {
        "kode": 4,
        "nama": "Rasau Jaya",
        "tanggal": "2023-07-01",
        "waktu": None,
        "nilai": 12.5,
        "aktif": True,
        "anggaran": 1644504000001,
    },
]

ROWS = """query($slug: String!, $first: Int, $after: String, $where: JSON, $orderBy: [RowOrder!],
  $fields: [String!]) { dataset(slug: $slug) { title resources { id name
    rows(first: $first, after: $after, where: $where, orderBy: $orderBy, fields: $fields) {
      totalCount edges { cursor node } pageInfo { endCursor hasNextPage } } } } }"""


def typed_resource(name: str, fields: list[dict[str, Any]], path: str) -> dict[str, Any]:
    return {"name": name, "path": path, "format": "csv", "schema": {"fields": fields}}


def write_typed(root: Path, csv_text: str = TYPED_CSV, **overrides: Any) -> Path:
    write_agency(root, "bapenda", "Badan Pendapatan", "Bapenda")
    folder = write_dataset(
        root,
        "bapenda",
        "anggaran",
        resources=[typed_resource("kasus", TYPED_FIELDS, "kasus.csv")],
        **overrides,
    )
    (folder / "kasus.csv").write_text(csv_text)
    return root


async def rows_of(
    client: httpx.AsyncClient, slug: str = "anggaran", index: int = 0, **variables: Any
) -> dict[str, Any]:
    body = await gql(client, ROWS, {"slug": slug, **variables})
    return data(body)["dataset"]["resources"][index]  # type: ignore[no-any-return]


@pytest.fixture
async def typed(services: Services, tmp_path: Path) -> httpx.AsyncClient:
    assert (await load_catalog(services, write_typed(tmp_path / "cat"))).ok
    return asgi_client(create_app(services))


async def test_64_bit_integers_dates_and_empty_cells_round_trip_through_rows_csv_and_jsonl(
    typed: httpx.AsyncClient,
) -> None:
    async with typed as client:
        resource = await rows_of(client, first=10)
        assert [edge["node"] for edge in resource["rows"]["edges"]] == EXPECTED_ROWS
        jsonl = await client.get(f"/download/{resource['id']}.jsonl")
        assert [json.loads(line) for line in jsonl.text.splitlines()] == EXPECTED_ROWS
        csv_text = (await client.get(f"/download/{resource['id']}.csv")).text
    parsed = list(csv.reader(io.StringIO(csv_text)))
    source = list(csv.reader(io.StringIO(TYPED_CSV)))
    assert parsed[0] == source[0]
    for got, sent in zip(parsed[1:], source[1:], strict=True):
        # the same values, written in their canonical form (1e-05 stays 1e-05, 2^63-1 exact)
        assert got[0] == sent[0] and got[1] == sent[1] and got[2] == sent[2]
        assert got[6] == sent[6]
        assert (got[4] == "") == (sent[4] == "") and (not got[4] or float(got[4]) == float(sent[4]))


async def test_a_64_bit_integer_filter_works_on_both_databases(typed: httpx.AsyncClient) -> None:
    async with typed as client:
        found = await rows_of(client, where={"anggaran": 1644504000000})
        assert [e["node"]["kode"] for e in found["rows"]["edges"]] == [9223372036854775807]
        found = await rows_of(client, where={"kode": {"lt": -9223372036854775807}})
        assert found["rows"]["totalCount"] == 1
        for too_big in (2**63, -(2**63) - 1):
            body = await gql(client, ROWS, {"slug": "anggaran", "where": {"kode": too_big}})
            assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"kode": {"eq": 3}}, [3]),
        ({"kode": {"ne": 3}}, [9223372036854775807, -9223372036854775808, 4]),
        ({"anggaran": {"ne": -1}}, [9223372036854775807, -9223372036854775808, 4]),
        ({"anggaran": None}, [-9223372036854775808]),
        ({"anggaran": {"isNull": False}}, [9223372036854775807, 3, 4]),
        ({"tanggal": {"gte": "2023-07-01", "lt": "2024-03-01"}}, [9223372036854775807, 4]),
        ({"nilai": {"gt": 0.3}}, [9223372036854775807, 4]),
        ({"nilai": {"lte": 0.00001}}, [-9223372036854775808]),
        ({"kode": {"in": [4, 3, 99]}}, [3, 4]),
        ({"nama": {"contains": "Raya"}}, [3]),
        # text filters fold case and accents alike on both databases (as people type)
        ({"nama": {"contains": "raya"}}, [3]),
        ({"nama": {"contains": 'RÂYA", DAN'}}, [3]),
        ({"nama": "sungai kakap"}, [9223372036854775807]),
        ({"nama": "SUNGAI KÁKAP"}, [9223372036854775807]),
        ({"nama": "sungai kaka"}, []),
        ({"nama": {"ne": "sungai kakap"}}, [-9223372036854775808, 3, 4]),
        ({"nama": {"in": ["rasau jaya", "Sungai Kakap"]}}, [9223372036854775807, 4]),
        ({"nama": {"startsWith": "Sungai"}}, [9223372036854775807]),
        ({"nama": {"startsWith": "sungai k"}}, [9223372036854775807]),
        ({"aktif": True, "nilai": {"gte": 1}}, [4]),
        ({"waktu": {"gt": "2024-02-29T10:15:30"}}, [3]),
    ],
)
async def test_where_operators(
    typed: httpx.AsyncClient, where: dict[str, Any], expected: list[int]
) -> None:
    async with typed as client:
        found = await rows_of(client, where=where)
    assert [e["node"]["kode"] for e in found["rows"]["edges"]] == expected
    assert found["rows"]["totalCount"] == len(expected)


@pytest.mark.parametrize(
    "where",
    [
        {"kode": "3"},
        {"kode": {"gt": "a"}},
        {"aktif": {"lt": True}},
        {"kode": {"contains": "3"}},
        {"nama": {"like": "x"}},
        {"kode": {"in": []}},
        {"kode": {"in": [1, None]}},
        {"tanggal": "2024-02-30"},
        {"nama": "a\u0000b"},
        {"nama": "\ud800"},
        {"tiada": 1},
        {"kode": {}},
        ["kode"],
    ],
)
async def test_bad_where_is_refused_in_both_languages(typed: httpx.AsyncClient, where: Any) -> None:
    # sent as ASCII JSON, so a lone surrogate travels as the escape a client would send
    payload = json.dumps({"query": ROWS, "variables": {"slug": "anggaran", "where": where}})
    async with typed as client:
        response = await client.post(
            "/graphql", content=payload, headers={"content-type": "application/json"}
        )
    body = response.json()
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["messageEn"]
    assert body["errors"][0]["message"] != body["errors"][0]["extensions"]["messageEn"]


def _sorted(rows: list[dict[str, Any]], name: str, descending: bool) -> list[int]:
    present = sorted(
        (r for r in rows if r[name] is not None), key=lambda r: r[name], reverse=descending
    )
    return [r["kode"] for r in present] + [r["kode"] for r in rows if r[name] is None]


@pytest.mark.parametrize("name", ["nama", "tanggal", "nilai", "anggaran", "kode"])
@pytest.mark.parametrize("descending", [False, True])
async def test_keyset_pages_follow_any_order_with_empty_cells_last(
    typed: httpx.AsyncClient, name: str, descending: bool
) -> None:
    order = [{"field": name, "direction": "DESC" if descending else "ASC"}]
    seen: list[int] = []
    after = None
    async with typed as client:
        for _ in range(10):
            found = await rows_of(client, first=1, orderBy=order, after=after)
            seen += [e["node"]["kode"] for e in found["rows"]["edges"]]
            assert found["rows"]["totalCount"] == 4
            if not found["rows"]["pageInfo"]["hasNextPage"]:
                break
            after = found["rows"]["pageInfo"]["endCursor"]
        # a cursor of one order is refused by another
        other = await gql(client, ROWS, {"slug": "anggaran", "after": after, "first": 1})
    assert seen == _sorted(EXPECTED_ROWS, name, descending)
    assert error_codes(other) == ["BAD_USER_INPUT"]


def test_cursor_positions_are_enciphered_and_come_back() -> None:
    key = "00112233445566778899aabbccddeeff"
    hidden = [hide_position(key, position) for position in range(1000)]
    assert [reveal_position(key, value) for value in hidden] == list(range(1000))
    assert len(set(hidden)) == 1000 and all(0 <= value < 2**64 for value in hidden)
    # consecutive positions do not give consecutive cursor values (gaps stay hidden)
    assert sum(1 for a, b in itertools.pairwise(hidden) if b - a == 1) < 3
    assert hide_position("ff" * 16, 5) != hide_position(key, 5)


async def test_fields_chooses_columns_and_withheld_fields_cannot_be_used(
    services: Services, tmp_path: Path
) -> None:
    exemption = {
        "scope": "FIELD",
        "field": "nama",
        "basis": "PASAL_17H",
        "consequenceTest": "Nama pribadi.",
        "decidedOn": "2025-01-01",
    }
    assert (await load_catalog(services, write_typed(tmp_path / "c", exemptions=[exemption]))).ok
    async with asgi_client(create_app(services)) as client:
        found = await rows_of(client, fields=["anggaran", "kode"], first=1)
        assert found["rows"]["edges"][0]["node"] == {
            "anggaran": 1644504000000,
            "kode": 9223372036854775807,
        }
        everything = await rows_of(client, first=4)
        assert all(e["node"]["nama"] is None for e in everything["rows"]["edges"])
        for variables in (
            {"fields": ["nama"]},
            {"where": {"nama": "Kubu"}},
            {"orderBy": [{"field": "nama"}]},
        ):
            body = await gql(client, ROWS, {"slug": "anggaran", **variables})
            assert error_codes(body) == ["BAD_USER_INPUT"]
            assert "Kubu" not in json.dumps(body) and "Sungai" not in json.dumps(body)
        csv_text = (await client.get(f"/download/{found['id']}.csv?fields=kode,nama")).text
        refused = await client.get(f"/download/{found['id']}.csv?where=" + '{"nama":"Kubu"}')
    assert refused.status_code == 400
    assert "Sungai" not in csv_text and "Kubu" not in csv_text


async def test_a_csv_of_only_withheld_fields_still_has_a_line_per_visible_row(
    services: Services, tmp_path: Path
) -> None:
    rules = [
        {
            "scope": "FIELD",
            "field": "nama",
            "basis": "PASAL_17H",
            "consequenceTest": "Nama pribadi.",
            "decidedOn": "2025-01-01",
        },
        {
            "scope": "ROW",
            "rowFilter": {"nama": "ZQBARISRAHASIA"},
            "basis": "PASAL_17H",
            "consequenceTest": "Baris pribadi.",
            "decidedOn": "2025-01-01",
        },
    ]
    root = write_typed(tmp_path / "c", exemptions=rules)
    folder = root / "bapenda" / "anggaran"
    descriptor = yaml.safe_load((folder / "datapackage.yaml").read_text())
    descriptor["resources"][0]["schema"]["fields"] = [{"name": "nama", "type": "string"}]
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor))
    (folder / "kasus.csv").write_text("nama\nZQBARISRAHASIA\nZQNAMARAHASIA1\nZQNAMARAHASIA2\n")
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        resource = await rows_of(client, first=5)
        answer = await client.get(f"/download/{resource['id']}.csv")
    assert [e["node"] for e in resource["rows"]["edges"]] == [{"nama": None}] * 2
    assert answer.text.splitlines() == ["nama", '""', '""']


async def test_exports_take_the_same_filters_and_order_as_rows(typed: httpx.AsyncClient) -> None:
    async with typed as client:
        resource = await rows_of(client)
        where = json.dumps({"aktif": True})
        base = f"/download/{resource['id']}"
        csv_text = (await client.get(f"{base}.csv?where={where}&orderBy=-anggaran")).text
        jsonl = (await client.get(f"{base}.jsonl?where={where}&orderBy=-anggaran")).text
        xlsx = await client.get(f"{base}.xlsx?where={where}&orderBy=-anggaran&fields=kode")
        bad = await client.get(f"{base}.csv?where=%7Bnope")
    assert [row[0] for row in csv.reader(io.StringIO(csv_text))][1:] == [
        "4",
        "9223372036854775807",
    ]
    assert [json.loads(line)["kode"] for line in jsonl.splitlines()] == [4, 9223372036854775807]
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert bad.status_code == 400 and bad.json()["errors"][0]["extensions"]["code"] == (
        "BAD_USER_INPUT"
    )


async def test_a_dataset_withheld_whole_keeps_its_metadata_and_rows_answer_forbidden(
    services: Services, tmp_path: Path
) -> None:
    exemption = {
        "scope": "DATASET",
        "basis": "PASAL_17I",
        "consequenceTest": "Memorandum.",
        "decidedOn": "2025-01-01",
    }
    root = write_typed(tmp_path / "c", category="ON_REQUEST", exemptions=[exemption])
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        body = await gql(client, ROWS, {"slug": "anggaran"})
    assert body["data"]["dataset"]["title"]
    assert body["data"]["dataset"]["resources"][0]["rows"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == ["dataset", "resources", 0, "rows"]


KODE_STRING = [{"name": "kode", "type": "string"}, {"name": "isi", "type": "string"}]
KODE_INTEGER = [
    {"name": "kode", "type": "integer"},
    {"name": "isi", "type": "string"},
    {"name": "wilayah", "type": "string"},
]


def write_mixed(root: Path, exemptions: list[dict[str, Any]]) -> Path:
    write_agency(root, "bapenda", "Badan Pendapatan", "Bapenda")
    folder = write_dataset(
        root,
        "bapenda",
        "campuran",
        category="ON_REQUEST",
        resources=[
            typed_resource("kasus", KODE_STRING, "kasus.csv"),
            typed_resource("rincian", KODE_INTEGER, "rincian.csv"),
        ],
        exemptions=exemptions,
    )
    (folder / "kasus.csv").write_text("kode,isi\n77,ZQKASUSRAHASIA\n78,terbuka satu\n")
    (folder / "rincian.csv").write_text(
        "kode,isi,wilayah\n77,ZQRINCIANRAHASIA,Kubu\n78,terbuka dua,Kubu\n"
    )
    return root


def row_rule(row_filter: dict[str, Any]) -> dict[str, Any]:
    return {
        "scope": "ROW",
        "rowFilter": row_filter,
        "basis": "PASAL_17A",
        "consequenceTest": "Penyelidikan.",
        "decidedOn": "2025-01-01",
        "expiresOn": "2099-01-01",
    }


async def test_a_row_exemption_hides_the_row_under_each_resources_own_field_type(
    services: Services, tmp_path: Path
) -> None:
    assert (
        await load_catalog(services, write_mixed(tmp_path / "c", [row_rule({"kode": "77"})]))
    ).ok
    async with asgi_client(create_app(services)) as client:
        texts = []
        for index in (0, 1):
            found = await rows_of(client, "campuran", index)
            assert [e["node"]["kode"] for e in found["rows"]["edges"]] == (
                ["78"] if index == 0 else [78]
            )
            assert found["rows"]["totalCount"] == 1
            texts.append(json.dumps(found))
            texts.append((await client.get(f"/download/{found['id']}.csv")).text)
        for word in ("ZQKASUSRAHASIA", "ZQRINCIANRAHASIA"):
            search = await gql(
                client, "query($q: String) { datasets(query: $q) { totalCount } }", {"q": word}
            )
            assert data(search)["datasets"]["totalCount"] == 0
    assert not any("RAHASIA" in text for text in texts)


async def test_a_row_filter_some_resources_lack_says_which_resources_it_covers(
    services: Services, tmp_path: Path
) -> None:
    rule = row_rule({"wilayah": "Kubu"})
    assert (await load_catalog(services, write_mixed(tmp_path / "c", [rule]))).ok
    query = 'query { dataset(slug: "campuran") { exemptions { target } } }'
    async with asgi_client(create_app(services)) as client:
        body = await gql(client, query, {})
    assert data(body)["dataset"]["exemptions"][0]["target"] == (
        "wilayah = Kubu (hanya sumber data/only resources: rincian)"
    )


async def test_a_row_filter_value_that_cannot_be_a_resources_type_is_refused(
    services: Services, tmp_path: Path
) -> None:
    summary = await load_catalog(services, write_mixed(tmp_path / "c", [row_rule({"kode": "7a"})]))
    assert [r.prop for r in summary.refused] == ["exemptions[0].rowFilter"]
    assert "resource 'rincian'" in summary.refused[0].message


async def test_a_reload_swaps_in_a_new_table_and_drops_the_old_one(
    services: Services, tmp_path: Path
) -> None:
    root = write_typed(tmp_path / "c")
    await load_catalog(services, root)
    async with services.database.session() as session:
        before = await row_table_names(session)
    write_typed(root, TYPED_CSV + "5,Baru,,,,,\n")
    summary = await load_catalog(services, root)
    async with services.database.session() as session:
        after = await row_table_names(session)
        live = set(await session.scalars(select(Resource.row_table)))
    assert summary.updated == ["anggaran"]
    assert after == live and len(after) == 1 and not after & before
    async with asgi_client(create_app(services)) as client:
        assert (await rows_of(client))["rows"]["totalCount"] == 5


async def test_a_bad_row_refuses_the_resource_and_keeps_the_stored_version(
    services: Services, tmp_path: Path
) -> None:
    root = write_typed(tmp_path / "c")
    await load_catalog(services, root)
    write_typed(root, TYPED_CSV + "lima,Baru,,,,,\n6,Lagi,2024-13-01,,,,\n")
    summary = await load_catalog(services, root)
    assert [(r.prop, r.message[:18]) for r in summary.refused] == [
        ("line 6, field 'kode'", "a integer value (i")
    ]
    async with asgi_client(create_app(services)) as client:
        assert (await rows_of(client))["rows"]["totalCount"] == 4


async def test_skip_bad_rows_loads_the_good_ones_and_names_each_bad_line(
    services: Services, tmp_path: Path
) -> None:
    root = write_typed(tmp_path / "c", TYPED_CSV + "lima,Baru,,,,,\n6,Lagi,2024-13-01,,,,\n7,x\n")
    seen: list[LoadProgress] = []
    summary = await load_catalog(
        services, root, rows=RowOptions(skip_bad_rows=True, progress=seen.append)
    )
    assert summary.ok and summary.added == ["anggaran"]
    assert [line.split(": ", 1)[1] for line in summary.skipped_rows] == [
        "line 6, field 'kode': a integer value (invalid literal for int() with base 10: 'lima')",
        "line 7, field 'tanggal': a date value (month must be in 1..12)",
        "line 8: 2 cells, expected 7",
    ]
    assert seen[-1].done and seen[-1].rows == 4
    assert "4 rows" in describe_progress(seen[-1])
    async with asgi_client(create_app(services)) as client:
        assert (await rows_of(client))["rows"]["totalCount"] == 4


def test_progress_shows_rows_per_second_and_an_eta() -> None:
    progress = LoadProgress("big.csv", 50_000, 25, 100, 2.0)
    assert describe_progress(progress) == "big.csv: 50,000 rows, 25,000 rows/s, 25%, ETA 6 s"


async def test_declared_constraints_refuse_rows_that_break_them(
    services: Services, tmp_path: Path
) -> None:
    fields = [
        {"name": "kode", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "nama", "type": "string", "constraints": {"maxLength": 5}},
    ]
    root = tmp_path / "c"
    write_agency(root, "bapenda", "Badan Pendapatan", "Bapenda")
    folder = write_dataset(
        root, "bapenda", "batas", resources=[typed_resource("kasus", fields, "kasus.csv")]
    )
    for text, prop in (
        ("kode,nama\n1,abc\n,abc\n", "line 3, field 'kode'"),
        ("kode,nama\n1,abcdef\n", "line 2, field 'nama'"),
        ("kode,nama\n1,a\n1,b\n", "constraints.unique"),
    ):
        (folder / "kasus.csv").write_text(text)
        summary = await load_catalog(services, root)
        assert [r.prop for r in summary.refused] == [prop]
    (folder / "kasus.csv").write_text("kode,nama\n1,a\n2,b\n")
    assert (await load_catalog(services, root)).added == ["batas"]


async def test_huge_numbers_in_download_ids_and_cursors_are_refused_not_crashed(
    typed: httpx.AsyncClient,
) -> None:
    import base64

    from opendata.pagination import encode_cursor

    async with typed as client:
        resource = await rows_of(client)
        for number in (2**31, 2**63, 2**64 + 5):
            raw = f"Resource:{number}".encode()
            huge = base64.urlsafe_b64encode(raw).decode().rstrip("=")
            assert (await client.get(f"/download/{huge}.csv")).status_code in (400, 404)
        pk = base64.urlsafe_b64decode(resource["id"] + "==").decode().split(":")[1]
        for hidden in (*range(0, 2**64, 2**59), 2**64, -1, 2**70):
            cursor = encode_cursor(f"rows:{pk}:", [hidden])
            body = await gql(client, ROWS, {"slug": "anggaran", "after": cursor})
            assert error_codes(body) in ([], ["BAD_USER_INPUT"]), body


def counted(statements: list[str]) -> int:
    return sum("count(" in statement.lower() for statement in statements)


async def test_an_unfiltered_total_is_the_stored_row_count_and_a_filter_or_row_rule_counts(
    services: Services, tmp_path: Path
) -> None:
    """`resources.row_count` answers totalCount when nothing is filtered or withheld by row;
    a filter, or a ROW exemption, still counts the visible rows exactly."""
    assert (await load_catalog(services, write_typed(tmp_path / "cat"))).ok
    async with asgi_client(create_app(services)) as client:
        with count_statements(services) as statements:
            assert (await rows_of(client, first=1))["rows"]["totalCount"] == 4
        assert counted(statements) == 0
        with count_statements(services) as statements:
            found = await rows_of(client, first=1, where={"aktif": True})
        assert found["rows"]["totalCount"] == 2 and counted(statements) == 1
    assert (
        await load_catalog(services, write_mixed(tmp_path / "c", [row_rule({"kode": "77"})]))
    ).ok
    async with asgi_client(create_app(services)) as client:
        with count_statements(services) as statements:
            assert (await rows_of(client, "campuran"))["rows"]["totalCount"] == 1
        assert counted(statements) == 1


async def test_a_page_and_a_count_it_needs_read_the_table_once_and_the_last_cursor_still_counts(
    services: Services, tmp_path: Path
) -> None:
    """A filtered page carries its count (one statement on the row table); after the last
    row, where no row comes back to carry it, the count is still the filter's."""
    assert (await load_catalog(services, write_typed(tmp_path / "cat"))).ok
    async with services.database.session() as session:
        table = await session.scalar(select(Resource.row_table))
    assert table
    async with asgi_client(create_app(services)) as client:
        with count_statements(services) as statements:
            found = (await rows_of(client, first=1, where={"aktif": True}))["rows"]
        assert found["totalCount"] == 2 and len(found["edges"]) == 1
        assert sum(table in statement for statement in statements) == 1
        after = found["pageInfo"]["endCursor"]
        found = (await rows_of(client, first=1, where={"aktif": True}, after=after))["rows"]
        assert found["totalCount"] == 2 and not found["pageInfo"]["hasNextPage"]
        after = found["pageInfo"]["endCursor"]
        found = (await rows_of(client, first=1, where={"aktif": True}, after=after))["rows"]
        assert found["totalCount"] == 2 and found["edges"] == []
        found = (await rows_of(client, where={"nama": "tidak ada"}))["rows"]
        assert found["totalCount"] == 0 and found["edges"] == []
