"""The same Idempotency-Key again: the same answer and nothing added, also when the two
pushes run at once, and on another server over the same database (the receipt is stored)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from opendata.app import create_app
from opendata.apps.models import PushReceipt
from opendata.services import open_services
from tests.apps.conftest import (
    LOADED_ROWS,
    OPEN_DATASET,
    PushWorld,
    make_rows,
    push,
    rows_of,
)
from tests.conftest import asgi_client


async def test_a_retry_gets_the_same_answer_and_adds_nothing(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    rows = make_rows(250)
    first = await push(client, token, rows, key="retry-me")
    again = await push(client, token, rows, key="retry-me")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() == {"rows": 250, "version": 1}
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 250
    # a new key is a new push
    await push(client, token, rows, key="another")
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 500


async def test_two_identical_pushes_at_once_add_the_rows_once(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    rows = make_rows(20_000)
    answers = await asyncio.gather(
        *(push(client, token, rows, key="twice-at-once") for _ in range(3))
    )
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert {answer.text for answer in answers} == {'{"rows":20000,"version":1}'}
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 20_000
    async with push_world.services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(PushReceipt)) == 1


async def test_the_receipt_holds_on_another_server(push_world: PushWorld) -> None:
    """A second server (its own services, same database) answers the retry from the receipt,
    as one restarted would."""
    rows = make_rows(30)
    first = await push(push_world.client, push_world.open_token, rows, key="across")
    other = await open_services(push_world.services.settings)
    try:
        async with asgi_client(create_app(other)) as client:
            again = await push(client, push_world.open_token, rows, key="across")
            assert again.status_code == 200
            assert again.json() == first.json()
            total, _ = await rows_of(client, OPEN_DATASET)
    finally:
        await other.close()
    assert total == LOADED_ROWS + 30


async def test_a_key_reused_for_a_different_push_is_refused(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    assert (await push(client, token, make_rows(3), key="k")).status_code == 200
    answer = await push(client, token, make_rows(4), key="k")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    answer = await push(client, token, make_rows(3), key="k", mode="replace")
    assert answer.status_code == 422
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 3


async def test_a_refused_push_stores_no_answer(push_world: PushWorld) -> None:
    """A push refused by a check adds nothing and keeps its key free for the corrected push."""
    client, token = push_world.client, push_world.open_token
    rows = make_rows(3)
    rows[1]["kasus"] = "banyak"
    assert (await push(client, token, rows, key="fix-me")).status_code == 409
    rows[1]["kasus"] = 7
    answer = await push(client, token, rows, key="fix-me")
    assert answer.status_code == 200
    assert answer.json() == {"rows": 3, "version": 1}
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 3
