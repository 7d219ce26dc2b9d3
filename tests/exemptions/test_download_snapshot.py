"""A download is one snapshot: an exemption (and any write) committed while a file streams
changes nothing in that file; no value read after the commit is sent (issue 21, finding 12)."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa

from opendata.app import create_app
from opendata.catalogue.tables import column_name
from opendata.db.models import Dataset, Resource
from tests.exemptions.conftest import World
from tests.exemptions.helpers import add, first_resource
from tests.web.helpers import data


async def stream_with_pause(app: Any, path: str, after_first_chunk: Any) -> tuple[int, bytes]:
    """GET `path` straight through ASGI, running `after_first_chunk` once the first chunk
    (the CSV header) is sent and before any more is read."""
    status = 0
    chunks: list[bytes] = []
    asked = False
    never = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await never.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if len(chunks) == 1:
                await after_first_chunk()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    await app(scope, receive, send)
    return status, b"".join(chunks)


async def test_a_download_is_the_state_at_its_start(world: World) -> None:
    resource = await first_resource(world.client, "imunisasi-dasar")
    assert resource["downloadUrl"]

    async def exempt_and_rewrite() -> None:
        # an exemption on `kasus`, and a value written after it: neither may reach this file
        data(
            await add(
                world.client,
                world.tokens.officer,
                dataset="imunisasi-dasar",
                scope="FIELD",
                field="kasus",
            )
        )
        async with world.services.database.write() as session:
            row_table = await session.scalar(
                sa.select(Resource.row_table)
                .join(Dataset, Dataset.id == Resource.dataset_id)
                .where(Dataset.slug == "imunisasi-dasar")
            )
            await session.execute(
                sa.text(f'UPDATE "{row_table}" SET {column_name(0)} = :v'), {"v": "DITULIS-SETELAH"}
            )

    status, body = await stream_with_pause(
        create_app(world.services), resource["downloadUrl"], exempt_and_rewrite
    )
    assert status == 200
    text = body.decode()
    assert "DITULIS-SETELAH" not in text  # nothing read after the commit
    lines = text.splitlines()
    assert lines[0] == "kecamatan,tahun,kasus,nik,status"
    assert lines[1].startswith("Sungai Kakap,2023,12,")  # the file as it was at its start
    # the next download applies the exemption
    after = await world.client.get(resource["downloadUrl"])
    # the withheld field is left out, its column too
    assert after.text.splitlines()[0] == "kecamatan,tahun,nik,status"
    assert "DITULIS-SETELAH" in after.text
    assert ",12," not in after.text
