"""`Resource.aggregate` on SQLite and PostgreSQL: figures equal sums over `rows`, withheld
fields and datasets are refused, ROW exemptions change the counts, and small cells of a
dataset holding personal data are suppressed so no total reveals one."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.aggregate.catalogue import UNDER_INVESTIGATION, laporan_csv, write_catalogue
from tests.conftest import asgi_client
from tests.web.helpers import data, error_codes, gql

AGGREGATE = """
query($slug: String!, $groupBy: [String!]!, $measures: [MeasureInput!]!, $where: JSON) {
  dataset(slug: $slug) { resources {
    aggregate(groupBy: $groupBy, measures: $measures, where: $where) {
      groups { key values suppressed } suppressedGroups
    }
  } }
}"""
ROWS = """
query($slug: String!, $where: JSON) {
  dataset(slug: $slug) { resources { rows(first: 1000, where: $where) { totalCount edges { node } } } }
}"""
COUNT = [{"op": "COUNT"}]


async def aggregate_of(client: httpx.AsyncClient, slug: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, AGGREGATE, {"slug": slug, "measures": COUNT, **variables})
    return data(body)["dataset"]["resources"][0]["aggregate"]  # type: ignore[no-any-return]


async def rows_of(client: httpx.AsyncClient, slug: str, where: Any = None) -> list[dict[str, Any]]:
    body = await gql(client, ROWS, {"slug": slug, "where": where})
    connection = data(body)["dataset"]["resources"][0]["rows"]
    return [edge["node"] for edge in connection["edges"]]


@pytest.fixture
async def client(services: Services, tmp_path: Path) -> httpx.AsyncClient:
    assert (await load_catalog(services, write_catalogue(tmp_path / "cat"))).ok
    return asgi_client(create_app(services))


def by_key(answer: dict[str, Any], *names: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(g["key"][n] for n in names): g for g in answer["groups"]}


async def test_aggregates_equal_sums_over_the_rows(client: httpx.AsyncClient) -> None:
    rows = await rows_of(client, "anggaran")
    measures = [
        {"op": "COUNT"},
        {"op": "COUNT", "field": "anggaran"},
        {"op": "SUM", "field": "anggaran"},
        {"op": "AVG", "field": "realisasi"},
        {"op": "MIN", "field": "realisasi"},
        {"op": "MAX", "field": "anggaran"},
    ]
    answer = await aggregate_of(client, "anggaran", groupBy=["tahun"], measures=measures)
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["tahun"]].append(row)
    assert [g["key"] for g in answer["groups"]] == [{"tahun": t} for t in sorted(grouped)]
    assert answer["suppressedGroups"] == 0
    for group in answer["groups"]:
        members = grouped[group["key"]["tahun"]]
        budgets = [r["anggaran"] for r in members if r["anggaran"] is not None]
        spent = [r["realisasi"] for r in members if r["realisasi"] is not None]
        expected = [
            len(members),
            len(budgets),
            sum(budgets),
            statistics.fmean(spent),
            min(spent),
            max(budgets),
        ]
        assert group["values"] == pytest.approx(expected)
        assert group["suppressed"] is False


async def test_a_where_filter_narrows_the_aggregate_as_it_narrows_rows(
    client: httpx.AsyncClient,
) -> None:
    where = {"tahun": {"gte": 2024}, "opd": {"in": ["Dinkes", "BPBD", "Dinsos"]}}
    rows = await rows_of(client, "anggaran", where)
    answer = await aggregate_of(
        client,
        "anggaran",
        groupBy=["opd"],
        measures=[{"op": "COUNT"}, {"op": "SUM", "field": "anggaran"}],
        where=where,
    )
    expected: dict[str, list[Any]] = {}
    for row in rows:
        count, total = expected.get(row["opd"], [0, None])
        if row["anggaran"] is not None:
            total = (total or 0) + row["anggaran"]
        expected[row["opd"]] = [count + 1, total]
    assert {g["key"]["opd"]: g["values"] for g in answer["groups"]} == expected
    assert expected["Dinsos"] == [1, None]  # SUM of empty cells only is null, as in SQL


async def test_a_grand_total_without_group_by_is_one_group(client: httpx.AsyncClient) -> None:
    answer = await aggregate_of(
        client, "anggaran", groupBy=[], measures=[{"op": "SUM", "field": "anggaran"}]
    )
    rows = await rows_of(client, "anggaran")
    assert answer["groups"] == [
        {
            "key": {},
            "values": [pytest.approx(sum(r["anggaran"] or 0 for r in rows))],
            "suppressed": False,
        }
    ]


@pytest.mark.parametrize(
    ("group_by", "measures"),
    [
        (["pelapor"], COUNT),
        (["kecamatan"], [{"op": "COUNT", "field": "pelapor"}]),
    ],
)
async def test_a_withheld_field_cannot_be_grouped_or_measured(
    client: httpx.AsyncClient, group_by: list[str], measures: list[dict[str, Any]]
) -> None:
    body = await gql(
        client, AGGREGATE, {"slug": "laporan-warga", "groupBy": group_by, "measures": measures}
    )
    assert error_codes(body) == ["FORBIDDEN"]
    error = body["errors"][0]
    assert "pelapor" in error["message"] and "dikecualikan" in error["message"]
    assert "withheld" in error["extensions"]["messageEn"]
    assert "Warga" not in str(body)


async def test_a_dataset_withheld_whole_answers_forbidden(client: httpx.AsyncClient) -> None:
    body = await gql(client, AGGREGATE, {"slug": "memo", "groupBy": ["tahun"], "measures": COUNT})
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["data"]["dataset"]["resources"][0]["aggregate"] is None
    assert body["errors"][0]["extensions"]["messageEn"]


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"groupBy": ["nope"]}, "groupBy"),
        ({"groupBy": ["opd"], "measures": [{"op": "SUM", "field": "opd"}]}, "measures"),
        ({"groupBy": ["opd"], "measures": [{"op": "SUM"}]}, "measures"),
        ({"groupBy": ["year(opd)"]}, "groupBy"),
        ({"groupBy": ["opd", "opd"]}, "groupBy"),
        ({"groupBy": ["opd"], "measures": []}, "measures"),
        ({"groupBy": ["opd"], "where": {"tahun": "dua ribu"}}, "where"),
    ],
)
async def test_bad_arguments_are_refused_in_both_languages(
    client: httpx.AsyncClient, variables: dict[str, Any], argument: str
) -> None:
    body = await gql(client, AGGREGATE, {"slug": "anggaran", "measures": COUNT, **variables})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    error = body["errors"][0]
    assert error["message"] and error["extensions"]["messageEn"] != error["message"]
    assert error["extensions"]["field"] == argument


async def test_a_row_exemption_changes_the_counts(services: Services, tmp_path: Path) -> None:
    root = tmp_path / "cat"
    assert (await load_catalog(services, write_catalogue(root))).ok
    client = asgi_client(create_app(services))
    before = await aggregate_of(client, "anggaran", groupBy=["opd"])
    rule = {**UNDER_INVESTIGATION, "rowFilter": {"opd": "BPBD", "tahun": 2024}}
    assert (await load_catalog(services, write_catalogue(root, anggaran_exemptions=[rule]))).ok
    after = await aggregate_of(client, "anggaran", groupBy=["opd"])
    counts_before = {g["key"]["opd"]: g["values"][0] for g in before["groups"]}
    counts_after = {g["key"]["opd"]: g["values"][0] for g in after["groups"]}
    assert counts_after == {**counts_before, "BPBD": counts_before["BPBD"] - 1}
    body = await gql(
        client,
        AGGREGATE,
        {"slug": "anggaran", "groupBy": ["tahun"], "measures": COUNT, "where": {"opd": "BPBD"}},
    )
    years = {
        g["key"]["tahun"] for g in data(body)["dataset"]["resources"][0]["aggregate"]["groups"]
    }
    assert 2024 not in years


async def test_rows_under_investigation_are_not_counted(client: httpx.AsyncClient) -> None:
    source_rows = laporan_csv().splitlines()[1:]
    visible = [line for line in source_rows if ",dalam penyelidikan," not in line]
    answer = await aggregate_of(client, "laporan-warga", groupBy=[])
    assert answer["groups"][0]["values"] == [len(visible)]
    by_status = await aggregate_of(client, "laporan-warga", groupBy=["status"])
    assert {g["key"]["status"] for g in by_status["groups"]} == {"selesai", "proses"}


async def test_groups_by_year_and_month_of_a_date_alike_on_both_databases(
    client: httpx.AsyncClient,
) -> None:
    rows = await rows_of(client, "laporan-warga")
    years = await aggregate_of(client, "laporan-warga", groupBy=["year(tanggal)"])
    expected_years: dict[int, int] = defaultdict(int)
    for row in rows:
        expected_years[int(row["tanggal"][:4])] += 1
    assert {g["key"]["year(tanggal)"]: g["values"][0] for g in years["groups"]} == expected_years
    months = await aggregate_of(client, "laporan-warga", groupBy=["month(tanggal)"])
    keys = [g["key"]["month(tanggal)"] for g in months["groups"]]
    assert keys == sorted(keys) and all(len(k) == 7 and k[4] == "-" for k in keys)
    shown = sum(g["values"][0] for g in months["groups"] if not g["suppressed"])
    assert shown <= len(rows)


# ---------------------------------------------------------------- small-cell suppression


def assert_protected(
    answer: dict[str, Any],
    names: list[str],
    margins: dict[tuple[str, ...], dict[Any, int]],
    minimum: int,
) -> None:
    """No shown cell under `minimum`; every margin minus its shown cells hides 0 or >= minimum
    rows over at least two cells (so differencing cannot reveal one small cell)."""
    shown = [g for g in answer["groups"] if not g["suppressed"]]
    hidden = [g for g in answer["groups"] if g["suppressed"]]
    assert answer["suppressedGroups"] == len(hidden)
    assert all(g["values"][0] >= minimum for g in shown)
    assert all(g["values"] == [None] for g in hidden)
    for subset, totals in margins.items():
        for margin_key, total in totals.items():

            def inside(group: dict[str, Any], key: Any = margin_key, fields: Any = subset) -> bool:
                return tuple(group["key"][n] for n in fields) == key

            hidden_here = [g for g in hidden if inside(g)]
            remainder = total - sum(g["values"][0] for g in shown if inside(g))
            shown_here = [g for g in shown if inside(g)]
            if hidden_here and shown_here:
                assert len(hidden_here) >= 2, (subset, margin_key)
                assert remainder >= minimum, (subset, margin_key, remainder)
            else:
                assert remainder in (0, total)


@pytest.mark.parametrize("minimum", [None, 3, 12])
async def test_a_personal_data_dataset_shows_no_small_cell_and_no_total_that_reveals_one(
    services: Services, tmp_path: Path, minimum: int | None
) -> None:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=minimum)
    assert (await load_catalog(services, root)).ok
    client = asgi_client(create_app(services))
    threshold = minimum or 5
    rows = await rows_of(client, "laporan-warga")
    names = ["kecamatan", "kategori", "year(tanggal)"]

    def value(row: dict[str, Any], name: str) -> Any:
        return int(row["tanggal"][:4]) if name == "year(tanggal)" else row[name]

    margins: dict[tuple[str, ...], dict[Any, int]] = {}
    for size in range(len(names)):
        for subset in itertools.combinations(names, size):
            totals: dict[Any, int] = defaultdict(int)
            for row in rows:
                totals[tuple(value(row, n) for n in subset)] += 1
            margins[subset] = dict(totals)
    answer = await aggregate_of(
        client,
        "laporan-warga",
        groupBy=names,
        measures=[{"op": "COUNT"}, {"op": "SUM", "field": "biaya"}],
    )
    assert answer["suppressedGroups"] > 0
    assert all(g["values"] == [None, None] for g in answer["groups"] if g["suppressed"])
    counted = {**answer, "groups": [{**g, "values": g["values"][:1]} for g in answer["groups"]]}
    assert_protected(counted, names, margins, threshold)
    # the margins asked for separately are suppressed the same way and agree with the rows
    for subset in [("kecamatan",), ("kecamatan", "kategori")]:
        margin = await aggregate_of(client, "laporan-warga", groupBy=list(subset))
        for group in margin["groups"]:
            key = tuple(group["key"][n] for n in subset)
            if not group["suppressed"]:
                assert group["values"][0] == margins[subset][key] >= threshold


async def test_a_dataset_without_personal_data_is_not_suppressed(
    services: Services, tmp_path: Path
) -> None:
    root = write_catalogue(tmp_path / "cat", laporan_exemptions=[UNDER_INVESTIGATION])
    assert (await load_catalog(services, root)).ok
    client = asgi_client(create_app(services))
    answer = await aggregate_of(client, "laporan-warga", groupBy=["kecamatan", "kategori"])
    assert answer["suppressedGroups"] == 0
    assert any(g["values"][0] < 5 for g in answer["groups"])
