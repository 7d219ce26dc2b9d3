"""Issue 21, findings 8, 9 and the Low list: one input rule for every door, on both databases.

Each test here failed on the base commit (809e75d): a 500 (or an exception out of the app),
another row than the one named, or a message saying an address is registered.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from opendata.app import create_app
from opendata.db.base import utcnow
from opendata.information_requests.models import RequestEvent
from opendata.services import Services
from opendata.urls import numbered, path
from tests.attachments.test_access import CSV, Scene, upload
from tests.attachments.test_access import scene as scene  # the fixture
from tests.conftest import asgi_client
from tests.information_requests.builders import refuse
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import csrf_of, portal_as


def test_numbers_are_ascii_digits_within_32_bits() -> None:
    from opendata.inputs import is_number, parse_int

    assert [is_number(t) for t in ("1", "0042", "2147483647")] == [True] * 3
    for text in ("²", "١", "١٢", " 1", "1_0", "+1", "-1", "", "2147483648", "99999999999"):
        assert not is_number(text), text
    assert parse_int("-5", "days", minimum=-10) == -5


async def test_a_unicode_digit_does_not_name_attachment_1(scene: Scene) -> None:
    published = await upload(
        scene, "officer", [("rekap.csv", CSV)], stage="FULFILMENT", public=True
    )
    url = httpx.URL(published.json()["data"]["addRequestAttachments"][0]["url"]).path
    number = url.rsplit("/", 1)[1]
    assert (await scene.client.get(url)).status_code == 200
    arabic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for raw in (arabic, "²", "99999999999", "2147483648"):
        refused = await scene.client.get(f"/lampiran/{raw}")
        assert refused.status_code == 404, raw
        assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_malformed_multipart_map_is_a_400(scene: Scene) -> None:
    for bad in ("variables.input.files.x", "variables.input.files.١", "variables.input.files.9"):
        refused = await upload(scene, "officer", [("a.csv", CSV)], mapping={"0": [bad]})
        assert refused.status_code in (200, 400), bad  # the GraphQL door's refusal
        assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # a stranger's malformed map: the token is checked first (issue 21, finding 4), so it is
    # refused as unauthenticated before the map is read, never a 500
    scene.tokens["stranger"] = "not-a-token"
    refused = await upload(
        scene, "stranger", [("a.csv", CSV)], mapping={"0": ["variables.input.files.x.y"]}
    )
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(create_app(services)) as client:
        yield client


async def test_working_days_near_the_calendars_bounds_are_a_400(
    client: httpx.AsyncClient,
) -> None:
    for start, days in (("9999-12-30", 5), ("0001-01-02", -5)):
        answer = await client.post(
            "/graphql",
            json={"query": f'{{ addWorkingDays(start: "{start}", days: {days}) }}'},
        )
        assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", start
        page = await client.get("/tenggat", params={"start": start, "days": str(days)})
        assert page.status_code == 400, start
    for days in ("²", "١", "99999999999999999999"):
        assert (await client.get("/tenggat", params={"days": days})).status_code == 400


async def test_sign_up_does_not_say_an_address_is_registered(client: httpx.AsyncClient) -> None:
    mutation = """mutation($e: String!) { signUp(input: {name: "Ani", email: $e,
      password: "rahasia-ani-1"}) { token } }"""
    first = await client.post("/graphql", json={"query": mutation, "variables": {"e": "a@b.id"}})
    assert first.json()["data"]["signUp"]["token"]
    again = await client.post("/graphql", json={"query": mutation, "variables": {"e": "a@b.id"}})
    error = again.json()["errors"][0]
    for said in (error["message"], error["extensions"]["messageEn"]):
        assert "terdaftar" not in said and "registered" not in said


async def test_a_control_character_in_an_objection_is_refused_and_never_breaks_the_feed(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    await refuse(desk, record.request.id, utcnow())
    number = record.request.registration_number
    page_path = f"/permohonan/{number}"
    feed_path = path("feed_request", **numbered(number))
    async with await portal_as(services, desk.requester) as requester:
        token = csrf_of((await requester.get(page_path)).text)
        filed = await requester.post(
            page_path,
            data={
                "csrf_token": token,
                "action": "object",
                "grounds": "REFUSED_UNDER_EXEMPTION",
                "reason": "Data agregat\x07 tidak memuat data pribadi.",
            },
        )
        assert filed.status_code == 400
        assert (await requester.get(feed_path)).status_code == 200
    # a note stored before the rule (or by another door) still gives a well-formed feed
    async with services.database.write() as session:
        session.add(
            RequestEvent(
                request_id=record.request.id,
                action="OBJECT",
                status="OBJECTION_FILED",
                at=utcnow() + timedelta(seconds=1),
                note="bel\x07\x1b[31m",
            )
        )
    async with await portal_as(services) as anyone:
        feed = await anyone.get(feed_path)
    assert feed.status_code == 200 and "bel\ufffd\ufffd[31m" in feed.text


async def test_ckan_parameters_follow_the_rule(client: httpx.AsyncClient) -> None:
    for params in ({"limit": "١"}, {"limit": "²"}, {"q": "a\x00b"}, {"q": "a\x07b"}):
        answer = await client.get("/api/3/action/package_search", params=params)
        assert answer.status_code == 409, params
        assert answer.json()["error"]["__type"] == "Validation Error"
    body = {"resource_id": "x", "filters": {"kecamatan": "a\x00"}}
    answer = await client.post("/api/3/action/datastore_search", json=body)
    assert answer.status_code == 409 and json.dumps(answer.json())
