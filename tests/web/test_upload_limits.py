"""Issue 21 #4: an upload with a bad token is refused before its body is read, and a body
past the upload bound is refused as it arrives, never held whole in memory."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx

from opendata.accounts.service import sign_up
from opendata.attachments.rules import MAX_UPLOAD_BYTES
from opendata.services import Services

BOUNDARY = "batas-unggahan"
CHUNK = 1 << 20


class CountedBody:
    """A multipart body of about `size` bytes, counting how much the server pulled."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    async def chunks(self) -> AsyncIterator[bytes]:
        operations = json.dumps({"query": "{ __typename }", "variables": {"f": None}})
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
            f"{operations}\r\n--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.f"]}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        yield head
        self.sent += len(head)
        while self.sent < self.size:
            yield b"0" * CHUNK
            self.sent += CHUNK
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def _post(api: httpx.AsyncClient, body: CountedBody, token: str) -> httpx.Response:
    return await api.post(
        "/graphql",
        content=body.chunks(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Authorization": f"Bearer {token}",
        },
    )


async def test_an_upload_with_a_bad_token_is_refused_before_its_body_is_read(
    api: httpx.AsyncClient,
) -> None:
    body = CountedBody(40 * CHUNK)
    response = await _post(api, body, "bukan-token-yang-sah")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body.sent < 4 * CHUNK  # not the 40 MB it offered


async def test_an_upload_past_the_bound_is_refused_as_it_arrives(
    api: httpx.AsyncClient, services: Services
) -> None:
    signed_up = await sign_up(
        services.database, name="Rina", email="rina@example.org", password="kata-sandi-benar"
    )
    body = CountedBody(MAX_UPLOAD_BYTES + 8 * CHUNK)
    response = await _post(api, body, signed_up.token)
    assert response.status_code == 413
    assert body.sent <= MAX_UPLOAD_BYTES + 2 * CHUNK
