"""The database store (issue 25): attachment bytes in the database every server shares, in
chunks, committed with their row; files from the data folder still read, and imported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opendata.attachments.store import (
    CHUNK_BYTES,
    AttachmentBlob,
    DatabaseStore,
    LocalStore,
    attachment_store,
)
from opendata.services import Services


async def test_a_large_document_is_stored_in_chunks_and_read_back_whole(
    services: Services,
) -> None:
    store = DatabaseStore(services.database)
    data = os.urandom(2 * CHUNK_BYTES + 12345)
    async with services.database.write() as session:
        key = await store.put(data, session)
        assert await store.put(data, session) == key  # the same bytes again: stored once
    async with services.database.session() as session:
        chunks = await session.scalar(
            select(func.count()).select_from(AttachmentBlob).where(AttachmentBlob.sha256 == key)
        )
    assert chunks == 3
    assert await store.read(key) == data and await store.exists(key)


async def test_a_rolled_back_upload_leaves_no_bytes(services: Services) -> None:
    store = DatabaseStore(services.database)
    with pytest.raises(RuntimeError):
        async with services.database.write() as session:
            key = await store.put(b"%PDF-1.7 batal", session)
            raise RuntimeError("the step was refused")
    assert not await store.exists(key)
    with pytest.raises(FileNotFoundError):
        await store.read(key)


async def test_files_of_the_data_folder_still_read_and_are_imported(
    services: Services, tmp_path: Path
) -> None:
    folder = LocalStore(tmp_path / "old-attachments")
    key = await folder.put(b"%PDF-1.7 diunggah sebelum pindah")
    store = DatabaseStore(services.database, fallback=folder)
    assert await store.read(key) == b"%PDF-1.7 diunggah sebelum pindah"  # lazy fallback
    assert await store.import_folder(folder) == 1
    assert await store.import_folder(folder) == 0
    alone = DatabaseStore(services.database)  # the folder gone: the database holds it
    assert await alone.read(key) == b"%PDF-1.7 diunggah sebelum pindah"


async def test_a_damaged_folder_file_is_not_imported(services: Services, tmp_path: Path) -> None:
    folder = LocalStore(tmp_path / "old-attachments")
    key = await folder.put(b"asli")
    (folder.root / key[:2] / key[2:4] / key).write_bytes(b"rusak")
    with pytest.raises(ValueError, match="does not match"):
        await DatabaseStore(services.database).import_folder(folder)


def test_the_store_is_the_database_on_postgresql_and_the_folder_on_sqlite(
    services: Services,
) -> None:
    chosen = attachment_store(services)
    assert isinstance(chosen, DatabaseStore) == services.database.is_postgres
    services.settings = services.settings.with_overrides(attachment_store="database")
    assert isinstance(attachment_store(services), DatabaseStore)
    services.settings = services.settings.with_overrides(attachment_store="folder")
    assert isinstance(attachment_store(services), LocalStore)
