"""Where attachment bytes live, behind one small interface.

`LocalStore` keeps files in the data folder, named by their SHA-256 (the same document
uploaded twice is stored once); an S3-compatible store implements the same three methods.
Blobs are written before the row commits: a rolled-back upload leaves an unreferenced blob,
never a row without its file.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AttachmentStore(Protocol):
    async def put(self, data: bytes) -> str:
        """Store the bytes; their key (the SHA-256 in hex)."""
        ...

    async def read(self, key: str) -> bytes: ...

    async def exists(self, key: str) -> bool: ...


class LocalStore:
    """Files under `root/ab/cd/<sha256>`, written to a temporary name, synced, then renamed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key[:2] / key[2:4] / key

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

    async def put(self, data: bytes) -> str:
        key = content_hash(data)
        await asyncio.to_thread(self._write, key, data)
        return key

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).exists)


def local_store(data_dir: Path) -> LocalStore:
    return LocalStore(data_dir / "attachments")


def attachment_store(data_dir: Path) -> AttachmentStore:
    """The configured store: the data folder today (an S3-compatible store plugs in here)."""
    return local_store(data_dir)
