"""An app pushes rows into one resource of a dataset it may write: appended or replacing.

Everything is one transaction: the rows, the resource's row count, the catalogue change and
the receipt under the app's Idempotency-Key. A reader sees the resource before or after the
push, never half of it, and a field withheld by an exemption is masked by the policy when it
is read, so a pushed value in it is never visible, not even while the push runs.

Idempotency: the receipt is unique per (app, key) and stored with the answer. A retry (any
server, after a restart) gets the stored answer and writes nothing; two identical pushes at
once queue on the resource's row lock (PostgreSQL) or the write lock (SQLite) and the second
finds the first's receipt; pushes to different resources with one key collide on the unique
receipt and the loser answers from the winner's. A key reused for a different push is refused.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.apps.models import PushReceipt
from opendata.apps.registry import AppGrant
from opendata.apps.rows import RowProblem, read_rows, refused
from opendata.catalogue.changes import record_catalogue_change
from opendata.catalogue.row_load import BATCH_ROWS
from opendata.catalogue.tables import (
    ROW_ID,
    create_indexes,
    create_table,
    drop_tables,
    insert_rows,
    new_cursor_key,
    new_table_name,
    row_table,
)
from opendata.db.models import Dataset, Resource
from opendata.errors import BadUserInput, Forbidden, not_found
from opendata.parts import HasIndex
from opendata.publishing.models import DatasetVersion, VersionState
from opendata.visibility.fields import FieldDef

MAX_KEY_LENGTH = 200


class PushMode(StrEnum):
    APPEND = "append"
    REPLACE = "replace"


class KeyReused(BadUserInput, code="IDEMPOTENCY_KEY_REUSED", http_status=422):
    """The Idempotency-Key was already used by this app for a different push."""


@dataclass(frozen=True)
class Push:
    dataset: str
    resource: str
    mode: PushMode
    key: str
    body: bytes
    body_format: str  # "json" | "csv" (rows.FORMATS)

    @property
    def digest(self) -> str:
        """Tells a retry of this push from a different one under the same key."""
        digest = hashlib.sha256()
        for part in (self.dataset, self.resource, self.mode.value, self.body_format):
            digest.update(part.encode() + b"\0")
        digest.update(self.body)
        return digest.hexdigest()


@dataclass(frozen=True)
class PushAnswer:
    rows: int
    version: int

    def as_json(self) -> dict[str, int]:
        return {"rows": self.rows, "version": self.version}


def check_key(key: str | None) -> str:
    if key is None or not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise BadUserInput(
            f"Header Idempotency-Key wajib ada (teks tercetak, paling panjang {MAX_KEY_LENGTH}).",
            f"The Idempotency-Key header is required (printable, at most {MAX_KEY_LENGTH}).",
            field="Idempotency-Key",
        )
    return key.strip()


async def push_rows(parts: HasIndex, grant: AppGrant, push: Push) -> PushAnswer:
    """Write the pushed rows (see the module docstring); the answer, stored or new."""
    digest = push.digest
    async with parts.database.session() as session:
        fields = await _writable_fields(session, grant, push)
        stored = await _receipt(session, grant, push.key, digest)
    if stored is not None:
        return stored
    rows = await asyncio.to_thread(read_rows, push.body, push.body_format, fields)
    replaced: list[str] = []
    try:
        async with parts.database.write() as session:
            answer = await _write(parts, session, grant, push, digest, rows, replaced)
    except IntegrityError:  # the same key won by a concurrent push to another resource
        async with parts.database.session() as session:
            stored = await _receipt(session, grant, push.key, digest)
        if stored is None:
            raise
        return stored
    if replaced:  # after the swap is committed: readers have moved to the new table
        async with parts.database.write() as session:
            await drop_tables(session, replaced)
    return answer


async def _writable_fields(
    session: AsyncSession, grant: AppGrant, push: Push
) -> tuple[FieldDef, ...]:
    """The resource's schema, once the app is known to write this dataset (403 otherwise)."""
    found = (
        await session.execute(
            select(Dataset.agency_id, Resource.fields)
            .join(Resource, Resource.dataset_id == Dataset.id)
            .where(
                Dataset.slug == push.dataset,
                Dataset.removed_at.is_(None),
                Resource.name == push.resource,
            )
        )
    ).one_or_none()
    if push.dataset not in grant.datasets or (found is not None and found[0] != grant.agency_id):
        raise Forbidden(
            f"Token aplikasi ini tidak boleh menulis dataset '{push.dataset}'.",
            f"This app token may not write the dataset '{push.dataset}'.",
            field="dataset",
        )
    if found is None:
        raise not_found("Sumber data", "Resource", f"{push.dataset}/{push.resource}")
    fields = tuple(FieldDef.from_json(raw) for raw in found[1])
    if not fields:
        raise BadUserInput(
            "Sumber data ini tidak bertabel; tidak ada baris yang bisa dikirim.",
            "This resource is not tabular; it takes no rows.",
            field="resource",
        )
    return fields


