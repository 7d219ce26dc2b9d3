"""THE query-set rule (opendata/visibility/disclosure_control.py) on both backends: on a dataset holding
personal data, a filter that isolates 1..k-1 rows, or leaves 1..k-1 out, never yields that
count through a filtered aggregate. Row listings are not refused any more: a dataset published
as ROWS lists every filter of its visible rows (GraphQL, the preview, the downloads, CKAN
`datastore_search`); one published as AGGREGATES lists none (tests/interop/test_aggregates_only.py).
Datasets without personal data are unaffected; the portal chart's bars are exactly the
aggregate's unsuppressed groups."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.portal.chart import ChartPlan, build_chart
from opendata.services import Services
from opendata.visibility.disclosure_control import query_set_refused
from opendata.visibility.fields import FieldDef
from tests.aggregate.catalogue import laporan_csv, write_catalogue
from tests.conftest import asgi_client
from tests.portal.test_chart import field_exemption, policy
from tests.web.helpers import data, error_codes, gql

ROWS = """
query($slug: String!, $where: JSON) {
  dataset(slug: $slug) { resources { id rows(first: 5, where: $where) { totalCount edges { node } } } }
}"""
AGGREGATE = """
query($slug: String!, $where: JSON, $groupBy: [String!]!, $measures: [MeasureInput!]!) {
  dataset(slug: $slug) { resources {
    aggregate(groupBy: $groupBy, measures: $measures, where: $where) {
      groups { key values suppressed } suppressedGroups
    }
  } }
}"""


def visible_per_kecamatan() -> Counter[str]:
    """Rows per kecamatan that anyone may see (the ROW exemption hides those under
    investigation), computed from the catalogue's own CSV, not through the service."""
    rows = csv.DictReader(io.StringIO(laporan_csv()))
    return Counter(r["kecamatan"] for r in rows if r["status"] != "dalam penyelidikan")


SIZES = visible_per_kecamatan()
SMALLEST = min(SIZES, key=lambda k: SIZES[k])
# the threshold sits just above the smallest kecamatan, so that filter isolates a small count
MINIMUM = SIZES[SMALLEST] + 1


@pytest.fixture
async def client(services: Services, tmp_path: Path) -> httpx.AsyncClient:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM)
    assert (await load_catalog(services, root)).ok
    return asgi_client(create_app(services))


def test_the_catalogue_has_a_small_kecamatan() -> None:
    assert 1 <= SIZES[SMALLEST] < MINIMUM <= sum(SIZES.values()) - MINIMUM


