"""Where attachment bytes live, behind one small interface.

Two stores implement it, chosen by `OPENDATA_ATTACHMENT_STORE` (`Settings.attachment_store`):

- `DatabaseStore` (`database`, the default on PostgreSQL): the bytes in the `attachment_blobs`
  table of the database itself, keyed by their SHA-256 and cut into 1 MiB chunks, written in
  the uploading step's own transaction. Every server on the database reads every document,
  and a database backup (`pg_dump`, `opendata backup`) holds them.
- `LocalStore` (`folder`, the default on SQLite, where there is one server): files in the
  data folder, named by their SHA-256, written before the row commits (a rolled-back upload
  leaves an unreferenced file, never a row without its file).

The same document uploaded twice is stored once in either. An S3-compatible object store
would implement the same three methods (`put`, `read`, `exists`) with the key as object name.
Files uploaded before the switch keep working: `DatabaseStore` reads a key it does not hold
from the data folder, and `opendata attachments import` copies the folder into the database.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import Integer, LargeBinary, String, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from opendata.config import Settings
from opendata.db.base import Base
from opendata.db.engine import Database
from opendata.parts import HasDatabaseAndSettings

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")
CHUNK_BYTES = 1024 * 1024


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class AttachmentStore(Protocol):
    async def put(self, data: bytes, session: AsyncSession | None = None) -> str:
        """Store the bytes (in `session`'s transaction when the store is the database);
        their key (the SHA-256 in hex)."""
        ...

    async def read(self, key: str) -> bytes: ...

    async def exists(self, key: str) -> bool: ...


class LocalStore:
    """Files under `root/ab/cd/<sha256>`, written to a temporary name, synced, then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key[2:4] / _checked(key)

    def _write(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def put(self, data: bytes, session: AsyncSession | None = None) -> str:
        key = content_hash(data)
        await asyncio.to_thread(self._write, key, data)
        return key

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).exists)

    def stored_keys(self) -> Iterator[str]:
        """Every stored key (for copying the folder into another store)."""
        if self.root.exists():
            for path in sorted(self.root.glob("??/??/*")):
                if KEY_PATTERN.match(path.name):
                    yield path.name


class AttachmentBlob(Base):
    """One chunk of a stored document: chunk 0, 1, ... in order make its bytes."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DatabaseStore:
    """The bytes in the database every server shares; the data folder as a read fallback."""

    def __init__(self, database: Database, fallback: LocalStore | None = None) -> None:
        self.database = database
        self.fallback = fallback

    async def put(self, data: bytes, session: AsyncSession | None = None) -> str:
        """In the caller's transaction when given (the blob commits with its row), else in
        its own. Two uploads of the same bytes at once: the second inserts nothing."""
        key = content_hash(data)
        if session is not None:
            await self._insert(session, key, data)
        else:
            async with self.database.write() as own:
                await self._insert(own, key, data)
        return key

    async def _insert(self, session: AsyncSession, key: str, data: bytes) -> None:
        if await self._holds(session, key):
            return
        insert = postgresql.insert if self.database.is_postgres else sqlite.insert
        chunks = [
            {"sha256": key, "chunk": number, "data": data[start : start + CHUNK_BYTES]}
            for number, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES))
        ]
        for row in chunks:  # one statement per chunk: a 20 MB document is never one parameter
            await session.execute(insert(AttachmentBlob).values(row).on_conflict_do_nothing())

    @staticmethod
    async def _holds(session: AsyncSession, key: str) -> bool:
        found = await session.scalar(
            select(exists().where(AttachmentBlob.sha256 == key, AttachmentBlob.chunk == 0))
        )
        return bool(found)

    async def read(self, key: str) -> bytes:
        _checked(key)
        async with self.database.session() as session:
            chunks = list(
                await session.scalars(
                    select(AttachmentBlob.data)
                    .where(AttachmentBlob.sha256 == key)
                    .order_by(AttachmentBlob.chunk)
                )
            )
        if chunks:
            return b"".join(chunks)
        if self.fallback is not None:  # uploaded before the database held attachments
            return await self.fallback.read(key)
        raise FileNotFoundError(key)

    async def exists(self, key: str) -> bool:
        _checked(key)
        async with self.database.session() as session:
            if await self._holds(session, key):
                return True
        return self.fallback is not None and await self.fallback.exists(key)

    async def import_folder(self, folder: LocalStore) -> int:
        """Copy every document of a data folder into the database; how many were new."""
        added = 0
        for key in folder.stored_keys():
            async with self.database.write() as session:
                if await self._holds(session, key):
                    continue
                data = await folder.read(key)
                if content_hash(data) != key:  # a damaged file is left for a person to see
                    raise ValueError(f"{key}: the file's content does not match its name")
                await self._insert(session, key, data)
                added += 1
        return added


def local_store(data_dir: Path) -> LocalStore:
    return LocalStore(data_dir / "attachments")


def uses_database(settings: Settings) -> bool:
    """`OPENDATA_ATTACHMENT_STORE`, else the database on PostgreSQL and the folder on SQLite."""
    if settings.attachment_store is not None:
        return settings.attachment_store == "database"
    return settings.is_postgres


def attachment_store(services: HasDatabaseAndSettings) -> AttachmentStore:
    """The configured store (an S3-compatible store would plug in here)."""
    folder = local_store(services.settings.data_dir)
    if uses_database(services.settings):
        return DatabaseStore(services.database, fallback=folder)
    return folder
