"""The rows of a push, read under the resource's Table Schema before anything is written.

JSON (an array of row objects) and CSV (a header line naming the fields in their declared
order) are read with the same cell rules as the catalogue loader (`visibility.fields`), so a
pushed value is typed and constrained exactly as a loaded one. A bad value refuses the whole
push (409 CHECK_FAILED) naming the line and the field: for JSON the line is the row's place
in the array (1 = the first object), for CSV the line of the file (1 = the header).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from opendata.errors import BadUserInput, CheckFailed
from opendata.publishing.checks import CheckKind
from opendata.visibility.fields import FieldDef, cell_reader, column_reader, json_reader

# At most this many bad lines are named in the refusal; one is enough to refuse.
MAX_LISTED_PROBLEMS = 20
FORMATS = ("json", "csv")


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str | None
    reason: str

    def as_check(self) -> dict[str, object]:
        """The refusal's entry, in the shape of a PublicationCheck plus where it is."""
        where_id = f"baris {self.line}" + (f", kolom '{self.field}'" if self.field else "")
        where_en = f"line {self.line}" + (f", field '{self.field}'" if self.field else "")
        return {
            "kind": CheckKind.SCHEMA.value,
            "passed": False,
            "blocking": True,
            "field": self.field,
            "line": self.line,
            "message": f"{where_id}: nilai tidak sesuai skema ({self.reason}).",
            "messageEn": f"{where_en}: the value does not fit the schema ({self.reason}).",
        }


def refused(problems: Sequence[RowProblem]) -> CheckFailed:
    first = problems[0].as_check()
    return CheckFailed(
        f"Pemeriksaan SCHEMA gagal; tidak ada baris yang ditambahkan. {first['message']}",
        f"The SCHEMA check failed; no row was added. {first['messageEn']}",
        checks=[problem.as_check() for problem in problems],
    )


@dataclass(frozen=True)
class TypedRows:
    """A push's native values, kept as columns in declared field order: a million rows
    written straight from their columns cost no Python tuple each until the insert."""

    columns: tuple[list[Any], ...]
    count: int

    @classmethod
    def of_rows(cls, rows: Sequence[tuple[Any, ...]], width: int) -> TypedRows:
        columns = tuple(list(column) for column in zip(*rows, strict=True)) if rows else ()
        return cls(columns or tuple([] for _ in range(width)), len(rows))

    def __len__(self) -> int:
        return self.count

    def numbered(self, start: int) -> Iterator[tuple[Any, ...]]:
        """(`_id`, values...) per row, `_id` counting from `start`."""
        return zip(range(start, start + self.count), *self.columns, strict=True)


def read_rows(body: bytes, body_format: str, fields: Sequence[FieldDef]) -> TypedRows:
    """Native value tuples in declared field order; CheckFailed naming the bad lines."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadUserInput(
            "Isi permintaan bukan teks UTF-8.", "The body is not UTF-8 text.", field="body"
        ) from error
    if body_format == "csv":
        fast = _csv_columns(text, fields)
        if fast is not None:
            return fast
    items = _json_items(text, fields) if body_format == "json" else _csv_items(text, fields)
    rows: list[tuple[Any, ...]] = []
    problems: list[RowProblem] = []
    for item in items:
        if isinstance(item, RowProblem):
            problems.append(item)
            if len(problems) >= MAX_LISTED_PROBLEMS:
                break
        elif not problems:
            rows.append(item)
    if problems:
        raise refused(problems)
    return TypedRows.of_rows(rows, len(fields))


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _json_items(text: str, fields: Sequence[FieldDef]) -> Iterator[tuple[Any, ...] | RowProblem]:
    try:
        payload = json.loads(text, parse_constant=_not_json)
    except (ValueError, RecursionError) as error:
        raise BadUserInput(
            "Isi permintaan bukan JSON yang valid.", "The body is not valid JSON.", field="body"
        ) from error
    if not isinstance(payload, list):
        raise BadUserInput(
            "Isi JSON harus berupa larik objek baris.",
            "The JSON body must be an array of row objects.",
            field="body",
        )
    readers = [(f.name, json_reader(f)) for f in fields]
    names = {f.name for f in fields}
    for line, row in enumerate(payload, start=1):
        if not isinstance(row, dict):
            yield RowProblem(line, None, "not an object")
            continue
        unknown = sorted(set(row) - names)
        if unknown:
            yield RowProblem(line, unknown[0], "not a field of the schema")
            continue
        yield _typed(line, readers, [row.get(name) for name, _ in readers])


def _csv_columns(text: str, fields: Sequence[FieldDef]) -> TypedRows | None:
    """A plain CSV (no quotes, "\n" line ends, every line as wide as the header) read column
    by column (`column_reader`): what `csv.reader` would make of it, without a Python object
    per row. None for anything else; `_csv_items` then reads it, or names what is wrong."""
    if '"' in text or "\r" in text or "\0" in text:
        return None
    first, _, rest = text.partition("\n")
    if first.split(",") != [f.name for f in fields]:
        return None
    lines = list(filter(None, rest.split("\n")))  # csv.reader skips blank lines too
    if set(map(str.count, lines, repeat(","))) - {len(fields) - 1}:
        return None
    cells = ",".join(lines).split(",") if lines else []
    width = len(fields)
    try:
        columns = tuple(column_reader(field)(cells[i::width]) for i, field in enumerate(fields))
    except ValueError:
        return None
    return TypedRows(columns, len(lines))


def _csv_items(text: str, fields: Sequence[FieldDef]) -> Iterator[tuple[Any, ...] | RowProblem]:
    reader = csv.reader(io.StringIO(text, newline=""))
    expected = [f.name for f in fields]
    try:
        header = next(reader, None)
        if header != expected:
            yield RowProblem(1, None, f"the header must be {','.join(expected)}")
            return
        readers = [(f.name, cell_reader(f)) for f in fields]
        for cells in reader:
            if not cells:
                continue
            if len(cells) != len(readers):
                yield RowProblem(
                    reader.line_num, None, f"{len(cells)} cells, expected {len(readers)}"
                )
                continue
            yield _typed(reader.line_num, readers, cells)
    except csv.Error as error:
        yield RowProblem(reader.line_num, None, f"unreadable CSV ({error})")


def _typed(
    line: int, readers: Sequence[tuple[str, Any]], cells: Sequence[Any]
) -> tuple[Any, ...] | RowProblem:
    """The row's native values; on a bad one (the rare case) which field it was and why."""
    try:
        return tuple([read(cell) for (_, read), cell in zip(readers, cells, strict=True)])
    except ValueError:
        for (name, read), cell in zip(readers, cells, strict=True):
            try:
                read(cell)
            except ValueError as error:
                return RowProblem(line, name, str(error))
        raise
