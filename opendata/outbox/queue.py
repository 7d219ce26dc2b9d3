"""Writing jobs: in the caller's transaction, so a job exists exactly when its cause does.

Froide sends mail with `on_commit(task.delay)`, which loses the job if the process dies
between the commit and the hand-off; here the job row commits or rolls back with the change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.base import utcnow
from opendata.outbox.models import JobStatus, OutboxJob


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Add a job to the caller's transaction; the id, or None if `dedupe_key` already exists.

    The dedupe check is the table's unique index (`ON CONFLICT DO NOTHING`), so two servers
    enqueueing the same reminder at the same moment still make one job.
    """
    values = {
        "kind": kind,
        "payload": payload,
        "dedupe_key": dedupe_key,
        "status": JobStatus.PENDING.value,
        "attempts": 0,
        "max_attempts": 8,
        "run_after": run_after or utcnow(),
        "created_at": utcnow(),
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxJob)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[OutboxJob.dedupe_key])
        .returning(OutboxJob.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()
