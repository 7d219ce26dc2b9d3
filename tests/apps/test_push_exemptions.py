"""A pushed value in a withheld field (and a pushed row a ROW exemption withholds) is never
returned by any door: GraphQL rows, the downloads, CKAN datastore_search; not after the
push, and not while it runs (one transaction, and the policy masks at read time)."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select, text

from opendata.db.models import Dataset, Resource
from tests.apps.conftest import EXEMPT_DATASET, LOADED_ROWS, PushWorld, make_rows, push, rows_of
from tests.web.helpers import data, gql

PUSHED = 100_000
NIK_PREFIX = "9100000"  # every pushed NIK starts so (make_rows); the loaded ones with 6112
HIDDEN_PLACE = "Desa Dalam Penyelidikan"  # only on pushed rows a ROW exemption withholds
RESOURCE_ID = """query($slug: String!) { dataset(slug: $slug) { resources { id } } }"""
VARIABLES = {"slug": EXEMPT_DATASET}
ROWS_ALL = """query($slug: String!) { dataset(slug: $slug) { resources {
  rows(first: 1000) { totalCount edges { node } } } } }"""


async def _every_door(client: httpx.AsyncClient, resource_id: str) -> list[str]:
    """The answers of each row door, read whole (the first 1000 rows where paged)."""
    answers = [
        (await client.post("/graphql", json={"query": ROWS_ALL, "variables": VARIABLES})).text,
        (await client.get(f"/download/{resource_id}.csv")).text,
        (await client.get(f"/download/{resource_id}.jsonl")).text,
        (
            await client.post(
                "/api/3/action/datastore_search", json={"resource_id": resource_id, "limit": 1000}
            )
        ).text,
    ]
    for secret in (HIDDEN_PLACE, NIK_PREFIX):  # the answer echoes `q`: its records only
        found = await client.post(
            "/api/3/action/datastore_search", json={"resource_id": resource_id, "q": secret}
        )
        answer = found.json()  # (a refusal of a small selection is an answer too)
        answers.append(str(answer["result"]["records"] if answer["success"] else answer))
    return answers


def _pushed_rows() -> list[dict[str, object]]:
    rows = make_rows(PUSHED)
    for row in rows[::4]:
        row.update(kecamatan=HIDDEN_PLACE, status="dalam penyelidikan")
    return rows


async def test_withheld_values_never_come_out_during_or_after_a_push(
    push_world: PushWorld,
) -> None:
    client = push_world.client
    resource_id = data(await gql(client, RESOURCE_ID, {"slug": EXEMPT_DATASET}))["dataset"][
        "resources"
    ][0]["id"]
    pushing = asyncio.create_task(
        push(client, push_world.exempt_token, _pushed_rows(), dataset=EXEMPT_DATASET)
    )
    during: list[str] = []
    rounds = 0
    while not pushing.done():
        answers = await _every_door(client, resource_id)
        if not pushing.done():  # this whole round was read while the push was running
            rounds += 1
            during += answers
    answer = await pushing
    assert answer.status_code == 200, answer.text
    assert rounds >= 3, "the push ended before the readers could look"
    after = await _every_door(client, resource_id)

    leaks = [text for text in during + after if NIK_PREFIX in text or HIDDEN_PLACE in text]
    assert leaks == []
    # the check above can fail: the pushed public values do come out of the same doors
    place = "Kecamatan 1"
    total, rows = await rows_of(client, EXEMPT_DATASET, {"kecamatan": place})
    assert total == sum(1 for i in range(PUSHED) if i % 97 == 1 and i % 4 != 0)
    assert rows[0] == {
        "kecamatan": place,
        "tahun": 2025,
        "kasus": 1,
        "nik": None,
        "status": "terbuka",
    }
    total, _ = await rows_of(client, EXEMPT_DATASET)
    assert total == LOADED_ROWS - 1 + PUSHED * 3 // 4
    assert "Kecamatan 1," in after[1]  # the CSV download
    # and the withheld value is stored (so the masking, not its absence, is what was tested)
    assert await _stored_niks(push_world, NIK_PREFIX) == PUSHED


async def _stored_niks(world: PushWorld, prefix: str) -> int:
    """Rows of the dataset's table whose `nik` (the fourth column, c3) starts with `prefix`."""
    async with world.services.database.session() as session:
        table = await session.scalar(
            select(Resource.row_table)
            .join(Dataset, Dataset.id == Resource.dataset_id)
            .where(Dataset.slug == EXEMPT_DATASET)
        )
        count = await session.scalar(
            select(func.count())
            .select_from(text(f'"{table}"'))
            .where(text("c3 LIKE :prefix").bindparams(prefix=prefix + "%"))
        )
    return int(count or 0)