async def _receipt(
    session: AsyncSession, grant: AppGrant, key: str, digest: str
) -> PushAnswer | None:
    receipt = await session.scalar(
        select(PushReceipt).where(PushReceipt.app_id == grant.app_id, PushReceipt.key == key)
    )
    if receipt is None:
        return None
    if receipt.request_hash != digest:
        raise KeyReused(
            "Idempotency-Key ini sudah dipakai untuk kiriman lain; pakai kunci baru.",
            "This Idempotency-Key was already used for a different push; use a new key.",
            field="Idempotency-Key",
        )
    return PushAnswer(int(receipt.answer["rows"]), int(receipt.answer["version"]))


async def _write(
    parts: HasIndex,
    session: AsyncSession,
    grant: AppGrant,
    push: Push,
    digest: str,
    rows: list[tuple[Any, ...]],
    replaced: list[str],
) -> PushAnswer:
    resource, dataset_id = (
        await session.execute(
            select(Resource, Dataset.id)
            .join(Dataset, Dataset.id == Resource.dataset_id)
            .where(
                Dataset.slug == push.dataset,
                Dataset.removed_at.is_(None),
                Resource.name == push.resource,
            )
            .with_for_update(of=Resource)  # pushes to one resource queue here (PostgreSQL)
        )
    ).one()
    stored = await _receipt(session, grant, push.key, digest)  # a duplicate that queued
    if stored is not None:
        return stored
    fields = tuple(FieldDef.from_json(raw) for raw in resource.fields)
    if push.mode is PushMode.REPLACE or not resource.row_table:
        if resource.row_table:
            replaced.append(resource.row_table)
        resource.row_table = new_table_name(resource.id)
        resource.cursor_key = resource.cursor_key or new_cursor_key()
        table = row_table(resource.row_table, fields)
        await create_table(session, table)
        await _insert(session, table, fields, rows, start=0)
        await _unique_or_refused(session, fields, create_indexes(session, table, fields))
        resource.row_count = len(rows)
    else:
        table = row_table(resource.row_table, fields)
        last = await session.scalar(select(sa.func.max(table.c[ROW_ID])))
        await _insert(session, table, fields, rows, start=(last + 1) if last is not None else 0)
        resource.row_count += len(rows)
    await record_catalogue_change(parts, session, [dataset_id])
    answer = PushAnswer(len(rows), await _current_version(session, push.dataset))
    session.add(
        PushReceipt(
            app_id=grant.app_id,
            key=push.key,
            request_hash=digest,
            status=200,
            answer=answer.as_json(),
        )
    )
    await session.flush()
    return answer


async def _insert(
    session: AsyncSession,
    table: sa.Table,
    fields: tuple[FieldDef, ...],
    rows: list[tuple[Any, ...]],
    *,
    start: int,
) -> None:
    connection = await session.connection()

    async def batches() -> None:
        for offset in range(0, len(rows), BATCH_ROWS):
            batch = rows[offset : offset + BATCH_ROWS]
            numbered = [(start + offset + i, *row) for i, row in enumerate(batch)]
            await insert_rows(connection, table, numbered)

    await _unique_or_refused(session, fields, batches())


async def _unique_or_refused(
    session: AsyncSession, fields: tuple[FieldDef, ...], work: Any
) -> None:
    """Run `work`; a broken unique constraint refuses the push (409) naming the fields."""
    try:
        await work
    except (IntegrityError, sqlite3.IntegrityError) as error:
        raise _not_unique(fields) from error
    except Exception as error:
        if getattr(error, "sqlstate", None) == "23505":  # asyncpg's COPY: unique_violation
            raise _not_unique(fields) from error
        raise


def _not_unique(fields: tuple[FieldDef, ...]) -> Exception:
    unique = [f.name for f in fields if f.constraints.unique]
    return refused(
        [RowProblem(0, name, "a value that must be unique is repeated") for name in unique]
        or [RowProblem(0, None, "a value that must be unique is repeated")]
    )


async def _current_version(session: AsyncSession, dataset_slug: str) -> int:
    """The number of the dataset's published version (0 before its first service version)."""
    number = await session.scalar(
        select(sa.func.max(DatasetVersion.number)).where(
            DatasetVersion.dataset_slug == dataset_slug,
            DatasetVersion.state == VersionState.PUBLISHED.value,
        )
    )
    return int(number or 0)
