"""Inputs that once answered 500 or INTERNAL_SERVER_ERROR get the contract's code, on SQLite
and PostgreSQL, and the server keeps serving after each."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from opendata.accounts.service import create_user
from opendata.services import Services
from tests.web.helpers import data, error_codes, gql

TOO_BIG = 2**63  # and beyond: past every SQL integer


def global_id(type_name: str, key: int | str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def cursor(kind: str, key: Any) -> str:
    raw = json.dumps([kind, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def still_serving(api: httpx.AsyncClient) -> None:
    assert data(await gql(api, "{ agencies { totalCount } }")) == {"agencies": {"totalCount": 2}}


async def post_raw(api: httpx.AsyncClient, body: bytes) -> httpx.Response:
    return await api.post("/graphql", content=body, headers={"content-type": "application/json"})


async def test_a_deeply_nested_json_body_is_bad_user_input(api: httpx.AsyncClient) -> None:
    for body in (
        b"[" * 100_000 + b"]" * 100_000,
        b'{"query":"{ __typename }","variables":{"v":' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    ):
        response = await post_raw(api, body)
        assert response.status_code == 400
        assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    await still_serving(api)


async def test_nan_and_infinity_are_not_json(api: httpx.AsyncClient) -> None:
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        response = await post_raw(
            api,
            b'{"query":"query($w: JSON) { __typename }","variables":{"w":{"tahun":'
            + constant
            + b"}}}",
        )
        assert response.status_code == 400
        assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_variables_nested_past_any_input_are_bad_user_input(api: httpx.AsyncClient) -> None:
    where: Any = "x"
    for _ in range(200):
        where = {"kecamatan": where}
    body = await gql(api, "query($w: JSON) { datasets { totalCount } }", {"w": where})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "$w"
    await still_serving(api)


async def test_huge_integers_in_global_ids_are_bad_user_input(api: httpx.AsyncClient) -> None:
    for key in (TOO_BIG, 2**31, 10**40):
        body = await gql(
            api, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id("Dataset", key)}
        )
        assert error_codes(body) == ["BAD_USER_INPUT"], key
    await still_serving(api)


async def test_non_ascii_digits_are_not_a_key(api: httpx.AsyncClient) -> None:
    body = await gql(
        api, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id("Dataset", "١")}
    )
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_huge_integers_in_cursors_are_bad_user_input(api: httpx.AsyncClient) -> None:
    for field in ("agencies", "datasets"):
        page = data(await gql(api, f"{{ {field}(first: 1) {{ pageInfo {{ endCursor }} }} }}"))
        end = page[field]["pageInfo"]["endCursor"]
        kind, _ = json.loads(base64.urlsafe_b64decode(end + "=" * (-len(end) % 4)))
        query = f"query($a: String) {{ {field}(after: $a) {{ totalCount }} }}"
        body = await gql(api, query, {"a": cursor(kind, TOO_BIG)})
        assert error_codes(body) == ["BAD_USER_INPUT"], field
    await still_serving(api)


async def test_huge_integers_in_download_ids_are_refused(api: httpx.AsyncClient) -> None:
    for key in (TOO_BIG, 2**31):
        response = await api.get(f"/download/{global_id('Resource', key)}.csv")
        assert response.status_code == 400
        assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    await still_serving(api)


SLUG = "query($s: String!) { dataset(slug: $s) { id } }"


async def test_a_lone_surrogate_in_a_string_variable_is_bad_user_input(
    api: httpx.AsyncClient,
) -> None:
    payload = (
        b'{"query":"query($s: String!) { dataset(slug: $s) { id } }","variables":{"s":"a\\ud800"}}'
    )
    response = await post_raw(api, payload)
    assert response.status_code == 200
    body = response.json()
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "$s"
    response = await post_raw(api, b'{"query":"{ dataset(slug: \\"\\ud800\\") { id } }"}')
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    await still_serving(api)


NUL = "kasus\x00dbd"

NUL_INPUTS = [
    ("slug", SLUG, {"s": NUL}),
    (
        "agency filter",
        "query($a: String!) { datasets(filter: {agency: [$a]}) { totalCount } }",
        {"a": NUL},
    ),
    ("search", "query($q: String!) { datasets(query: $q) { totalCount } }", {"q": NUL}),
    (
        "informationRequest",
        "query($n: String!) { informationRequest(registrationNumber: $n) { status } }",
        {"n": NUL},
    ),
    (
        "signIn",
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }",
        {"e": "nul@example.id", "p": NUL},
    ),
    (
        "signUp",
        "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
        {"i": {"name": NUL, "email": "nul2@example.id", "password": "kata-sandi-panjang"}},
    ),
    (
        "rows(where:)",
        'query($w: JSON) { dataset(slug: "imunisasi-dasar") { resources { rows(where: $w) { totalCount } } } }',
        {"w": {"kecamatan": NUL}},
    ),
    ("operationName", "query Q { __typename }", {}),
]


@pytest.mark.parametrize(
    ("name", "query", "variables"), NUL_INPUTS, ids=[n for n, _, _ in NUL_INPUTS]
)
async def test_a_nul_character_in_any_string_input_is_bad_user_input(
    api: httpx.AsyncClient, name: str, query: str, variables: dict[str, Any]
) -> None:
    payload: dict[str, Any] = {"query": query, "variables": variables}
    if name == "operationName":
        payload["operationName"] = NUL
    response = await api.post("/graphql", json=payload)
    assert response.status_code == 200
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    await still_serving(api)


async def test_a_nul_in_a_string_literal_is_bad_user_input(api: httpx.AsyncClient) -> None:
    for query in (
        '{ dataset(slug: "kasus\\u0000dbd") { id } }',
        '{ datasets(filter: {agency: ["din\\u0000kes"]}) { totalCount } }',
        'mutation { signIn(email: "a@b.id", password: "x\\u0000") { token } }',
    ):
        body = await gql(api, query)
        assert error_codes(body) == ["BAD_USER_INPUT"], query
    await still_serving(api)


async def test_variable_errors_never_echo_a_password(api: httpx.AsyncClient) -> None:
    secret = "rahasia-7f3c2b9e"
    for query, variables in (
        (
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            {"i": {"name": "A", "email": "a@example.id", "password": secret, "extra": 1}},
        ),
        (
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            {"i": {"name": "A", "password": secret}},
        ),
        (
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            {"i": {"name": "A", "email": "a@example.id", "password": [secret]}},
        ),
        (
            'mutation($p: String!) { signIn(email: "a@example.id", password: $p) { token } }',
            {"p": {"value": secret}},
        ),
    ):
        response = await api.post("/graphql", json={"query": query, "variables": variables})
        assert error_codes(response.json()) == ["BAD_USER_INPUT"]
        assert secret not in response.text


FILE = """mutation($input: FileRequestInput!) { fileInformationRequest(input: $input) {
  registrationNumber } }"""


async def test_non_ascii_digits_are_not_a_nik(api: httpx.AsyncClient, services: Services) -> None:
    officer = await create_user(
        services.database,
        email="ppid-nik@dinkes.example",
        name="PPID",
        role="OFFICER",
        agency_slug="dinkes",
    )
    for nik in ("٦١٠٢٠١٥٠٠١٩٠٠٠٠١", "６１０２０１５００１９０００００１"):
        body = await gql(
            api,
            FILE,
            {
                "input": {
                    "agency": "dinkes",
                    "informationRequested": "Data kasus DBD 2025",
                    "purpose": "Penelitian",
                    "deliveryForm": "HARD_COPY",
                    "requester": {
                        "name": "Rina",
                        "identityNumber": nik,
                        "address": "Jl. Merdeka 1",
                    },
                }
            },
            officer.token,
        )
        assert error_codes(body) == ["BAD_USER_INPUT"], nik
        assert nik.strip() not in json.dumps(body, ensure_ascii=False)
