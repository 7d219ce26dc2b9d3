"""Versions through the service: submit, checks, approve, public doors, rollback, reloads,
roles (issue 22 items 1, 2, 3 and 7). Every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.row_query import RowQuery, parse_fields, row_pages, row_source
from opendata.catalogue.tables import row_table_names
from opendata.db.models import Dataset, Resource
from opendata.services import Services
from opendata.visibility.policy import load_policy
from tests.catalogue.builders import write_dataset
from tests.conftest import asgi_client
from tests.exemptions.helpers import ADD, add_input
from tests.publishing.versions_world import (
    ACCEPT,
    FIELDS,
    NIK_FIELD,
    RETURN,
    ROLLBACK,
    V1,
    V2,
    VERSIONS,
    WITH_NIK,
    People,
    approved,
    catalogue_folder,
    make_people,
    public_dataset,
    row_values,
    submit,
    submitted,
)
from tests.web.helpers import data, error_codes, gql

SLUG = "keluarga-penerima-bantuan"
SEARCH = """query($q: String!) { datasets(query: $q, first: 20) { edges { node { slug } } } }"""


@dataclass
class World:
    client: httpx.AsyncClient
    services: Services
    people: People
    catalog: Path


@pytest.fixture
async def world(services: Services, tmp_path: Path) -> AsyncIterator[World]:
    root = catalogue_folder(tmp_path)
    summary = await load_catalog(services, root)
    assert summary.ok, summary.refused
    people = await make_people(services)
    async with asgi_client(create_app(services)) as client:
        yield World(client, services, people, root)


async def _csv(world: World, url: str) -> str:
    response = await world.client.get(url)
    assert response.status_code == 200, response.text
    return response.text


async def _datastore(world: World, resource_id: str) -> list[dict[str, Any]]:
    response = await world.client.post(
        "/api/3/action/datastore_search", json={"resource_id": resource_id}
    )
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["result"]["records"]
    return records


PAGE = """query($slug: String!, $after: String) { dataset(slug: $slug) { resources {
  rows(first: 2, after: $after) { edges { node } pageInfo { endCursor } } } } }"""


async def _cursor_after_first_row(world: World) -> str:
    body = data(await gql(world.client, PAGE.replace("first: 2", "first: 1"), {"slug": SLUG}))
    cursor: str = body["dataset"]["resources"][0]["rows"]["pageInfo"]["endCursor"]
    return cursor


async def _rows_after(world: World, cursor: str) -> list[int]:
    body = data(await gql(world.client, PAGE, {"slug": SLUG, "after": cursor}))
    return [e["node"]["jumlah"] for e in body["dataset"]["resources"][0]["rows"]["edges"]]


async def _hidden(world: World) -> bool:
    """The dataset is unknown to the public (NOT_FOUND, as if it did not exist)."""
    body = await gql(world.client, "query($s: String!) { dataset(slug: $s) { slug } }", {"s": SLUG})
    return error_codes(body) == ["NOT_FOUND"]


async def _found(world: World, words: str) -> list[str]:
    body = data(await gql(world.client, SEARCH, {"q": words}))
    return [edge["node"]["slug"] for edge in body["datasets"]["edges"]]


async def test_submit_approve_publishes_to_every_door_and_rollback_restores(
    world: World,
) -> None:
    people = world.people
    first = await submitted(world.client, people.producer, SLUG, V1)
    assert first["state"] == "SUBMITTED" and first["number"] == 1
    assert first["changes"] is None  # nothing published to compare with
    assert all(check["passed"] for check in first["checks"] if check["blocking"])
    # under review: nothing is public, not even that the dataset exists
    assert await _hidden(world)
    assert SLUG not in await _found(world, "Penerima Bantuan")

    published = await approved(world.client, people.steward, first["id"])
    assert published["state"] == "PUBLISHED" and published["reviewedBy"] == "walidata"
    shown = await public_dataset(world.client, SLUG)
    resource = shown["resources"][0]
    assert row_values(shown, "jumlah") == [120, 80, 45]
    assert "Kubu,2025,45" in await _csv(world, resource["downloadUrl"])
    assert [r["jumlah"] for r in await _datastore(world, resource["id"])] == [120, 80, 45]
    assert SLUG in await _found(world, "Penerima Bantuan")

    cursor = await _cursor_after_first_row(world)
    second = await submitted(world.client, people.producer, SLUG, V2)
    assert second["changes"] == {
        "rowsAdded": 2,
        "rowsRemoved": 2,
        "rowsChanged": 0,
        "fieldsAdded": [],
        "fieldsRemoved": [],
        "metadataChanged": [],
    }
    # the public still sees version 1 while version 2 is under review
    assert row_values(await public_dataset(world.client, SLUG), "jumlah") == [120, 80, 45]
    await approved(world.client, people.steward, second["id"])
    now = await public_dataset(world.client, SLUG)
    assert row_values(now, "jumlah") == [125, 80, 30]
    # the same resource, the same link, across versions
    assert now["resources"][0]["id"] == resource["id"]
    assert now["resources"][0]["downloadUrl"] == resource["downloadUrl"]
    assert "Rasau Jaya,2025,30" in await _csv(world, resource["downloadUrl"])
    # a cursor taken on version 1 still pages on: same resource, same cursor key
    assert await _rows_after(world, cursor) == [80, 30]
    assert [r["jumlah"] for r in await _datastore(world, resource["id"])] == [125, 80, 30]

    rolled = data(await gql(world.client, ROLLBACK, {"dataset": SLUG, "to": 1}, people.steward))
    assert rolled["rollbackDataset"]["slug"] == SLUG
    back = await public_dataset(world.client, SLUG)
    assert row_values(back, "jumlah") == [120, 80, 45]
    assert back["resources"][0]["id"] == resource["id"]
    assert "Kubu,2025,45" in await _csv(world, resource["downloadUrl"])
    assert [r["jumlah"] for r in await _datastore(world, resource["id"])] == [120, 80, 45]
    assert back["versions"] == [
        {"number": 2, "state": "SUPERSEDED"},
        {"number": 1, "state": "PUBLISHED"},
    ]


async def test_a_nik_column_blocks_until_the_ppid_withholds_it(world: World) -> None:
    people = world.people
    version = await submitted(
        world.client, people.producer, SLUG, WITH_NIK, fields=[*FIELDS, NIK_FIELD]
    )
    flagged = [c for c in version["checks"] if c["kind"] == "PERSONAL_DATA" and not c["passed"]]
    assert [c["field"] for c in flagged] == ["nik"] and flagged[0]["blocking"]

    refused = await gql(
        world.client,
        "mutation($id: ID!) { approveDatasetVersion(id: $id) { state } }",
        {"id": version["id"]},
        people.steward,
    )
    assert error_codes(refused) == ["CHECK_FAILED"]
    failing = refused["errors"][0]["extensions"]["checks"]
    assert [(c["kind"], c["field"]) for c in failing] == [("PERSONAL_DATA", "nik")]
    assert await _hidden(world)

    # the PPID withholds the column of the dataset still under review (Pasal 17 huruf h)
    added = await gql(
        world.client, ADD, {"input": add_input(SLUG, "FIELD", field="nik")}, people.officer
    )
    assert "errors" not in added, added
    published = await approved(world.client, people.steward, version["id"])
    assert published["state"] == "PUBLISHED"
    assert all(c["passed"] for c in published["checks"] if c["kind"] == "PERSONAL_DATA")

    shown = await public_dataset(world.client, SLUG)
    assert row_values(shown, "nik") == [None, None]
    assert {f["name"]: f["withheld"] for f in shown["resources"][0]["fields"]}["nik"] is True
    download = await _csv(world, shown["resources"][0]["downloadUrl"])
    assert "6112014501900001" not in download and "6112021203850002" not in download
    records = await _datastore(world, shown["resources"][0]["id"])
    assert all("6112" not in str(record.get("nik")) for record in records)


async def test_a_steward_may_accept_a_flagged_column_with_a_reason(world: World) -> None:
    people = world.people
    version = await submitted(
        world.client, people.producer, SLUG, WITH_NIK, fields=[*FIELDS, NIK_FIELD]
    )
    accepted = data(
        await gql(
            world.client,
            ACCEPT,
            {
                "id": version["id"],
                "kind": "PERSONAL_DATA",
                "field": "nik",
                "reason": "Nomor register lembaga, bukan NIK orang.",
            },
            people.steward,
        )
    )["acceptPublicationCheck"]
    assert all(c["passed"] for c in accepted["checks"] if c["blocking"])
    assert (await approved(world.client, people.steward, version["id"]))["state"] == "PUBLISHED"


async def test_return_with_a_comment_and_the_roles(world: World) -> None:
    people = world.people
    # a producer submits only for their own agency; anonymous callers not at all
    foreign = await submit(world.client, people.other_producer, SLUG, V1)
    assert error_codes(foreign) == ["FORBIDDEN"]
    assert error_codes(await submit(world.client, None, SLUG, V1)) == ["UNAUTHENTICATED"]
    assert error_codes(await submit(world.client, people.admin, SLUG, V1)) == ["FORBIDDEN"]

    version = await submitted(world.client, people.producer, SLUG, V1)
    approve = "mutation($id: ID!) { approveDatasetVersion(id: $id) { state } }"
    for token in (people.admin, people.producer, people.officer, people.requester):
        refused = await gql(world.client, approve, {"id": version["id"]}, token)
        assert error_codes(refused) == ["FORBIDDEN"]

    returned = data(
        await gql(
            world.client,
            RETURN,
            {"id": version["id"], "comment": "Lengkapi tahun 2024."},
            people.steward,
        )
    )["returnDatasetVersion"]
    assert returned["state"] == "RETURNED" and returned["comment"] == "Lengkapi tahun 2024."
    again = await gql(world.client, approve, {"id": version["id"]}, people.steward)
    assert error_codes(again) == ["INVALID_TRANSITION"]


async def test_only_published_versions_are_seen_outside_the_agency(world: World) -> None:
    people = world.people
    first = await submitted(world.client, people.producer, SLUG, V1)
    await approved(world.client, people.steward, first["id"])
    pending = await submitted(world.client, people.producer, SLUG, V2)

    def numbers(body: dict[str, Any]) -> list[int]:
        return [v["number"] for v in data(body)["dataset"]["versions"]]

    for token in (None, people.requester, people.other_producer):
        assert numbers(await gql(world.client, VERSIONS, {"slug": SLUG}, token)) == [1]
        node = await gql(
            world.client,
            "query($id: ID!) { node(id: $id) { id } }",
            {"id": pending["id"]},
            token,
        )
        assert data(node)["node"] is None
    for token in (people.producer, people.steward, people.officer):
        assert numbers(await gql(world.client, VERSIONS, {"slug": SLUG}, token)) == [2, 1]
    # the public rows are version 1's, never the submitted version's
    assert row_values(await public_dataset(world.client, SLUG), "jumlah") == [120, 80, 45]


async def test_a_reload_keeps_ids_and_never_undoes_a_service_version(world: World) -> None:
    people = world.people
    before = await public_dataset(world.client, "kasus-dbd")
    # a catalogue reload keeps resource ids (and so download links) as they were
    write_dataset(world.catalog, "dinkes", "kasus-dbd", title="Kasus DBD (revisi)")
    summary = await load_catalog(world.services, world.catalog)
    assert summary.updated == ["kasus-dbd"]
    reloaded = await public_dataset(world.client, "kasus-dbd")
    assert reloaded["title"] == "Kasus DBD (revisi)"
    assert reloaded["resources"][0]["id"] == before["resources"][0]["id"]
    assert reloaded["resources"][0]["downloadUrl"] == before["resources"][0]["downloadUrl"]

    # the service publishes a version of a dataset the folder also holds
    version = await submitted(world.client, people.producer, "imunisasi-dasar", V1)
    await approved(world.client, people.steward, version["id"])
    served = await public_dataset(world.client, "imunisasi-dasar")
    write_dataset(world.catalog, "dinkes", "imunisasi-dasar", title="Versi folder")
    summary = await load_catalog(world.services, world.catalog)
    assert summary.kept_by_service == ["imunisasi-dasar"]
    assert any("kept (published through the service" in line for line in summary.lines())
    kept = await public_dataset(world.client, "imunisasi-dasar")
    assert kept["title"] == served["title"]
    assert row_values(kept, "jumlah") == [120, 80, 45]

    # a dataset that exists only through the service is not removed by a load either
    only = await submitted(world.client, people.producer, SLUG, V1)
    await approved(world.client, people.steward, only["id"])
    await load_catalog(world.services, world.catalog)
    assert row_values(await public_dataset(world.client, SLUG), "jumlah") == [120, 80, 45]

    # forced: the folder's content replaces it; the resource id stays
    forced = await load_catalog(world.services, world.catalog, over_service=True)
    assert "imunisasi-dasar" in forced.updated
    replaced = await public_dataset(world.client, "imunisasi-dasar")
    assert replaced["title"] == "Versi folder"
    assert [v["state"] for v in replaced["versions"]] == ["SUPERSEDED"]


OLDER = """query($slug: String!) { dataset(slug: $slug) {
  versions { number state resources { name rowCount downloadUrl } } } }"""


async def test_an_older_version_downloads_under_the_exemptions_in_force(world: World) -> None:
    people = world.people
    first = await submitted(
        world.client, people.producer, SLUG, WITH_NIK, fields=[*FIELDS, NIK_FIELD]
    )
    await gql(
        world.client,
        ACCEPT,
        {"id": first["id"], "kind": "PERSONAL_DATA", "field": "nik", "reason": "Uji."},
        people.steward,
    )
    await approved(world.client, people.steward, first["id"])
    link = (await public_dataset(world.client, SLUG))["resources"][0]["downloadUrl"]
    assert "6112014501900001" in await _csv(world, f"{link}?version=1")

    # later the PPID withholds the column; version 2 is published; version 1 stays
    # downloadable, without the NIKs: the exemption applies to every version
    added = await gql(
        world.client, ADD, {"input": add_input(SLUG, "FIELD", field="nik")}, people.officer
    )
    assert "errors" not in added, added
    second = await submitted(
        world.client,
        people.producer,
        SLUG,
        WITH_NIK.replace("Sungai Kakap,2025,80", "Kubu,2025,81"),
        fields=[*FIELDS, NIK_FIELD],
    )
    await approved(world.client, people.steward, second["id"])
    older = await _csv(world, f"{link}?version=1")
    assert "Sungai Kakap" in older and "6112" not in older
    assert "Kubu,2025,81" in await _csv(world, link)
    listed = data(await gql(world.client, OLDER, {"slug": SLUG}))["dataset"]["versions"]
    assert [v["resources"][0]["downloadUrl"] for v in listed] == [
        f"{link}?version=2",
        f"{link}?version=1",
    ]
    # a version under review is not downloadable, nor one that does not exist
    pending = await submitted(
        world.client, people.producer, SLUG, WITH_NIK, fields=[*FIELDS, NIK_FIELD]
    )
    assert pending["number"] == 3
    for number in ("3", "9", "x"):
        response = await world.client.get(f"{link}?version={number}")
        assert response.status_code in (400, 404) and "6112" not in response.text


async def test_a_file_that_does_not_fit_is_refused_and_leaves_nothing(world: World) -> None:
    wrong_header = "kecamatan,tahun,jml\nKubu,2025,1\n"
    refused = await submit(world.client, world.people.producer, SLUG, wrong_header)
    assert error_codes(refused) == ["BAD_USER_INPUT"]
    assert refused["errors"][0]["extensions"]["field"] == "metadata.header"
    staged = world.services.settings.data_dir / "versions"
    assert not any(path.is_file() for path in staged.rglob("*"))
    assert await _hidden(world)


async def test_a_published_version_makes_an_overdue_dataset_fresh(world: World) -> None:
    """Freshness counts from the newest publication through the service, not only from the
    `modified` date the descriptor gave (issue 22, item 6)."""
    people = world.people
    freshness = """query($slug: String!) { dataset(slug: $slug) { overdueForUpdate } }"""
    stale = await submitted(
        world.client,
        people.producer,
        SLUG,
        V1,
        updateFrequency="MONTHLY",
        modified="2020-01-31",
    )
    await approved(world.client, people.steward, stale["id"])
    async with world.services.database.write() as session:
        dataset = await session.scalar(select(Dataset).where(Dataset.slug == SLUG))
        assert dataset is not None
        dataset.modified = date(2020, 1, 31)  # as if published long ago
    answer = data(await gql(world.client, freshness, {"slug": SLUG}))
    assert answer["dataset"]["overdueForUpdate"] is True
    second = await submitted(world.client, people.producer, SLUG, V2, updateFrequency="MONTHLY")
    await approved(world.client, people.steward, second["id"])
    answer = data(await gql(world.client, freshness, {"slug": SLUG}))
    assert answer["dataset"]["overdueForUpdate"] is False


async def test_a_rows_dataset_whose_people_could_be_singled_out_waits_for_aggregates(
    world: World,
) -> None:
    """Item 3 and 4: over the declared quasi-identifiers every group of visible rows must hold
    at least `minimumCellSize` rows before ROWS are published; the same data may go out as
    AGGREGATES, where no row is ever listed."""
    people = world.people
    approve = "mutation($id: ID!) { approveDatasetVersion(id: $id) { state } }"
    as_rows = await submitted(
        world.client, people.producer, SLUG, V1, quasiIdentifiers=["kecamatan"]
    )
    blocked = [c for c in as_rows["checks"] if c["kind"] == "REIDENTIFICATION"]
    assert [(c["passed"], c["blocking"]) for c in blocked] == [(False, True)]
    refused = await gql(world.client, approve, {"id": as_rows["id"]}, people.steward)
    assert error_codes(refused) == ["CHECK_FAILED"]
    failing = refused["errors"][0]["extensions"]["checks"]
    assert [c["kind"] for c in failing] == ["REIDENTIFICATION"]
    assert await _hidden(world)

    as_figures = await submitted(
        world.client,
        people.producer,
        SLUG,
        V1,
        quasiIdentifiers=["kecamatan"],
        publicationMode="AGGREGATES",
    )
    assert not any(c["kind"] == "REIDENTIFICATION" for c in as_figures["checks"])
    published = await approved(world.client, people.steward, as_figures["id"])
    assert published["state"] == "PUBLISHED"
    links = "query($s: String!) { dataset(slug: $s) { publicationMode resources { downloadUrl } } }"
    shown = data(await gql(world.client, links, {"s": SLUG}))["dataset"]
    assert shown == {"publicationMode": "AGGREGATES", "resources": [{"downloadUrl": None}]}


async def test_a_reader_in_flight_when_a_version_is_approved_still_reads(world: World) -> None:
    """The catalogue load's table a published version replaces outlives the requests that
    resolved it before the commit (they got a 500 "relation does not exist" when it was
    dropped at once); the next catalogue load sweeps it, as after a push."""
    async with world.services.database.session() as session:
        loaded = await session.scalar(
            select(Resource).join(Dataset).where(Dataset.slug == "imunisasi-dasar")
        )
        assert loaded is not None
        policy = await load_policy(session, loaded.dataset_id)
    source = row_source(loaded, policy)  # this reader has resolved the loaded table
    query = RowQuery(source, chosen=parse_fields(source, None), first=100)
    version = await submitted(world.client, world.people.producer, "imunisasi-dasar", V1)
    await approved(world.client, world.people.steward, version["id"])
    async with world.services.database.session() as session:
        page = (await row_pages(session, [query]))[0]
    assert len(page.rows) == 4  # the version it started on, whole
    async with world.services.database.session() as session:
        assert loaded.row_table in await row_table_names(session)
    summary = await load_catalog(world.services, world.catalog)
    assert summary.ok, summary.refused
    async with world.services.database.session() as session:
        assert loaded.row_table not in await row_table_names(session)