async def _refused(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> None:
    body = await gql(client, query, variables)
    assert error_codes(body) == ["SMALL_CELL"], body
    text = json.dumps(body)
    assert f'totalCount": {SIZES[SMALLEST]}' not in text and "edges" not in text
    message = body["errors"][0]
    assert (
        "data pribadi" in message["message"]
        and "personal data" in message["extensions"]["messageEn"]
    )


SMALL_FILTERS = [
    {"kecamatan": SMALLEST},  # isolates the small group
    {"kecamatan": {"ne": SMALLEST}},  # leaves it out: total minus this would reveal it
    {"kecamatan": {"in": sorted(k for k in SIZES if k != SMALLEST)}},
]


def small_answer(where: dict[str, Any]) -> int:
    """How many visible rows a filter of SMALL_FILTERS selects (counted from the CSV)."""
    if where == {"kecamatan": SMALLEST}:
        return SIZES[SMALLEST]
    return sum(SIZES.values()) - SIZES[SMALLEST]


async def test_a_small_filter_is_refused_in_aggregate_and_listed_in_rows(
    client: httpx.AsyncClient,
) -> None:
    for where in SMALL_FILTERS:
        # a ROWS dataset: its visible rows are public, so every filter of them is listed
        body = await gql(client, ROWS, {"slug": "laporan-warga", "where": where})
        assert data(body)["dataset"]["resources"][0]["rows"]["totalCount"] == small_answer(where)
        await _refused(
            client,
            AGGREGATE,
            {
                "slug": "laporan-warga",
                "where": where,
                "groupBy": [],
                "measures": [{"op": "COUNT"}],
            },
        )
    # a big group and its big complement are answered, and add up to the unfiltered total
    biggest = max(SIZES, key=lambda k: SIZES[k])
    totals = []
    for where in (None, {"kecamatan": biggest}, {"kecamatan": {"ne": biggest}}):
        body = await gql(client, ROWS, {"slug": "laporan-warga", "where": where})
        totals.append(data(body)["dataset"]["resources"][0]["rows"]["totalCount"])
    assert totals == [sum(SIZES.values()), SIZES[biggest], sum(SIZES.values()) - SIZES[biggest]]


async def test_the_preview_downloads_and_ckan_list_a_small_filter_of_a_rows_dataset(
    client: httpx.AsyncClient,
) -> None:
    """What the query-set rule used to refuse on row listings, each door now lists: the
    whole visible table was downloadable anyway, so refusing a filter of it protected no one."""
    small = SIZES[SMALLEST]
    body = await gql(client, ROWS, {"slug": "laporan-warga", "where": None})
    resource_id = data(body)["dataset"]["resources"][0]["id"]
    preview = await client.get(
        "/dataset/laporan-warga",
        params={"res": "laporan", "col": "kecamatan", "val": SMALLEST, "lang": "en"},
    )
    assert preview.status_code == 200 and f"{small} rows" in preview.text
    assert preview.text.count(f">{SMALLEST}</td>") == small
    for extension in ("csv", "jsonl"):
        download = await client.get(
            f"/download/{resource_id}.{extension}",
            params={"where": json.dumps({"kecamatan": SMALLEST})},
        )
        assert download.status_code == 200, extension
        assert download.text.count(SMALLEST) == small, extension
    xlsx = await client.get(
        f"/download/{resource_id}.xlsx", params={"where": json.dumps({"kecamatan": SMALLEST})}
    )
    assert xlsx.status_code == 200
    ckan = await client.post(
        "/api/3/action/datastore_search",
        json={"resource_id": resource_id, "filters": {"kecamatan": SMALLEST}},
    )
    assert ckan.status_code == 200 and ckan.json()["result"]["total"] == small
    ckan_text = await client.post(
        "/api/3/action/datastore_search", json={"resource_id": resource_id, "q": SMALLEST}
    )
    assert ckan_text.status_code == 200 and ckan_text.json()["result"]["total"] == small
    whole = await client.get(f"/download/{resource_id}.csv")
    assert whole.status_code == 200
    assert len(whole.text.strip().splitlines()) == 1 + sum(SIZES.values())


async def test_a_dataset_without_personal_data_is_unaffected(client: httpx.AsyncClient) -> None:
    body = await gql(client, ROWS, {"slug": "anggaran", "where": {"opd": "Dinsos"}})
    assert data(body)["dataset"]["resources"][0]["rows"]["totalCount"] == 1
    resource_id = data(body)["dataset"]["resources"][0]["id"]
    download = await client.get(
        f"/download/{resource_id}.csv", params={"where": json.dumps({"opd": "Dinsos"})}
    )
    assert download.status_code == 200 and download.text.count("Dinsos") == 1
    preview = await client.get(
        "/dataset/anggaran", params={"res": "realisasi", "col": "opd", "val": "Dinsos"}
    )
    assert preview.status_code == 200


async def test_the_portal_chart_draws_exactly_the_aggregates_unsuppressed_groups(
    client: httpx.AsyncClient,
) -> None:
    rows = csv.DictReader(io.StringIO(laporan_csv()))
    visible = [
        {"kecamatan": r["kecamatan"], "biaya": int(r["biaya"]) if r["biaya"] else None}
        for r in rows
        if r["status"] != "dalam penyelidikan"
    ]
    kecamatan, biaya = FieldDef("kecamatan", "string"), FieldDef("biaya", "integer")
    chart = build_chart(
        ChartPlan((kecamatan,), biaya, by_year=False),
        visible,
        policy(field_exemption("pelapor")),
        MINIMUM,
    )
    body = await gql(
        client,
        AGGREGATE,
        {
            "slug": "laporan-warga",
            "where": None,
            "groupBy": ["kecamatan"],
            "measures": [{"op": "SUM", "field": "biaya"}],
        },
    )
    answer = data(body)["dataset"]["resources"][0]["aggregate"]
    assert answer["suppressedGroups"] == 2  # the small one and its complement
    shown = {g["key"]["kecamatan"]: g["values"][0] for g in answer["groups"] if not g["suppressed"]}
    assert chart is not None
    assert {bar.label: bar.value for bar in chart.bars} == pytest.approx(shown)


@settings(max_examples=500, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=60),
    data_=st.data(),
    minimum=st.integers(min_value=2, max_value=12),
)
def test_no_two_answered_counts_differ_by_a_small_count(
    total: int, data_: st.DataObject, minimum: int
) -> None:
    """Whatever filter is answered, the unfiltered total minus it (its complement) and it
    minus nothing are each 0 or at least `minimum`: differencing an answered count with the
    public total never gives 1..minimum-1."""
    matching = data_.draw(st.integers(min_value=0, max_value=total))
    assert not query_set_refused(total, total, minimum, filtered=False)  # the register itself
    if not query_set_refused(matching, total, minimum, filtered=True):
        assert matching == 0 or matching >= minimum
        # matching nothing leaves out the whole register, whose size is public anyway
        assert matching == 0 or total - matching == 0 or total - matching >= minimum
    # a small count is refused both as itself and as its complement
    if 0 < matching < minimum:
        assert query_set_refused(matching, total, minimum, filtered=True)
        if matching < total:  # (a filter matching nothing is no complement: it reveals nothing)
            assert query_set_refused(total - matching, total, minimum, filtered=True)
