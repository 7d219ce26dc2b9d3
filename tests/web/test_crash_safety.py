"""SIGKILL the server in the middle of a burst of filings and answers, restart it, and check
that every acknowledged operation is there, none is half-applied, and search agrees."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.catalogue.builders import small_catalog
from tests.conftest import DatabaseFactory
from tests.web.server import ServerProcess

FILE = """mutation($agency: String!, $text: String!) { fileInformationRequest(input: {
  agency: $agency, informationRequested: $text, purpose: "Liputan berita",
  deliveryForm: SOFT_COPY, requester: { name: "Warga", address: "Jl. Uji 1" } }) { id registrationNumber status } }"""
ANSWER = """mutation($id: ID!) { answerInformationRequest(input: { id: $id, decision: GRANTED,
  answer: "Terlampir." }) { id status decision } }"""
READ = """query($n: String!) { informationRequest(registrationNumber: $n) {
  id status decision timeline { status } } }"""
REGISTER = """query($after: String) { informationRequests(first: 100, after: $after) {
  totalCount edges { node { registrationNumber status decision timeline { status } } }
  pageInfo { hasNextPage endCursor } } }"""


async def _post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str
) -> dict[str, Any] | None:
    """The operation's data if the server acknowledged it, else None (refused or cut off)."""
    try:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    body = response.json()
    return None if body.get("errors") else body["data"]


async def _signup(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/graphql",
        json={
            "query": """mutation { signUp(input: {
        name: "Jurnalis Uji", email: "jurnalis@example.org", password: "kata-sandi-panjang-123" }) { token } }"""
        },
    )
    return str(response.json()["data"]["signUp"]["token"])


async def _burst(
    server: ServerProcess, requester: str, officer: str, kill_after: int
) -> tuple[list[str], list[str]]:
    """Filings and answers from 8 clients; SIGKILL once `kill_after` filings were acknowledged."""
    filed: list[tuple[str, str]] = []
    answered: list[str] = []
    killed = asyncio.Event()

    async def client_loop(worker: int) -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            for index in range(40):
                if killed.is_set():
                    return
                data = await _post(
                    client, FILE, {"agency": "dinkes", "text": f"Data {worker}-{index}"}, requester
                )
                if data is None:
                    continue
                request = data["fileInformationRequest"]
                filed.append((request["id"], request["registrationNumber"]))
                if len(filed) >= kill_after and not killed.is_set():
                    killed.set()
                    server.kill()
                    return
                if index % 2 == 0:
                    answer = await _post(client, ANSWER, {"id": request["id"]}, officer)
                    if answer is not None:
                        answered.append(request["registrationNumber"])

    await asyncio.gather(*(client_loop(worker) for worker in range(8)))
    assert killed.is_set(), "the burst ended before the kill"
    return [number for _, number in filed], answered


async def _register(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        body = (
            await client.post("/graphql", json={"query": REGISTER, "variables": {"after": after}})
        ).json()
        page = body["data"]["informationRequests"]
        rows += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return rows
        after = page["pageInfo"]["endCursor"]


@pytest.mark.slow
async def test_acknowledged_operations_survive_sigkill(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    url = await database_factory.url(dialect)
    server = ServerProcess(tmp_path / "data", database_url=url if dialect == "postgres" else "")
    server.run("catalog", "load", str(small_catalog(tmp_path / "catalog")))
    officer = (
        server.run(
            "users",
            "add",
            "--email",
            "ppid@dinkes.example",
            "--name",
            "PPID Dinkes",
            "--role",
            "OFFICER",
            "--agency",
            "dinkes",
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            requester = await _signup(client)
        filed, answered = await _burst(server, requester, officer, kill_after=25)
        server.start()
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            for number in filed:
                body = (
                    await client.post("/graphql", json={"query": READ, "variables": {"n": number}})
                ).json()
                assert body["data"]["informationRequest"] is not None, number
            register = await _register(client)
            by_number = {row["registrationNumber"]: row for row in register}
            for number in answered:
                assert by_number[number]["status"] == "ANSWERED"
                assert by_number[number]["decision"] == "GRANTED"
            for row in register:  # nothing half-applied: status, decision and timeline agree
                assert row["timeline"][-1]["status"] == row["status"], row
                assert (row["decision"] is not None) == (row["status"] == "ANSWERED"), row
            sequence = sorted(int(re.sub(r".*/", "", number)) for number in by_number)
            assert sequence == list(range(1, len(sequence) + 1)), "gaps or duplicates"
            found = (
                await client.post(
                    "/graphql",
                    json={"query": '{ datasets(query: "sintetis", first: 50) { totalCount } }'},
                )
            ).json()
            listed = (
                await client.post(
                    "/graphql", json={"query": "{ datasets(first: 50) { totalCount } }"}
                )
            ).json()
            assert (
                found["data"]["datasets"]["totalCount"]
                == listed["data"]["datasets"]["totalCount"]
                == 3
            )
    finally:
        server.stop()
