"""Rows as files: CSV, JSON Lines and XLSX, written from batches of visible rows.

The batches come from `row_query.stream_rows` (the same filters, order and visibility as
`rows`), so memory stays one batch whatever the size. Each value is written exactly:
64-bit integers as digits, numbers in their shortest exact form, dates as ISO text, empty
cells empty (CSV), null (JSON Lines) or blank (XLSX). XLSX goes through XlsxWriter (kept,
widely used) in constant-memory mode; a workbook is a zip written at the end, so it is
built in a temporary file and then sent.

No file can make a spreadsheet run code (issue 23):
- XLSX cells are typed by the field, never guessed from the text: a text field is written
  with `write_string` (and the workbook refuses formula, number and URL inference), so
  `=SUM(A1:A2)` typed by a resident is a string cell; integers and numbers are numbers,
  booleans booleans, dates and times Excel dates with a date format. Two exceptions keep
  values exact: an integer past 2**53 (an Excel number is a double, which cannot hold it)
  and a date before 1900-03-01 (Excel's calendar starts in 1900 and miscounts its first
  two months) are written as text, the same digits the CSV carries.
- CSV text cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return are
  neutralised as OWASP's "CSV Injection" page advises: a `'` is put in front, so a
  spreadsheet shows the text instead of evaluating it. Only text cells: a number field's
  `-5` stays the number -5 (its Table Schema type says so); a text field's `-5` is written
  `'-5`. JSON Lines is data for programs and keeps every value exactly.
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
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import xlsxwriter
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from opendata.visibility.fields import FieldDef

# Excel's sheet holds 1,048,576 rows, one of them the header.
XLSX_MAX_ROWS = 1_048_575
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# The largest integer an Excel number (an IEEE double) holds exactly
EXACT_DOUBLE_INTEGER = 2**53
# Excel's first correct day (it counts 1900-02-29, which never was), as ISO text: dates
# and times in their JSON form compare with it in calendar order
FIRST_EXCEL_DAY = "1900-03-01"

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


def neutralised(text: str) -> str:
    """Text a spreadsheet would read as a formula, with a `'` in front (OWASP)."""
    return NEUTRALISER + text if text.startswith(FORMULA_TRIGGERS) else text


def neutralised_column(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`neutralised` in SQL, for the CSV PostgreSQL writes itself (COPY)."""
    first = sa.func.substr(column, 1, 1)
    return sa.case((first.in_(FORMULA_TRIGGERS), sa.literal(NEUTRALISER) + column), else_=column)


def neutralised_select(statement: sa.Select[Any], text: Sequence[bool]) -> sa.Select[Any]:
    """`statement` (filters and order kept) with its text columns (`text[i]`) neutralised."""
    columns = [
        neutralised_column(column) if is_text else column
        for column, is_text in zip(statement.selected_columns, text, strict=True)
    ]
    return statement.with_only_columns(*columns, maintain_column_froms=True)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # text (dates are ISO text, which starts with a digit)
        return neutralised(value)
    return value


def csv_header(names: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([neutralised(name) for name in names])
    return buffer.getvalue()


async def csv_chunks(names: Sequence[str], batches: Batches) -> AsyncIterator[str]:
    """The header, then one chunk of CSV text per batch."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    yield csv_header(names)
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
    yield csv_header(names).encode()
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


def _xlsx_writer(sheet: Worksheet, field: FieldDef, formats: dict[str, Format]) -> Any:
    """How one field's values (in their JSON form) go into cells: by the field's type."""
    kind = field.type

    def write(line: int, column: int, value: Any) -> None:
        if kind == "number" or (kind == "integer" and abs(value) <= EXACT_DOUBLE_INTEGER):
            sheet.write_number(line, column, value)
        elif kind == "boolean":
            sheet.write_boolean(line, column, value)
        elif kind in ("date", "datetime") and value >= FIRST_EXCEL_DAY:
            moment = (date if kind == "date" else datetime).fromisoformat(value)
            sheet.write_datetime(line, column, moment, formats[kind])
        else:  # text, integers past 2**53 and days before Excel's: as a string cell
            sheet.write_string(line, column, str(value))

    return write


async def xlsx_file(fields: Sequence[FieldDef], batches: Batches) -> Path:
    """A workbook of the rows in a temporary file (the caller sends and removes it); one
    column per field, in order, each cell typed by its field (see the module's note)."""
    descriptor, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(descriptor)
    path = Path(name)
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    try:
        sheet = workbook.add_worksheet("data")
        formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        for column, field in enumerate(fields):
            sheet.write_string(0, column, field.name)
        writers = [(field.name, _xlsx_writer(sheet, field, formats)) for field in fields]
        line = 1
        async for batch in batches:
            for row in batch:
                for column, (field_name, write) in enumerate(writers):
                    value = row[field_name]
                    if value is not None:
                        write(line, column, value)
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
