"""Each table's state in the query string: parsed, written back, typed for the builder."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from opendata.catalogue.table_state import PageTables, TableState, TextFilter
from opendata.errors import BadUserInput
from opendata.visibility.fields import FieldDef

FIELDS = [
    FieldDef.from_json({"name": "kecamatan", "type": "string"}),
    FieldDef.from_json({"name": "tahun", "type": "integer"}),
    FieldDef.from_json({"name": "tanggal", "type": "date"}),
    FieldDef.from_json({"name": "sort", "type": "string"}),
]


def test_reads_only_its_own_table() -> None:
    params = QueryParams(
        "kasus.kecamatan=sungai+kakap&kasus.tahun.min=2020&kasus.sort=-tahun&kasus.page=2"
        "&rekap.sort=kecamatan&rekap.page=3&q=x"
    )
    state = TableState.from_params(params, "kasus")
    assert state.filters == (
        TextFilter("kecamatan", "eq", "sungai kakap"),
        TextFilter("tahun", "min", "2020"),
    )
    assert state.sort == (("tahun", True),) and state.page == 2
    other = TableState.from_params(params, "rekap")
    assert other.filters == () and other.sort == (("kecamatan", False),) and other.page == 3


def test_round_trip_and_reserved_names() -> None:
    state = TableState(
        "kasus",
        (TextFilter("sort", "eq", "a"), TextFilter("kecamatan", "contains", "kakap")),
        (("tahun", False),),
        4,
        ("kecamatan", "tahun"),
    )
    assert TableState.from_params(QueryParams(state.query_string()), "kasus") == state
    assert "kasus.sort.eq=a" in state.query_string()


def test_typed_where_for_the_builder() -> None:
    state = TableState.from_params(
        QueryParams(
            "t.kecamatan.contains=Kakap&t.tahun.min=2020&t.tahun.max=2024"
            "&t.tanggal.min=2023&t.tanggal.max=2023&t.kecamatan=%20"
        ),
        "t",
    )
    assert state.where(FIELDS) == {
        "kecamatan": {"contains": "Kakap"},
        "tahun": {"gte": 2020, "lte": 2024},
        "tanggal": {"gte": "2023-01-01", "lte": "2023-12-31"},
    }
    with pytest.raises(BadUserInput):
        TableState.from_params(QueryParams("t.tahun=dua"), "t").where(FIELDS)


def test_legacy_single_filter_links_still_read() -> None:
    params = QueryParams("res=kasus&col=kecamatan&val=Rasau+Jaya&sort=tahun&dir=desc&p=2")
    state = TableState.from_params(params, "kasus")
    assert state.filters == (TextFilter("kecamatan", "eq", "Rasau Jaya"),)
    assert state.sort == (("tahun", True),) and state.page == 2
    assert TableState.from_params(params, "rekap") == TableState("rekap")


def test_a_link_changing_one_table_keeps_the_others() -> None:
    params = QueryParams("kasus.kecamatan=sungai+kakap&lang=en&rekap.page=2")
    tables = PageTables.from_params(params, ["kasus", "rekap"])
    link = tables.with_state(tables.states["rekap"].sorted_by("tahun", True))
    again = QueryParams(link.lstrip("?"))
    assert TableState.from_params(again, "kasus").filters == (
        TextFilter("kecamatan", "eq", "sungai kakap"),
    )
    rekap = TableState.from_params(again, "rekap")
    assert rekap.sort == (("tahun", True),) and rekap.page == 1
    assert again["lang"] == "en"


def test_the_download_link_speaks_the_endpoints_own_arguments() -> None:
    state = TableState.from_params(
        QueryParams("t.kecamatan.contains=kâkap&t.tahun.min=2020&t.sort=-tahun&t.page=3"), "t"
    )
    assert dict(QueryParams(state.download_query(FIELDS).lstrip("?"))) == {
        "where": '{"kecamatan":{"contains":"kâkap"},"tahun":{"gte":2020}}',
        "orderBy": "-tahun",
    }
    assert TableState("t").download_query(FIELDS) == ""
