"""package_search's `q`/`fq` grammar and sort, on both databases and both search backends.

The grammar cases are pure; the search cases load a small catalogue where each query has
one right answer that can be read off the folders below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from opendata.interop.ckan.errors import CkanError
from opendata.interop.ckan.solr import (
    AllOf,
    AnyOf,
    Everything,
    Match,
    Not,
    Range,
    Words,
    parse_query,
)
from opendata.services import Services
from tests.catalogue.builders import write_agency, write_dataset
from tests.interop.conftest import World, world_of

# ---------------------------------------------------------------- the grammar


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("kesehatan -tbc", AllOf((Words("kesehatan"), Not(Words("tbc"))))),
        ("penduduk OR sekolah", AnyOf((Words("penduduk"), Words("sekolah")))),
        ("title:penduduk", Match("title", "penduduk")),
        ('license_id:"CC-BY-4.0"', Match("license_id", "CC-BY-4.0", phrase=True)),
        ("kasus-dbd", Words("kasus-dbd")),  # a hyphen inside a word is not NOT
        ("ORANGE ANDROID", AllOf((Words("ORANGE"), Words("ANDROID")))),
        ("*:*", Everything()),
        ("", Everything()),
        ("a && (b || !c)", AllOf((Words("a"), AnyOf((Words("b"), Not(Words("c"))))))),
        ("word^2 other~1", AllOf((Words("word"), Words("other")))),
        ("tags:(a OR b)", AnyOf((Match("tags", "a"), Match("tags", "b")))),
        (
            "+capacity:public +state:(active OR draft)",
            AllOf(
                (
                    Match("capacity", "public"),
                    AnyOf((Match("state", "active"), Match("state", "draft"))),
                )
            ),
        ),
        # what ckanext-harvest's gather stage sends: (a or b) and (x or y) and changed since
        (
            "organization:a OR organization:b groups:x OR groups:y "
            "metadata_modified:[2026-12-06T06:48:11.123456Z TO *]",
            AllOf(
                (
                    AnyOf((Match("organization", "a"), Match("organization", "b"))),
                    AnyOf((Match("groups", "x"), Match("groups", "y"))),
                    Range("metadata_modified", "2026-12-06T06:48:11.123456Z", None),
                )
            ),
        ),
        (
            "-organization:a -organization:b",
            AllOf((Not(Match("organization", "a")), Not(Match("organization", "b")))),
        ),
        ("name:{a TO m]", Range("name", "a", "m", include_low=False)),
        ("a OR b AND c", AnyOf((Words("a"), AllOf((Words("b"), Words("c")))))),
    ],
)
def test_the_grammar_reads_solr_syntax(text: str, tree: object) -> None:
    assert parse_query(text, "q") == tree


@pytest.mark.parametrize(
    "text", ["NOT", "(a OR b", "title:(x:y)", "a:[1 TO]", "a OR", 'title:"open', "a:[1 2 3]"]
)
def test_the_grammar_refuses_what_it_cannot_read_in_both_languages(text: str) -> None:
    with pytest.raises(CkanError) as refused:
        parse_query(text, "fq")
    body = refused.value.body()
    assert refused.value.status == 409 and body["__type"] == "Validation Error"
    assert body["fq"][0].startswith("`fq` tidak dapat dibaca") and body["fq"][1].startswith(
        "`fq` cannot be read"
    )


# ---------------------------------------------------------------- against the catalogue


# (agency, name, title, keywords, topic, licence): the answers below are read off this table.
DATASETS = [
    ("dinkes", "kasus-tbc", "Kasus TBC per Kecamatan", ["kesehatan", "tbc"], "kesehatan", None),
    (
        "dinkes",
        "fasilitas-kesehatan",
        "Fasilitas Kesehatan",
        ["kesehatan", "puskesmas"],
        "kesehatan",
        "CC0-1.0",
    ),
    ("disdik", "jumlah-sekolah", "Jumlah Sekolah per Kecamatan", ["sekolah"], "pendidikan", None),
    ("dukcapil", "jumlah-penduduk", "Jumlah Penduduk per Desa", ["penduduk"], "kependudukan", None),
]


def search_catalog(root: Path) -> Path:
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_agency(root, "disdik", "Dinas Pendidikan", "Disdik")
    write_agency(root, "dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Dukcapil")
    for agency, name, title, keywords, topic, licence in DATASETS:
        extra = {"licenses": [{"name": licence}]} if licence else {}
        write_dataset(root, agency, name, title=title, keywords=keywords, topics=[topic], **extra)
    return root


@pytest.fixture
async def catalogue(services: Services, tmp_path: Path) -> AsyncIterator[World]:
    async with world_of(services, search_catalog(tmp_path / "catalog")) as opened:
        yield opened


async def _search(world: World, **params: Any) -> dict[str, Any]:
    response = await world.client.post("/api/3/action/package_search", json=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


async def _names(world: World, **params: Any) -> set[str]:
    result = await _search(world, rows=100, **params)
    assert result["count"] == len(result["results"])
    return {p["name"] for p in result["results"]}


ALL = {"kasus-tbc", "fasilitas-kesehatan", "jumlah-sekolah", "jumlah-penduduk"}
SYNTAX_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({"q": "kesehatan -tbc"}, {"fasilitas-kesehatan"}),
    ({"q": "kesehatan NOT tbc"}, {"fasilitas-kesehatan"}),
    ({"q": "penduduk OR sekolah"}, {"jumlah-penduduk", "jumlah-sekolah"}),
    ({"q": "penduduk sekolah"}, set()),  # side by side: both must hold
    ({"q": "jumlah sekolah"}, {"jumlah-sekolah"}),
    ({"q": "(penduduk OR sekolah) -title:sekolah"}, {"jumlah-penduduk"}),
    ({"q": "title:penduduk"}, {"jumlah-penduduk"}),
    ({"q": "title:jumlah"}, {"jumlah-penduduk", "jumlah-sekolah"}),
    ({"q": 'title:"per kecamatan"'}, {"kasus-tbc", "jumlah-sekolah"}),
    ({"q": "tags:kesehatan"}, {"kasus-tbc", "fasilitas-kesehatan"}),
    ({"q": "organization:dinkes"}, {"kasus-tbc", "fasilitas-kesehatan"}),
    ({"fq": "-organization:dinkes"}, {"jumlah-sekolah", "jumlah-penduduk"}),
    (
        {"fq": "organization:disdik OR organization:dukcapil"},
        {"jumlah-sekolah", "jumlah-penduduk"},
    ),
    ({"fq": "groups:kesehatan -tags:tbc"}, {"fasilitas-kesehatan"}),
    ({"fq": "license_id:CC0-1.0"}, {"fasilitas-kesehatan"}),
    ({"fq": "name:jumlah-*"}, {"jumlah-sekolah", "jumlah-penduduk"}),
    (
        {"fq": "res_format:csv"},
        ALL,
    ),
    ({"q": "sekolah", "fq": "organization:dinkes"}, set()),
    ({"fq_list": ["groups:kesehatan", "tags:puskesmas"]}, {"fasilitas-kesehatan"}),
    (
        {"fq": "metadata_modified:[NOW-1DAY TO NOW+1DAY]"},
        ALL,
    ),
    ({"fq": "metadata_created:[* TO 2000-01-01T00:00:00Z]"}, set()),
    (
        {"q": "*:*", "fq": "+capacity:public +state:(active OR draft)"},
        ALL,
    ),
]


async def test_search_syntax_gives_the_right_datasets(catalogue: World) -> None:
    """One catalogue load per database for every case; each case's answer is exact."""
    wrong = {}
    for params, expected in SYNTAX_CASES:
        found = await _names(catalogue, **params)
        if found != expected:
            wrong[repr(params)] = (found, expected)
    assert not wrong


