"""Loading one resource's CSV into a new typed table: streamed, batched, with progress.

Rows are parsed one line at a time and written in batches through the backend's fastest
path (`tables.insert_rows`), inside the loader's transaction; indexes are built once at the
end. A bad line refuses the resource (the caller keeps the stored version) unless the
operator asked to skip bad rows; then each skipped line is reported by its number.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.reader import BadRow, PropertyRefused, ResourceDescriptor
from opendata.catalogue.tables import (
    create_indexes,
    create_table,
    insert_rows,
    new_cursor_key,
    new_table_name,
    row_table,
)
from opendata.db.models import Resource
from opendata.visibility.fields import FieldDef, native

BATCH_ROWS = 5000
# At most this many bad lines are listed one by one; the rest are counted.
MAX_LISTED_BAD_ROWS = 100


@dataclass(frozen=True)
class LoadProgress:
    """How far the load of one resource has got (what the CLI shows)."""

    path: str
    rows: int
    bytes_read: int
    bytes_total: int
    seconds: float
    done: bool = False

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Time left, estimated from the share of the file read so far."""
        if self.bytes_read <= 0 or self.bytes_total <= 0:
            return None
        return self.seconds * max(self.bytes_total - self.bytes_read, 0) / self.bytes_read


ProgressCallback = Callable[[LoadProgress], None]


def describe_progress(progress: LoadProgress) -> str:
    """`kasus.csv: 120,000 rows, 41,233 rows/s, 37% , ETA 5 s` (what the CLI prints)."""
    share = progress.bytes_read / progress.bytes_total if progress.bytes_total else 1.0
    line = (
        f"{progress.path}: {progress.rows:,} rows, {progress.rows_per_second:,.0f} rows/s, "
        f"{share:.0%}"
    )
    if progress.done:
        return f"{line}, done in {progress.seconds:.1f} s"
    eta = progress.eta_seconds
    return f"{line}, ETA {eta:.0f} s" if eta is not None else line


@dataclass
class RowLoadReport:
    rows: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_row_count: int = 0


class RowsRefused(PropertyRefused):
    """The resource's rows do not fit its schema: the dataset keeps its stored version."""


async def load_rows(
    session: AsyncSession,
    table_name: str,
    descriptor: ResourceDescriptor,
    *,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
    progress_every: float = 1.0,
) -> RowLoadReport:
    """Create `table_name` for the resource and fill it from its CSV file."""
    fields = tuple(descriptor.fields)
    table = row_table(table_name, fields)
    await create_table(session, table)
    connection = await session.connection()
    report = RowLoadReport()
    rows = descriptor.iter_rows()
    started = last_report = time.monotonic()
    path = str(descriptor.csv_path)

    def tell(done: bool = False) -> None:
        if progress is not None:
            progress(
                LoadProgress(
                    path,
                    report.rows,
                    rows.bytes_read or descriptor.size,
                    descriptor.size,
                    time.monotonic() - started,
                    done,
                )
            )

    batch: list[tuple[Any, ...]] = []
    for item in rows:
        if isinstance(item, BadRow):
            if not skip_bad_rows:
                raise RowsRefused(path, item.prop, item.reason)
            report.bad_row_count += 1
            if len(report.bad_rows) < MAX_LISTED_BAD_ROWS:
                report.bad_rows.append(item)
            continue
        batch.append((report.rows, *item[1]))
        report.rows += 1
        if len(batch) >= BATCH_ROWS:
            await insert_rows(connection, table, batch)
            batch = []
            if progress is not None and time.monotonic() - last_report >= progress_every:
                last_report = time.monotonic()
                tell()
    if batch:
        await insert_rows(connection, table, batch)
    try:
        async with session.begin_nested():
            await create_indexes(session, table, fields)
    except IntegrityError as error:
        unique = [f.name for f in fields if f.constraints.unique]
        raise RowsRefused(
            path, "constraints.unique", f"unique values in {', '.join(unique)}"
        ) from error
    tell(done=True)
    return report


async def store_rows(
    session: AsyncSession, resource: Resource, rows: Iterable[Mapping[str, Any]]
) -> None:
    """Give a flushed `resource` a new typed table holding `rows` (JSON-form dicts).

    For rows that do not come from a CSV file (tests, fixtures); values are read under the
    field types exactly as ROW filters and `where` values are.
    """
    fields = tuple(FieldDef.from_json(raw) for raw in resource.fields)
    resource.row_table = resource.row_table or new_table_name(resource.id)
    resource.cursor_key = resource.cursor_key or new_cursor_key()
    table = row_table(resource.row_table, fields)
    await create_table(session, table)
    records = [
        (position, *(native(f, row.get(f.name)) for f in fields))
        for position, row in enumerate(rows)
    ]
    for start in range(0, len(records), BATCH_ROWS):
        await insert_rows(await session.connection(), table, records[start : start + BATCH_ROWS])
    await create_indexes(session, table, fields)
    resource.row_count = len(records)
