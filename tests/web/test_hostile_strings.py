"""SQL-looking and script-looking strings in every text argument are stored and returned as
plain text, and never change what a query does."""

from __future__ import annotations

import httpx
import pytest

from opendata.accounts.service import create_user
from opendata.services import Services
from tests.web.helpers import data, error_codes, gql

HOSTILE = [
    "'; DROP TABLE information_requests; --",
    '" OR 1=1 --',
    "<script>alert('xss')</script>",
    "Robert'); DELETE FROM datasets WHERE ('1'='1",
    "%' UNION SELECT password_hash FROM users --",
    "\\u0000\\x00 nul",
    "😀 émoji ünïcode",
]

FILE = """mutation($text: String!, $purpose: String!, $name: String!, $address: String!) {
  fileInformationRequest(input: { agency: "dinkes", informationRequested: $text, purpose: $purpose,
    deliveryForm: HARD_COPY, requester: { name: $name, address: $address } }) {
    registrationNumber informationRequested purpose requester { name address } } }"""


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_is_stored_and_returned_verbatim(
    api: httpx.AsyncClient, services: Services, text: str
) -> None:
    officer = await create_user(
        services.database,
        email=f"ppid{abs(hash(text))}@dinkes.example",
        name="PPID",
        role="OFFICER",
        agency_slug="dinkes",
    )
    filed = data(
        await gql(
            api, FILE, {"text": text, "purpose": text, "name": text, "address": text}, officer.token
        )
    )["fileInformationRequest"]
    assert filed["informationRequested"] == text and filed["purpose"] == text
    assert filed["requester"] == {"name": text, "address": text}
    read = data(
        await gql(
            api,
            "query($n: String!) { informationRequest(registrationNumber: $n) { informationRequested } }",
            {"n": filed["registrationNumber"]},
        )
    )
    assert read["informationRequest"]["informationRequested"] == text
    still = data(await gql(api, "{ datasets { totalCount } agencies { totalCount } }"))
    assert still == {"datasets": {"totalCount": 3}, "agencies": {"totalCount": 2}}


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_text_in_lookups_and_search_is_only_text(
    api: httpx.AsyncClient, text: str
) -> None:
    body = await gql(api, "query($s: String!) { dataset(slug: $s) { slug } }", {"s": text})
    assert error_codes(body) == ["NOT_FOUND"]
    body = await gql(api, "query($s: String!) { agency(slug: $s) { slug } }", {"s": text})
    assert error_codes(body) == ["NOT_FOUND"]
    search = await gql(
        api,
        "query($q: String!) { datasets(query: $q) { totalCount edges { highlight } } }",
        {"q": text},
    )
    assert "errors" not in search
    for edge in search["data"]["datasets"]["edges"]:
        assert "<script>" not in (edge["highlight"] or "")
    rows = await gql(
        api,
        'query($w: JSON) { dataset(slug: "kasus-dbd") { resources { rows(where: $w) { totalCount } } } }',
        {"w": {"kecamatan": text}},
    )
    assert data(rows)["dataset"]["resources"][0]["rows"]["totalCount"] == 0
