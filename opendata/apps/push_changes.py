"""The change summary of a replacing push, counted after the push is published.

Matching a million new rows against a million old ones as a multiset (a GROUP BY over both
tables) costs more than writing them; the app waiting for its answer does not need it, the
steward reading the version list does. So the push stores a pending summary and enqueues a
job in its own transaction (the outbox: the job exists exactly when the version does); a
worker on any server counts it in SQL over the two version tables, which never change, and
stores it. Until then the version says the summary is pending (GraphQL `changesPending`),
never a false zero.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.tables import bulk_memory, row_table
from opendata.db.models import Resource
from opendata.outbox.queue import enqueue
from opendata.outbox.worker import Job
from opendata.parts import HasDatabaseAndSettings
from opendata.publishing.changes import VersionChanges
from opendata.publishing.models import DatasetVersion
from opendata.publishing.versions import changes_pending
from opendata.visibility.fields import FieldDef

CHANGES_KIND = "push.changes"
PENDING: dict[str, Any] = {"pending": True}


async def count_later(
    session: AsyncSession, version: DatasetVersion, resource: Resource, new_table: str
) -> None:
    """Mark the version's summary pending and enqueue its counting (caller's transaction)."""
    version.changes = dict(PENDING)
    await session.flush()
    await enqueue(
        session,
        CHANGES_KIND,
        {
            "version": version.id,
            "old_table": resource.row_table,
            "new_table": new_table,
            "fields": list(resource.fields),
        },
        dedupe_key=f"{CHANGES_KIND}:{version.id}",
    )


async def count_changes_job(parts: HasDatabaseAndSettings, job: Job) -> None:
    """The outbox handler of `CHANGES_KIND`: count and store one version's summary."""
    fields = tuple(FieldDef.from_json(raw) for raw in job.payload["fields"])
    async with parts.database.write() as session:
        version = await session.get(DatasetVersion, int(job.payload["version"]))
        if version is None or not changes_pending(version.changes):
            return
        old = row_table(str(job.payload["old_table"]), fields)
        new = row_table(str(job.payload["new_table"]), fields)
        version.changes = asdict(await replaced_changes(session, old, new))


async def replaced_changes(
    session: AsyncSession, old_table: sa.Table, new_table: sa.Table
) -> VersionChanges:
    """Rows added and removed by replacing `old_table` with `new_table`, matched whole, as a
    multiset (`publishing.changes`, no key), counted in SQL."""
    new = list(new_table.columns)[1:]
    old = list(old_table.columns)[1:]
    both = sa.union_all(
        select(*old, sa.literal(1).label("o"), sa.literal(0).label("n")),
        select(*new, sa.literal(0), sa.literal(1)),
    ).subquery()
    counts = (
        select(sa.func.sum(both.c.o).label("o"), sa.func.sum(both.c.n).label("n"))
        .group_by(*[both.c[c.name] for c in new])
        .subquery()
    )
    surplus = [
        sa.func.coalesce(sa.func.sum(sa.case((more > less, more - less), else_=0)), 0)
        for more, less in ((counts.c.n, counts.c.o), (counts.c.o, counts.c.n))
    ]
    async with bulk_memory(await session.connection()):
        added, removed = (await session.execute(select(*surplus))).one()
    return VersionChanges(rows_added=int(added), rows_removed=int(removed), by_key=False)
