"""A fetched file as the CSV a version is made of, or the reason it cannot be one.

CSV must be UTF-8 with the resource's field names as its header, in the schema's order (as a
catalogue folder's files must); its lines are checked by the SCHEMA check at submission. JSON
is an array of row objects (or an object whose `data` is one) keyed by field name; it is
written out as CSV in the schema's order. A key the schema does not have refuses the file, so
a renamed column upstream is a visible failure, not a column silently dropped.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from opendata.pull.fetch import FetchFailed


def _field_names(resource: Mapping[str, Any]) -> list[str]:
    schema = resource.get("schema") or {}
    fields = schema.get("fields") if isinstance(schema, Mapping) else None
    return [str(f["name"]) for f in fields or [] if isinstance(f, Mapping) and "name" in f]


def _bad(problem_id: str, problem_en: str) -> FetchFailed:
    return FetchFailed(f"Berkas sumber tidak sah: {problem_id}.", f"Bad source file: {problem_en}.")


def _check_header(path: Path, names: Sequence[str]) -> None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as text:
            header = next(csv.reader(text), None)
    except UnicodeDecodeError as error:
        raise _bad("bukan teks UTF-8", "not UTF-8 text") from error
    except csv.Error as error:
        raise _bad(f"CSV tidak terbaca ({error})", f"unreadable CSV ({error})") from error
    found = [cell.strip() for cell in header or []]
    if found != list(names):
        expected = ", ".join(names)
        raise _bad(
            f"baris judul harus {expected}, bukan {', '.join(found) or '(kosong)'}",
            f"the header must be {expected}, not {', '.join(found) or '(empty)'}",
        )


def _cell(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise _bad(f"nilai '{key}' bukan nilai tunggal", f"the value of '{key}' is not a plain value")


def _json_rows(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _bad(f"JSON tidak terbaca ({error})", f"unreadable JSON ({error})") from error
    if isinstance(data, Mapping):
        data = data.get("data")
    if not isinstance(data, list):
        raise _bad("bukan larik baris", "not an array of rows (or an object whose data is one)")
    return data


def _json_to_csv(path: Path, names: Sequence[str], target: Path) -> Path:
    known = set(names)
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(names)
        for index, row in enumerate(_json_rows(path)):
            if not isinstance(row, Mapping):
                raise _bad(f"baris {index} bukan objek", f"row {index} is not an object")
            unknown = sorted(set(row) - known)
            if unknown:
                raise _bad(
                    f"baris {index}: kolom tak dikenal {', '.join(unknown)}",
                    f"row {index}: unknown fields {', '.join(unknown)}",
                )
            writer.writerow([_cell(row.get(name), name) for name in names])
    return target


def source_csv(path: Path, fmt: str, resource: Mapping[str, Any]) -> Path:
    """The CSV file of the fetched `path`; FetchFailed when it does not fit the resource."""
    names = _field_names(resource)
    if fmt == "json":
        return _json_to_csv(path, names, path.with_suffix(".csv"))
    _check_header(path, names)
    return path
