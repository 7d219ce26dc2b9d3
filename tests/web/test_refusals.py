"""Bad requests get a clear error in the contract's shape, and the server keeps serving."""

from __future__ import annotations

import httpx

from tests.web.helpers import data, error_codes, gql

HEALTHY = "{ agencies(first: 1) { totalCount } }"


async def _still_serving(api: httpx.AsyncClient) -> None:
    assert data(await gql(api, HEALTHY))["agencies"]["totalCount"] == 2


def _nested(levels: int) -> str:
    query = "slug"
    for level in range(levels):
        query = (
            f"agency {{ datasets {{ edges {{ node {{ {query} }} }} }} }}" if level % 2 else query
        )
    inner = "slug"
    for _ in range(levels):
        inner = f"agency {{ datasets(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"
    return f'{{ dataset(slug: "kasus-dbd") {{ {inner} }} }}'


async def test_malformed_json_is_bad_user_input(api: httpx.AsyncClient) -> None:
    for body in (
        b"{not json",
        b'{"query": ',
        b"[1, 2]",
        b'{"query": 5}',
        b'{"query": "{ a }", "variables": []}',
    ):
        response = await api.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, body
        assert error_codes(response.json()) == ["BAD_USER_INPUT"]
        assert response.json()["errors"][0]["extensions"]["messageEn"]
    await _still_serving(api)


async def test_invalid_utf8_is_bad_user_input(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/graphql", content=b'{"query": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    await _still_serving(api)


async def test_wrong_content_type_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/graphql", content=b"query=x", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_oversized_body_is_refused_with_413(api: httpx.AsyncClient) -> None:
    padding = " " * (300 * 1024)
    response = await api.post("/graphql", json={"query": HEALTHY + padding})
    assert response.status_code == 413
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    await _still_serving(api)


async def test_twenty_level_nested_query_is_too_complex(api: httpx.AsyncClient) -> None:
    body = await gql(api, _nested(20))
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "data" not in body or body["data"] is None
    await _still_serving(api)


async def test_alias_bomb_is_too_complex(api: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"a{i}: agencies {{ totalCount }}" for i in range(200)) + " }"
    assert error_codes(await gql(api, query)) == ["QUERY_TOO_COMPLEX"]


async def test_token_flood_is_too_complex(api: httpx.AsyncClient) -> None:
    query = "{ agencies { totalCount " + "__typename " * 5000 + "} }"
    assert error_codes(await gql(api, query)) == ["QUERY_TOO_COMPLEX"]


async def test_graphql_syntax_and_unknown_fields_are_bad_user_input(api: httpx.AsyncClient) -> None:
    for query in (
        "{ agencies { ",
        "{ nope }",
        '{ datasets(first: "x") { totalCount } }',
        "{ datasets(first: 99999999999) { totalCount } }",
    ):
        body = await gql(api, query)
        assert error_codes(body) == ["BAD_USER_INPUT"], query
        assert "Traceback" not in str(body)


async def test_mutation_over_get_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_query_over_get_and_graphiql(api: httpx.AsyncClient) -> None:
    response = await api.get("/graphql", params={"query": HEALTHY})
    assert response.json()["data"]["agencies"]["totalCount"] == 2
    page = await api.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert (await api.get("/healthz")).json() == {"status": "ok"}


async def test_bad_bearer_token_is_unauthenticated(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/graphql", json={"query": HEALTHY}, headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]
    response = await api.post(
        "/graphql", json={"query": HEALTHY}, headers={"Authorization": "Basic x"}
    )
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]