async def test_sorts_both_ways_and_package_list_is_in_name_order(catalogue: World) -> None:
    names = ["fasilitas-kesehatan", "jumlah-penduduk", "jumlah-sekolah", "kasus-tbc"]
    listed = await catalogue.client.get("/api/3/action/package_list")
    assert listed.json()["result"] == names
    for sort, expected in [
        ("name asc", names),
        ("name desc", names[::-1]),
        (
            "title_string asc",
            ["fasilitas-kesehatan", "jumlah-penduduk", "jumlah-sekolah", "kasus-tbc"],
        ),
        (
            "title_string desc",
            ["kasus-tbc", "jumlah-sekolah", "jumlah-penduduk", "fasilitas-kesehatan"],
        ),
    ]:
        result = await _search(catalogue, sort=sort)
        assert [p["name"] for p in result["results"]] == expected, sort
    by_id = await _search(catalogue, sort="id asc")
    ids = [p["id"] for p in by_id["results"]]
    assert ids == sorted(ids) and len(ids) == 4
    by_id_desc = await _search(catalogue, sort="id desc")
    assert [p["id"] for p in by_id_desc["results"]] == ids[::-1]
    modified = await _search(catalogue, sort="metadata_modified desc, name asc")
    stamps = [p["metadata_modified"] for p in modified["results"]]
    assert stamps == sorted(stamps, reverse=True)
    created = await _search(catalogue, sort="metadata_created asc")
    assert [p["metadata_created"] for p in created["results"]] == sorted(
        p["metadata_created"] for p in created["results"]
    )


