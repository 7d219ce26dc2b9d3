"""POST /api/push: rows arrive typed and in `rows`; bad tokens, foreign datasets and bad
values are refused with nothing written (contract v3)."""

from __future__ import annotations

import pytest

from opendata.apps.registry import add_app, revoke_app
from tests.apps.conftest import (
    EXEMPT_DATASET,
    FOREIGN_DATASET,
    LOADED_ROWS,
    OPEN_DATASET,
    PushWorld,
    as_csv,
    make_rows,
    push,
    rows_of,
)

BIG = 100_000


@pytest.mark.slow
async def test_100000_rows_as_json_and_as_csv_appear_in_rows(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    answer = await push(client, token, make_rows(BIG), key="json-batch")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rows": BIG, "version": 1}
    answer = await push(client, token, make_rows(BIG, start=BIG), key="csv-batch", csv_body=True)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rows": BIG, "version": 2}

    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 2 * BIG
    # one row of each push, typed as the schema says (integers stay integers)
    for number in (BIG - 1, 2 * BIG - 1):
        count, found = await rows_of(client, OPEN_DATASET, {"kasus": number})
        assert count == 1
        assert found[0]["kecamatan"] == f"Kecamatan {number % 97}"
        assert found[0]["tahun"] == 2025
    # the loaded rows are still there, first in order
    _, first = await rows_of(client, OPEN_DATASET, first=LOADED_ROWS + 1)
    assert [row["kecamatan"] for row in first[:2]] == ["Sungai Kakap", "Sungai Raya"]
    assert first[LOADED_ROWS]["kasus"] == 0


async def test_replace_swaps_every_row(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    answer = await push(client, token, make_rows(3, start=500), mode="replace", key="r1")
    assert answer.status_code == 200, answer.text
    total, found = await rows_of(client, OPEN_DATASET)
    assert total == 3
    assert [row["kasus"] for row in found] == [500, 501, 502]
    # and appending after a replace continues after the new rows
    await push(client, token, make_rows(2, start=900), key="r2")
    total, found = await rows_of(client, OPEN_DATASET)
    assert [row["kasus"] for row in found] == [500, 501, 502, 900, 901]


async def test_a_bad_or_revoked_token_is_refused_401(push_world: PushWorld) -> None:
    client = push_world.client
    for token in (None, "odt_not-a-token", "oda_" + "x" * 43):
        answer = await push(client, token, make_rows(1))
        assert answer.status_code == 401, (token, answer.text)
        assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await push(client, push_world.open_token, make_rows(1), key="a")).status_code == 200
    assert await revoke_app(push_world.services.database, "RT Online")
    answer = await push(client, push_world.open_token, make_rows(1), key="b")
    assert answer.status_code == 401
    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS + 1


async def test_a_token_cannot_write_another_dataset_403(push_world: PushWorld) -> None:
    client = push_world.client
    for dataset in (EXEMPT_DATASET, FOREIGN_DATASET, "no-such-dataset"):
        answer = await push(client, push_world.open_token, make_rows(2), dataset=dataset)
        assert answer.status_code == 403, (dataset, answer.text)
        assert answer.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    total, _ = await rows_of(client, EXEMPT_DATASET)
    assert total == LOADED_ROWS - 1  # unchanged (one row is withheld)
    total, _ = await rows_of(client, FOREIGN_DATASET)
    assert total == LOADED_ROWS
    # a missing resource of a dataset it may write is a plain 404
    answer = await push(client, push_world.open_token, make_rows(1), resource="nope")
    assert answer.status_code == 404


async def test_an_app_is_made_for_its_own_agency_datasets_only(push_world: PushWorld) -> None:
    from opendata.errors import DomainError

    with pytest.raises(DomainError) as refused:
        await add_app(
            push_world.services.database,
            name="Banjir Online",
            agency_slug="dinkes",
            dataset_slugs=[FOREIGN_DATASET],
        )
    assert "does not belong" in refused.value.message_en


async def test_a_bad_value_is_refused_409_naming_line_and_field(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    rows = make_rows(5)
    rows[2]["tahun"] = "dua ribu"
    answer = await push(client, token, rows, key="bad-json")
    assert answer.status_code == 409, answer.text
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "CHECK_FAILED"
    (check,) = error["extensions"]["checks"]
    assert (check["kind"], check["line"], check["field"]) == ("SCHEMA", 3, "tahun")
    assert "line 3, field 'tahun'" in error["extensions"]["messageEn"]
    assert "baris 3, kolom 'tahun'" in error["message"]

    body = as_csv(rows[:2]) + b"Kubu,2025,lima,9100000000000009,terbuka\n"
    answer = await push(client, token, body, key="bad-csv")
    assert answer.status_code == 409
    (check,) = answer.json()["errors"][0]["extensions"]["checks"]
    assert (check["line"], check["field"]) == (4, "kasus")  # line 1 is the header

    header = b"kecamatan,tahun,kasus,status\nKubu,2025,1,terbuka\n"
    answer = await push(client, token, header, key="bad-header")
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["extensions"]["checks"][0]["line"] == 1

    answer = await push(client, token, [{**rows[0], "umur": 40}], key="unknown-field")
    assert answer.status_code == 409
    assert answer.json()["errors"][0]["extensions"]["checks"][0]["field"] == "umur"

    total, _ = await rows_of(client, OPEN_DATASET)
    assert total == LOADED_ROWS  # nothing of any refused push was added


async def test_malformed_requests_are_refused_before_writing(push_world: PushWorld) -> None:
    client, token = push_world.client, push_world.open_token
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k"}
    url = f"/api/push/{OPEN_DATASET}/kasus"
    cases = [
        (url + "?mode=merge", {"Content-Type": "application/json"}, b"[]", 400),
        (url, {"Content-Type": "application/xml"}, b"<rows/>", 415),
        (url, {"Content-Type": "application/json"}, b"{not json", 400),
        (url, {"Content-Type": "application/json"}, b'{"rows": []}', 400),
    ]
    for target, extra, body, status in cases:
        answer = await client.post(target, content=body, headers={**headers, **extra})
        assert answer.status_code == status, (target, extra, answer.text)
    answer = await client.post(
        url,
        content=b"[]",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400  # no Idempotency-Key
    assert answer.json()["errors"][0]["extensions"]["field"] == "Idempotency-Key"
