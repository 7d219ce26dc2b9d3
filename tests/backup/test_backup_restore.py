"""`opendata backup` and `opendata restore` on both databases (issue 25): a backup taken
while requests are being filed restores every request committed before it began, with no
hole; an older backup restored beside a newer search index never lets search (or any other
door) show what the restored database withholds."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from opendata.app import create_app
from opendata.attachments.models import AttachmentStage
from opendata.attachments.service import UploadedFile, add_attachments
from opendata.attachments.store import DatabaseStore, LocalStore, attachment_store, content_hash
from opendata.backup import backup, restore
from opendata.catalogue.changes import record_catalogue_change
from opendata.db.base import utcnow
from opendata.db.models import Exemption, Resource
from opendata.information_requests.models import InformationRequest
from opendata.public_ids import to_global_id
from opendata.regency_time import regency_now
from opendata.search import SearchQuery
from opendata.services import Services, open_services
from tests.conftest import DatabaseFactory, asgi_client, make_services
from tests.information_requests.helpers import make_desk, online
from tests.search.catalogue import NIK, add_exemption, dataset_id, insert_catalogue
from tests.web.server import ServerProcess

pytestmark = pytest.mark.slow

PDF = b"%PDF-1.7\n% jawaban\n%%EOF\n"
SOCIAL = "penerima-bantuan-sosial"


async def _numbers(services: Services) -> list[str]:
    async with services.database.session() as session:
        found = await session.scalars(
            select(InformationRequest.registration_number).order_by(InformationRequest.id)
        )
        return list(found)


async def test_a_backup_under_write_load_restores_every_committed_request(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    services = await make_services(database_factory, dialect, tmp_path / "data")
    desk = await make_desk(services)
    first = await online(desk, regency_now())
    async with services.database.write() as session:
        request = await session.get(InformationRequest, first.request.id)
        assert request is not None
        store = attachment_store(services)
        await add_attachments(
            session,
            store,
            desk.officer,
            request,
            [UploadedFile("jawaban.pdf", PDF)],
            stage=AttachmentStage.NOTICE,
        )
    committed: list[tuple[float, str]] = []
    writing = True

    async def file_requests() -> None:
        while writing:
            record = await online(desk, regency_now())
            committed.append((time.monotonic(), record.request.registration_number))

    writer = asyncio.create_task(file_requests())
    while len(committed) < 5:
        await asyncio.sleep(0.05)
    began = time.monotonic()
    await backup(services.settings, tmp_path / "backup.tar.gz")
    while len([1 for at, _ in committed if at > began]) < 5:  # and the servers wrote on
        await asyncio.sleep(0.05)
    writing = False
    await writer
    before_backup = [number for at, number in committed if at < began]
    everything = await _numbers(services)
    await services.close()
    shutil.rmtree(tmp_path / "data" / "attachments", ignore_errors=True)  # a new machine

    summary = await restore(services.settings, tmp_path / "backup.tar.gz")
    restored_services = await open_services(services.settings)
    try:
        restored = await _numbers(restored_services)
        # every request committed before the backup began, and then a prefix: no hole
        assert set(before_backup) <= set(restored)
        assert restored == everything[: len(restored)]
        assert len(restored) < len(everything)  # what came after the backup is not there
        # the attachment comes back with the database it belongs to
        assert await attachment_store(restored_services).read(content_hash(PDF)) == PDF
    finally:
        await restored_services.close()
    assert summary.database == ("postgresql" if dialect == "postgres" else "sqlite")


async def _doors(services: Services, text: str) -> dict[str, bool]:
    """Whether each door shows `text`: search (the engine, GraphQL, the page), the dataset
    page, the CSV download."""
    async with services.database.session() as session:
        social = await dataset_id(services, SOCIAL)
        resource = await session.scalar(select(Resource.id).where(Resource.dataset_id == social))
    found = await services.search.search(SearchQuery(text=text, limit=50))
    query = {
        "query": "query($q: String) { datasets(query: $q, first: 10) { edges { node { slug } } } }",
        "variables": {"q": text},
    }
    async with asgi_client(create_app(services)) as client:
        graphql = (await client.post("/graphql", json=query)).json()
        page = (await client.get("/cari", params={"q": text})).text
        dataset = (await client.get(f"/dataset/{SOCIAL}")).text
        download = await client.get(f"/download/{to_global_id('Resource', int(resource or 0))}.csv")
    return {
        "search": any(hit.slug == SOCIAL for hit in found.hits),
        "graphql": SOCIAL in str(graphql["data"]["datasets"]),
        "search page": f"/dataset/{SOCIAL}" in page,
        "dataset page": text in dataset,
        "download": text in download.text,
    }


@pytest.mark.parametrize(
    ("dialect", "backend"), [("sqlite", "whoosh"), ("postgres", "postgres"), ("postgres", "whoosh")]
)
async def test_an_older_backup_restored_beside_a_newer_index_shows_nothing_it_withholds(
    database_factory: DatabaseFactory, dialect: str, backend: str, tmp_path: Path
) -> None:
    services = await make_services(
        database_factory, dialect, tmp_path / "data", search_backend=backend
    )
    await insert_catalogue(services)  # the NIK column of the social-aid list is withheld
    assert not any((await _doors(services, NIK)).values())
    await backup(services.settings, tmp_path / "older.tar")

    # after the backup: the NIK exemption is revoked and the village column withheld instead
    social = await dataset_id(services, SOCIAL)
    async with services.database.write() as session:
        await session.execute(
            update(Exemption)
            .where(Exemption.dataset_id == social, Exemption.field == "nik")
            .values(revoked_at=utcnow(), revoked_by="test", revoke_reason="dibuka")
        )
        await add_exemption(session, social, "FIELD", "desa")
        await record_catalogue_change(services, session, [social])
    assert (await _doors(services, NIK))["search"]  # the index now holds the NIK
    assert not (await _doors(services, "Punggur"))["search"]
    await services.close()

    await restore(services.settings, tmp_path / "older.tar")  # the data folder keeps its index
    restored = await open_services(services.settings)
    try:
        assert await _doors(restored, NIK) == dict.fromkeys(await _doors(restored, NIK), False)
        # search agrees with the restored database: the village is public again
        assert (await _doors(restored, "Punggur"))["search"]
        assert await restored.search.check_and_repair() is False
    finally:
        await restored.close()


async def test_the_commands_back_up_restore_and_import_attachments(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    services = await make_services(database_factory, dialect, tmp_path / "data")
    desk = await make_desk(services)
    number = (await online(desk, regency_now())).request.registration_number
    old = await LocalStore(tmp_path / "data" / "attachments").put(b"%PDF-1.7 lama")
    await services.close()
    cli = ServerProcess(tmp_path / "data", database_url=services.settings.resolved_database_url)
    made = cli.run("backup", str(tmp_path / "all.tar.gz")).stdout
    assert "attachment files" in made and (tmp_path / "all.tar.gz").exists()
    refused = subprocess.run(
        cli.command("restore", str(tmp_path / "none.tar")), capture_output=True, text=True
    )
    assert refused.returncode == 1 and "restore refused: no backup file" in refused.stdout
    restored = cli.run("restore", str(tmp_path / "all.tar.gz")).stdout
    assert "search index rebuilt and checked" in restored
    imported = subprocess.run(cli.command("attachments", "import"), capture_output=True, text=True)
    reopened = await open_services(services.settings)
    try:
        assert number in await _numbers(reopened)
        if dialect == "postgres":  # the folder's document is now in the database
            assert imported.stdout.startswith("1 attachment files copied")
            assert await DatabaseStore(reopened.database).read(old) == b"%PDF-1.7 lama"
        else:
            assert imported.returncode == 1  # SQLite keeps the folder store
    finally:
        await reopened.close()