async def test_paging_with_start_and_rows_sees_every_dataset_once(catalogue: World) -> None:
    seen: list[str] = []
    for start in range(0, 6, 2):
        page = await _search(catalogue, sort="id asc", rows=2, start=start)
        assert page["count"] == 4
        seen += [p["name"] for p in page["results"]]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 4


async def test_what_ckan_accepts_is_accepted_and_facets_count_every_match(
    catalogue: World,
) -> None:
    result = await _search(
        catalogue,
        q="kesehatan",
        fl="id,name",
        include_private=True,
        include_drafts=True,
        include_deleted=False,
        **{"facet.field": ["tags", "license_id", "organization"], "facet.mincount": 2},
        qf="title^4",
        defType="edismax",
        ext_bbox="1,2,3,4",
        rows=1,
    )
    assert result["count"] == 2 and set(result["results"][0]) == {"id", "name"}
    assert result["facets"]["tags"] == {"kesehatan": 2}
    assert result["facets"]["organization"] == {"dinkes": 2}
    assert result["facets"]["license_id"] == {}  # one CC-BY-4.0, one CC0-1.0: under mincount
    items = result["search_facets"]["organization"]["items"]
    assert items == [{"name": "dinkes", "display_name": "Dinas Kesehatan", "count": 2}]
    for action, params in [
        ("package_list", {"include_private": True}),
        ("package_show", {"id": "kasus-tbc", "include_datasets": True}),
        ("organization_show", {"id": "dinkes", "include_password_hash": False}),
        ("organization_list", {"include_extras": True}),
    ]:
        response = await catalogue.client.post(f"/api/3/action/{action}", json=params)
        assert response.status_code == 200, (action, response.text)


async def test_group_show_tag_show_and_the_api_version(catalogue: World) -> None:
    client = catalogue.client
    group = (await client.get("/api/3/action/group_show?id=kesehatan&include_datasets=true")).json()
    assert group["result"]["package_count"] == 2
    assert {p["name"] for p in group["result"]["packages"]} == {"kasus-tbc", "fasilitas-kesehatan"}
    tag = (await client.get("/api/3/action/tag_show?id=kesehatan&include_datasets=true")).json()
    assert tag["result"]["name"] == "kesehatan"
    assert {p["name"] for p in tag["result"]["packages"]} == {"kasus-tbc", "fasilitas-kesehatan"}
    for missing in ("group_show?id=tidak-ada", "tag_show?id=tidak-ada"):
        refused = await client.get(f"/api/3/action/{missing}")
        assert refused.status_code == 404 and refused.json()["error"]["__type"] == "Not Found Error"
    assert (await client.get("/api/3")).json() == {"version": 3}
    for sort, expected in [
        ("package_count desc", ["dinkes", "dukcapil", "disdik"]),
        ("name desc", ["dukcapil", "disdik", "dinkes"]),
        (None, ["dukcapil", "dinkes", "disdik"]),  # by title: Kependudukan, Kesehatan, ...
    ]:
        params = {"sort": sort} if sort else {}
        listed = await client.post("/api/3/action/organization_list", json=params)
        assert listed.json()["result"] == expected, sort
    groups = await client.post("/api/3/action/group_list", json={"sort": "package_count desc"})
    assert groups.json()["result"][0] == "kesehatan"
    status = (await client.get("/api/3/action/status_show")).json()["result"]
    assert "ckan_version" not in status and status["software"] == "opendata"
