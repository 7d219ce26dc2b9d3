"""Rows as files: CSV, JSON Lines and XLSX, written from batches of visible rows.

The batches come from `row_query.stream_rows` (the same filters, order and visibility as
`rows`), so memory stays one batch whatever the size. Each value is written exactly:
64-bit integers as digits, numbers in their shortest exact form, dates as ISO text, empty
cells empty (CSV), null (JSON Lines) or blank (XLSX). XLSX goes through XlsxWriter (kept,
widely used) in constant-memory mode; a workbook is a zip written at the end, so it is
built in a temporary file and then sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import xlsxwriter
from sqlalchemy.ext.asyncio import AsyncSession

# Excel's sheet holds 1,048,576 rows, one of them the header.
XLSX_MAX_ROWS = 1_048_575

Batches = AsyncIterator[list[dict[str, Any]]]


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    media_type: str


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8"),
    "jsonl": ExportFormat("jsonl", "application/x-ndjson; charset=utf-8"),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
}


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


async def csv_chunks(names: Sequence[str], batches: Batches) -> AsyncIterator[str]:
    """The header, then one chunk of CSV text per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    yield buffer.getvalue()
    async for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_cell(row[name]) for name in names] for row in batch)
        yield buffer.getvalue()


async def postgres_csv_chunks(
    session: AsyncSession, names: Sequence[str], statement: sa.Select[Any], queued: int = 8
) -> AsyncIterator[bytes]:
    """PostgreSQL: the header, then COPY (statement) TO STDOUT as CSV, chunk by chunk.

    The database writes the CSV itself (the fastest path it has); a small queue between the
    COPY and the client keeps memory flat and stops the COPY when the client goes away.
    """
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(names)
    yield buffer.getvalue().encode()
    connection = await session.connection()
    # `in` lists are expanded into one parameter per value here: COPY takes no expanding ones
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    arguments = [compiled.params[name] for name in compiled.positiontup or ()]
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=queued)

    async def take(chunk: bytes) -> None:
        await chunks.put(bytes(chunk))

    async def copy() -> None:
        try:
            await driver.copy_from_query(str(compiled), *arguments, output=take, format="csv")
        finally:
            await chunks.put(None)

    task = asyncio.create_task(copy())
    try:
        while (chunk := await chunks.get()) is not None:
            yield chunk
        await task
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def jsonl_chunks(names: Sequence[str], batches: Batches) -> AsyncIterator[str]:
    """One JSON object per line, keys in field order; one chunk per batch."""
    async for batch in batches:
        yield "".join(
            json.dumps({name: row[name] for name in names}, ensure_ascii=False) + "\n"
            for row in batch
        )


async def xlsx_file(names: Sequence[str], batches: Batches) -> Path:
    """A workbook of the rows in a temporary file (the caller sends and removes it)."""
    descriptor, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(descriptor)
    path = Path(name)
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    try:
        sheet = workbook.add_worksheet("data")
        sheet.write_row(0, 0, list(names))
        line = 1
        async for batch in batches:
            for row in batch:
                for column, name in enumerate(names):
                    value = row[name]
                    if value is None:
                        continue
                    if (
                        isinstance(value, int)
                        and not isinstance(value, bool)
                        and abs(value) > 2**53
                    ):
                        # Excel numbers are doubles: integers past 2**53 stay exact as text
                        sheet.write_string(line, column, str(value))
                    else:
                        sheet.write(line, column, value)
                line += 1
            await asyncio.sleep(0)
        await asyncio.to_thread(workbook.close)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


async def file_chunks(path: Path, size: int = 1 << 16) -> AsyncIterator[bytes]:
    """A file's bytes, then the file is removed (also when the client goes away)."""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(size):
                yield chunk
    finally:
        path.unlink(missing_ok=True)
