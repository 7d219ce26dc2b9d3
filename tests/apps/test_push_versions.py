"""Each push publishes a version (contract v3: `version` in the answer is its number): the
previous one is superseded, stays intact in its own tables, and a rollback brings it back."""

from __future__ import annotations

from opendata.accounts.service import create_user
from opendata.apps.push_changes import CHANGES_KIND, count_changes_job
from opendata.outbox.worker import Worker
from tests.apps.conftest import LOADED_ROWS, OPEN_DATASET, PushWorld, make_rows, push, rows_of
from tests.web.helpers import data, gql

VERSIONS = """query($slug: String!) { dataset(slug: $slug) {
  versions { number state submittedBy rowCount changes { rowsAdded rowsRemoved } } } }"""
PENDING = """query($slug: String!) { dataset(slug: $slug) {
  versions { number changesPending changes { rowsAdded } } } }"""


async def _count_changes(world: PushWorld) -> int:
    """Run the outbox's change-summary jobs, as a server's worker does."""
    return await Worker(world.services, {CHANGES_KIND: count_changes_job}).run_once()


ROLLBACK = """mutation($dataset: String!, $to: Int!) {
  rollbackDataset(dataset: $dataset, toVersion: $to) { slug } }"""


async def _versions(world: PushWorld, token: str) -> list[dict[str, object]]:
    body = await gql(world.client, VERSIONS, {"slug": OPEN_DATASET}, token)
    versions: list[dict[str, object]] = data(body)["dataset"]["versions"]
    return versions


async def test_pushes_publish_versions_and_a_rollback_restores_one(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    steward = (
        await create_user(
            push_world.services.database,
            email="walidata@kominfo.test",
            name="Walidata",
            role="DATA_STEWARD",
        )
    ).token
    assert (await push(client, token, make_rows(10), key="one")).json()["version"] == 1
    answer = await push(client, token, make_rows(3, start=100), key="two", mode="replace")
    assert answer.json() == {"rows": 3, "version": 2}
    # the replace's summary is counted after the push is answered: pending, never a false 0
    pending = data(await gql(client, PENDING, {"slug": OPEN_DATASET}, steward))["dataset"]
    assert pending["versions"][0] == {"number": 2, "changesPending": True, "changes": None}
    assert pending["versions"][1]["changesPending"] is False
    assert await _count_changes(push_world) == 1

    versions = await _versions(push_world, steward)
    assert [(v["number"], v["state"]) for v in versions] == [(2, "PUBLISHED"), (1, "SUPERSEDED")]
    assert versions[0]["rowCount"] == 3 and versions[1]["rowCount"] == LOADED_ROWS + 10
    assert versions[1]["changes"] == {"rowsAdded": 10, "rowsRemoved": 0}
    assert versions[0]["changes"]["rowsRemoved"] == LOADED_ROWS + 10
    assert "RT Online" in str(versions[0]["submittedBy"])

    # version 1 (the catalogue rows and the first push) comes back whole, in one action
    data(await gql(client, ROLLBACK, {"dataset": OPEN_DATASET, "to": 1}, steward))
    total, rows = await rows_of(client, OPEN_DATASET, first=LOADED_ROWS + 1)
    assert total == LOADED_ROWS + 10
    assert rows[LOADED_ROWS]["kasus"] == 0
    # a push after the rollback builds on what is published: version 1's rows
    assert (await push(client, token, make_rows(1, start=7), key="three")).json()["version"] == 3
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 11
    # and the replaced version 2 is still whole too
    data(await gql(client, ROLLBACK, {"dataset": OPEN_DATASET, "to": 2}, steward))
    total, rows = await rows_of(client, OPEN_DATASET)
    assert [row["kasus"] for row in rows] == [100, 101, 102]


async def test_a_replacing_push_counts_rows_kept_added_and_removed_as_a_multiset(
    push_world: PushWorld,
) -> None:
    """The steward's diff of a replace matches rows whole, duplicates and empty cells too."""
    client, token = push_world.client, push_world.open_token
    kept = make_rows(3, kasus=None) + make_rows(2, start=10)  # an empty cell in three rows
    assert (await push(client, token, kept + kept[:1], key="one")).status_code == 200
    # kept twice: 2 of the rows; once: 1 of the 2 duplicates (the other is removed); 2 new
    again = kept[:2] + kept[:1] + make_rows(2, start=50)
    answer = await push(client, token, again, key="two", mode="replace")
    assert answer.status_code == 200, answer.text
    steward = (
        await create_user(
            push_world.services.database, email="w@kominfo.test", name="W", role="DATA_STEWARD"
        )
    ).token
    assert await _count_changes(push_world) == 1
    changes = (await _versions(push_world, steward))[0]["changes"]
    # before: 4 loaded + 6 pushed; kept: kept[0] twice, kept[1] once
    assert changes == {"rowsAdded": 2, "rowsRemoved": LOADED_ROWS + 6 - 3}


async def _version_csv(world: PushWorld, number: int) -> list[str]:
    """The `kasus` column of version `number`'s download, in row order."""
    body = await gql(world.client, VERSIONS_LINK, {"slug": OPEN_DATASET})
    link = data(body)["dataset"]["resources"][0]["downloadUrl"]
    response = await world.client.get(f"{link}?version={number}")
    assert response.status_code == 200, response.text
    lines = response.text.splitlines()
    column = lines[0].split(",").index("kasus")
    return [line.split(",")[column] for line in lines[1:]]


VERSIONS_LINK = """query($slug: String!) { dataset(slug: $slug) { resources { downloadUrl } } }"""


async def test_appends_in_place_leave_every_earlier_version_whole(push_world: PushWorld) -> None:
    """Appends after the first add to the published version's table instead of copying it;
    the earlier versions sharing that table keep reading exactly their rows, through a
    rollback and a push after it too."""
    client, token = push_world.client, push_world.open_token
    steward = (
        await create_user(
            push_world.services.database, email="w2@kominfo.test", name="W", role="DATA_STEWARD"
        )
    ).token
    for n in range(3):  # version 1 copies the load's table; 2 and 3 append in place
        answer = await push(client, token, make_rows(2, start=10 * (n + 1)), key=f"a{n}")
        assert answer.json()["version"] == n + 1
    loaded = await _version_csv(push_world, 1)
    assert len(loaded) == LOADED_ROWS + 2
    assert (await _version_csv(push_world, 2))[LOADED_ROWS:] == ["10", "11", "20", "21"]
    assert (await _version_csv(push_world, 3))[LOADED_ROWS:] == ["10", "11", "20", "21", "30", "31"]
    assert (await rows_of(client, OPEN_DATASET))[0] == LOADED_ROWS + 6

    data(await gql(client, ROLLBACK, {"dataset": OPEN_DATASET, "to": 2}, steward))
    assert (await rows_of(client, OPEN_DATASET))[0] == LOADED_ROWS + 4
    # a push onto the restored version 2 must not reach version 3's rows (it copies)
    assert (await push(client, token, make_rows(1, start=90), key="b")).json()["version"] == 4
    assert (await _version_csv(push_world, 4))[LOADED_ROWS:] == ["10", "11", "20", "21", "90"]
    assert (await _version_csv(push_world, 3))[LOADED_ROWS:] == ["10", "11", "20", "21", "30", "31"]
    assert len(await _version_csv(push_world, 1)) == LOADED_ROWS + 2
    assert (await rows_of(client, OPEN_DATASET))[0] == LOADED_ROWS + 5
