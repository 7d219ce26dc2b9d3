"""Two real `opendata serve` processes on one PostgreSQL database share what a regency's
round robin needs them to share (issue 25): attachments, the working calendar, and every
client's rate limit at every door; proxy trust is explicit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from opendata.accounts.tokens import issue_token
from opendata.db.models import Resource
from opendata.information_requests.records import RequestRecord
from opendata.public_ids import to_global_id
from opendata.regency_time import regency_now, regency_today
from opendata.services import Services
from tests.information_requests.helpers import make_desk, online
from tests.search.catalogue import insert_catalogue
from tests.web.server import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.parametrize("dialect", ["postgres"])]

PDF = b"%PDF-1.7\n% surat pemberitahuan, dibagi antar server\n%%EOF\n"
UPLOAD = """mutation($input: AddAttachmentsInput!) { addRequestAttachments(input: $input) {
  id url } }"""
DUE = """query($n: String!) { informationRequest(registrationNumber: $n) {
  dueOn workingDaysLeft } }"""


def _servers(services: Services, tmp_path: Path, count: int, **env: str) -> list[ServerProcess]:
    started = []
    for number in range(count):
        data_dir = tmp_path / f"server-{number}"
        data_dir.mkdir()
        server = ServerProcess(
            data_dir, database_url=services.settings.resolved_database_url, **env
        )
        server.start()
        started.append(server)
    return started


@pytest.fixture
def stop_later() -> Iterator[list[ServerProcess]]:
    servers: list[ServerProcess] = []
    yield servers
    for server in servers:
        server.stop()


async def _filed_and_served(
    services: Services, tmp_path: Path, stop_later: list[ServerProcess], who: str
) -> tuple[RequestRecord, str, ServerProcess, ServerProcess]:
    """A request filed today, a token of `who` on its desk, and two servers started."""
    desk = await make_desk(services)
    record = await online(desk, regency_now())
    async with services.database.write() as session:
        token = await issue_token(session, getattr(desk, who).user_id)
    first, second = _servers(services, tmp_path, 2)
    stop_later += [first, second]
    return record, token, first, second


async def test_an_attachment_uploaded_through_one_server_downloads_through_the_other(
    services: Services, tmp_path: Path, stop_later: list[ServerProcess]
) -> None:
    record, officer, first, second = await _filed_and_served(
        services, tmp_path, stop_later, "officer"
    )
    operations = {
        "query": UPLOAD,
        "variables": {
            "input": {
                "request": to_global_id("InformationRequest", record.request.id),
                "stage": "NOTICE",
                "files": [None],
                "public": False,
            }
        },
    }
    auth = {"Authorization": f"Bearer {officer}"}
    uploaded = httpx.post(
        f"{first.url}/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.files.0"]}),
        },
        files={"0": ("Surat Pemberitahuan.pdf", PDF, "application/octet-stream")},
        headers=auth,
        timeout=30,
    )
    (added,) = uploaded.json()["data"]["addRequestAttachments"]
    path = httpx.URL(added["url"]).path
    # neither server's data folder holds it: the database does
    assert not list((tmp_path / "server-0").glob("attachments/**/*.*"))
    for server in (second, first):
        downloaded = httpx.get(server.url + path, headers=auth, timeout=30)
        assert downloaded.status_code == 200, downloaded.text
        assert downloaded.content == PDF
    # still private: anonymous gets the same 404 as a missing id, on either server
    assert httpx.get(second.url + path, timeout=30).status_code == 404


async def test_a_holiday_added_by_the_cli_moves_a_running_deadline_identically_on_both(
    services: Services, tmp_path: Path, stop_later: list[ServerProcess]
) -> None:
    record, requester, first, second = await _filed_and_served(
        services, tmp_path, stop_later, "requester"
    )

    def due_on_both() -> list[dict[str, object]]:
        body = {"query": DUE, "variables": {"n": record.request.registration_number}}
        auth = {"Authorization": f"Bearer {requester}"}
        return [
            httpx.post(f"{server.url}/graphql", json=body, headers=auth, timeout=30).json()["data"][
                "informationRequest"
            ]
            for server in (first, second)
        ]

    before = due_on_both()
    assert before[0] == before[1]
    due = before[0]["dueOn"]
    assert isinstance(due, str)
    # a working day between today and the deadline becomes a regional holiday
    holiday = services.calendar.add_working_days(regency_today(), 1)
    assert holiday.isoformat() < due
    first.run("calendar", "add", holiday.isoformat(), "Hari Jadi Kabupaten Kubu Raya")
    after = due_on_both()
    assert after[0] == after[1]
    moved = after[0]["dueOn"]
    assert isinstance(moved, str) and moved > due
    # the deadline moved past the holiday: as many working days are left as before
    assert after[0]["workingDaysLeft"] == before[0]["workingDaysLeft"]


async def test_a_client_limited_on_one_server_is_limited_on_the_other_at_every_door(
    services: Services, tmp_path: Path, stop_later: list[ServerProcess]
) -> None:
    await insert_catalogue(services)
    async with services.database.session() as session:
        resource_id = await session.scalar(select(Resource.id).order_by(Resource.id).limit(1))
    download = f"/download/{to_global_id('Resource', int(resource_id or 0))}.csv"
    limits = {
        "OPENDATA_RATE_LIMITS": "on",
        "OPENDATA_RATE_ANONYMOUS": "0.01",
        "OPENDATA_BURST_ANONYMOUS": "3",
        "OPENDATA_FORWARDED_ALLOW_IPS": "127.0.0.1",  # the test is the proxy
    }
    first, second = _servers(services, tmp_path, 2, **limits)
    stop_later += [first, second]

    def status(server: ServerProcess, client: str, path: str) -> int:
        headers = {"X-Forwarded-For": client}
        if path == "/graphql":
            query = {"query": "{ agencies(first: 1) { totalCount } }"}
            return httpx.post(
                server.url + path, json=query, headers=headers, timeout=30
            ).status_code
        return httpx.get(server.url + path, headers=headers, timeout=30).status_code

    doors = {
        "/": 200,
        "/cari?q=kesehatan": 200,
        download: 200,
        "/graphql": 200,
        "/api/3/action/status_show": 200,
        "/lampiran/1": 404,  # no such attachment: answered, and counted
        "/masuk": 200,  # the sign-in page
    }
    for number, (path, answer) in enumerate(doors.items()):
        client = f"198.51.100.{number + 1}"
        assert [status(first, client, path) for _ in range(3)] == [answer] * 3, path
        assert status(second, client, path) == 429, path  # the other server knows
        assert status(second, f"203.0.113.{number + 1}", path) == answer, path  # others do not wait


async def test_a_forged_forwarded_address_is_ignored_unless_the_proxy_is_trusted(
    services: Services, tmp_path: Path, stop_later: list[ServerProcess]
) -> None:
    limits = {
        "OPENDATA_RATE_LIMITS": "on",
        "OPENDATA_RATE_ANONYMOUS": "0.01",
        "OPENDATA_BURST_ANONYMOUS": "2",
        "OPENDATA_FORWARDED_ALLOW_IPS": "",  # nobody's X-Forwarded-For is believed
    }
    (server,) = _servers(services, tmp_path, 1, **limits)
    stop_later.append(server)
    answers = [
        httpx.get(
            server.url + "/", headers={"X-Forwarded-For": f"192.0.2.{n}"}, timeout=30
        ).status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 429, 429]  # a new forged address each time buys nothing
