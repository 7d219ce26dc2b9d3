"""An app pushes rows into one resource of a dataset it may write: appended or replacing.

Everything is one transaction: the version the push publishes (its own row tables, the
resources pointed at them: opendata.apps.push_version), the catalogue change and the receipt
under the app's Idempotency-Key. A reader sees the version before or after the push, never
half of it, and a field withheld by an exemption is masked by the policy when it
is read, so a pushed value in it is never visible, not even while the push runs.

Idempotency: the receipt is unique per (app, key) and stored with the answer. A retry (any
server, after a restart) gets the stored answer and writes nothing; two identical pushes at
once queue on the dataset's row lock (PostgreSQL) or the write lock (SQLite) and the second
finds the first's receipt; pushes to different resources with one key collide on the unique
receipt and the loser answers from the winner's. A key reused for a different push is refused.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.apps.models import PushReceipt
from opendata.apps.push_version import publish_push
from opendata.apps.registry import AppGrant
from opendata.apps.rows import TypedRows, read_rows
from opendata.catalogue.changes import record_catalogue_change
from opendata.catalogue.queries import live_resource, resource_fields
from opendata.db.models import Dataset
from opendata.errors import BadUserInput, Forbidden, not_found
from opendata.follows.notify import pushed_today, queue_data_changed
from opendata.publishing.versions import PublishingParts
from opendata.regency_time import regency_today
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


async def push_rows(parts: PublishingParts, grant: AppGrant, push: Push) -> PushAnswer:
    """Write the pushed rows (see the module docstring); the answer, stored or new."""
    digest = push.digest
    async with parts.database.session() as session:
        fields = await _writable_fields(session, grant, push)
        stored = await _receipt(session, grant, push.key, digest)
    if stored is not None:
        return stored
    rows = await asyncio.to_thread(read_rows, push.body, push.body_format, fields)
    try:
        async with parts.database.write() as session:
            return await _write(parts, session, grant, push, digest, rows)
    except IntegrityError:  # the same key won by a concurrent push to another resource
        async with parts.database.session() as session:
            stored = await _receipt(session, grant, push.key, digest)
        if stored is None:
            raise
        return stored


async def _writable_fields(
    session: AsyncSession, grant: AppGrant, push: Push
) -> tuple[FieldDef, ...]:
    """The resource's schema, once the app is known to write this dataset (403 otherwise)."""
    found = await live_resource(session, push.dataset, push.resource)
    if push.dataset not in grant.datasets or (
        found is not None and found[0].agency_id != grant.agency_id
    ):
        raise Forbidden(
            f"Token aplikasi ini tidak boleh menulis dataset '{push.dataset}'.",
            f"This app token may not write the dataset '{push.dataset}'.",
            field="dataset",
        )
    if found is None:
        raise not_found("Sumber data", "Resource", f"{push.dataset}/{push.resource}")
    fields = tuple(resource_fields(found[1]))
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
    parts: PublishingParts,
    session: AsyncSession,
    grant: AppGrant,
    push: Push,
    digest: str,
    rows: TypedRows,
) -> PushAnswer:
    dataset = (
        await session.scalars(
            select(Dataset)
            .where(Dataset.slug == push.dataset, Dataset.removed_at.is_(None))
            .with_for_update()  # pushes to one dataset queue here (PostgreSQL)
        )
    ).one()
    stored = await _receipt(session, grant, push.key, digest)  # a duplicate that queued
    if stored is not None:
        return stored
    version = await publish_push(
        session,
        parts.settings.data_dir,
        dataset,
        push.resource,
        replace=push.mode is PushMode.REPLACE,
        rows=rows,
        submitted_by=f"{grant.name} (aplikasi / app)",
    )
    await record_catalogue_change(parts, session, [dataset.id])
    await queue_data_changed(session, [dataset.id], pushed_today(regency_today()))
    answer = PushAnswer(len(rows), version.number)
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
