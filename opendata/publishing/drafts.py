"""A producer's upload form as a data package: the descriptor `submit_version` takes.

A data officer fills in metadata and picks a CSV or XLSX file; nobody in an OPD should
have to write a Table Schema by hand. The schema is read from the file (types from the
values, the header as names), and an XLSX sheet is turned into the CSV the catalogue
reader reads. Long digit strings stay text: a NIK or a phone number is an identifier,
not a quantity, and must keep its leading zeros.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from opendata.db.models import Dataset
from opendata.errors import BadUserInput

# rows read to decide each column's type (the schema check then reads every row)
SAMPLE_ROWS = 5000
# digits longer than this are identifiers (NIK 16, phone 10-13), kept as text
MAX_NUMBER_DIGITS = 9
INTEGER = re.compile(r"^-?\d+$")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
NAME_PART = re.compile(r"[^a-z0-9_]+")
UPDATE_FREQUENCIES = (
    "DAILY",
    "WEEKLY",
    "MONTHLY",
    "QUARTERLY",
    "SEMIANNUAL",
    "ANNUAL",
    "IRREGULAR",
)
PUBLICATION_MODES = ("ROWS", "AGGREGATES")
LICENSES = ("CC-BY-4.0", "CC0-1.0", "ODbL-1.0")
XLSX_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Metadata:
    """What the producer types: the dataset's descriptor keys (docs/catalog-format.md)."""

    slug: str
    title: str
    description: str
    license: str
    category: str
    update_frequency: str
    publication_mode: str = "ROWS"
    title_en: str = ""
    description_en: str = ""
    topics: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    temporal_start: int | None = None
    temporal_end: int | None = None
    contact_name: str = ""
    contact_email: str = ""
    quasi_identifiers: tuple[str, ...] = field(default=())
    minimum_cell_size: int | None = None

    def descriptor(self) -> dict[str, Any]:
        """The data package keys, without resources."""
        described: dict[str, Any] = {
            "name": self.slug,
            "title": self.title,
            "description": self.description,
            "licenses": [{"name": self.license}] if self.license else [],
            "category": self.category,
            "publicationMode": self.publication_mode,
            "topics": list(self.topics),
            "keywords": list(self.keywords),
            "quasiIdentifiers": list(self.quasi_identifiers),
            "modified": date.today().isoformat(),
        }
        optional = {
            "title_en": self.title_en,
            "description_en": self.description_en,
            "updateFrequency": self.update_frequency,
            "minimumCellSize": self.minimum_cell_size,
        }
        described.update({key: value for key, value in optional.items() if value})
        if self.temporal_start or self.temporal_end:
            described["temporal"] = {"start": self.temporal_start, "end": self.temporal_end}
        if self.contact_name or self.contact_email:
            described["contact"] = {"name": self.contact_name, "email": self.contact_email}
        return described


def catalogue_descriptor(dataset: Dataset) -> dict[str, Any]:
    """The data package keys of a dataset loaded from the catalogue folder (it has no
    service version to start from yet)."""
    return Metadata(
        slug=dataset.slug,
        title=dataset.title,
        description=dataset.description,
        license=dataset.license,
        category=dataset.category,
        update_frequency=dataset.update_frequency or "",
        publication_mode=dataset.publication_mode,
        title_en=dataset.title_en or "",
        description_en=dataset.description_en or "",
        topics=tuple(dataset.topics),
        keywords=tuple(dataset.keywords),
        temporal_start=dataset.temporal_start,
        temporal_end=dataset.temporal_end,
        minimum_cell_size=dataset.minimum_cell_size,
    ).descriptor()


def words(text: str) -> tuple[str, ...]:
    """A comma-separated form field as its items, trimmed, empty ones dropped."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def resource_name(filename: str) -> str:
    """A resource name (a-z, 0-9, _ and -) from an uploaded file's name."""
    stem = Path(filename).stem.lower()
    return NAME_PART.sub("_", stem).strip("_-")[:60] or "data"


def _cell_type(value: str) -> str:
    if INTEGER.match(value):
        return "integer" if len(value.lstrip("-")) <= MAX_NUMBER_DIGITS else "string"
    if NUMBER.match(value) and "," not in value:
        return "number"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "string"
    return "date"


def _widest(types: set[str]) -> str:
    if not types:
        return "string"
    if len(types) == 1:
        return next(iter(types))
    return "number" if types == {"integer", "number"} else "string"


def infer_fields(rows: Iterable[list[str]]) -> list[dict[str, str]]:
    """A Table Schema's fields from a header row and sample rows."""
    lines = iter(rows)
    header = next(lines, None)
    if not header or not any(name.strip() for name in header):
        raise BadUserInput(
            "Berkas tidak punya baris judul kolom.",
            "The file has no header row.",
            field="file",
        )
    seen: list[set[str]] = [set() for _ in header]
    for count, row in enumerate(lines):
        if count >= SAMPLE_ROWS:
            break
        for index, value in enumerate(row[: len(header)]):
            if value.strip():
                seen[index].add(_cell_type(value.strip()))
    return [
        {"name": name.strip(), "type": _widest(types)}
        for name, types in zip(header, seen, strict=True)
    ]


def csv_fields(path: Path) -> list[dict[str, str]]:
    """The schema of a UTF-8 CSV file (a byte-order mark is allowed)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            return infer_fields(csv.reader(handle))
        except UnicodeDecodeError:
            raise BadUserInput(
                "Berkas CSV harus UTF-8.", "The CSV file must be UTF-8.", field="file"
            ) from None


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in item.iter(f"{XLSX_MAIN}t")) for item in root]


def _column(reference: str) -> int:
    number = 0
    for letter in reference.rstrip("0123456789"):
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def _sheet_rows(book: zipfile.ZipFile) -> Iterator[list[str]]:
    strings = _shared_strings(book)
    root = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    for row in root.iter(f"{XLSX_MAIN}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{XLSX_MAIN}c"):
            kind = cell.get("t", "n")
            value = cell.find(f"{XLSX_MAIN}v")
            text = value.text or "" if value is not None else ""
            if kind == "s" and text:
                text = strings[int(text)]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{XLSX_MAIN}t"))
            elif kind == "b":
                text = "true" if text == "1" else "false"
            elif text.endswith(".0"):
                text = text[:-2]
            cells[_column(cell.get("r", "A"))] = text
        if cells:
            yield [cells.get(index, "") for index in range(max(cells) + 1)]


def xlsx_to_csv(source: Path, target: Path) -> None:
    """The first sheet of an XLSX workbook as a UTF-8 CSV file."""
    try:
        with zipfile.ZipFile(source) as book, target.open("w", newline="") as out:
            csv.writer(out).writerows(_sheet_rows(book))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise BadUserInput(
            "Berkas XLSX tidak dapat dibaca (lembar pertama).",
            "The XLSX file cannot be read (its first sheet).",
            field="file",
        ) from None


def kept_fields(
    previous: Iterable[Mapping[str, Any]], inferred: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """A new version's schema: a column the published version had keeps its definition
    (title, constraints, type), a new one gets the inferred type."""
    known = {str(definition["name"]): dict(definition) for definition in previous}
    return [known.get(definition["name"], definition) for definition in inferred]


def with_resource(
    described: Mapping[str, Any], name: str, fields: list[dict[str, Any]]
) -> dict[str, Any]:
    """The descriptor with one CSV resource `name` of the given schema.

    Kept column definitions come as stored (`FieldDef.to_json`), where a `commonFilters`
    hint lives on its leading field as `indexedWith`; the descriptor states it as the
    catalogue format does, for the combinations whose fields the new file still has.
    """
    schema: dict[str, Any] = {
        "fields": [{k: v for k, v in field.items() if k != "indexedWith"} for field in fields]
    }
    combinations = common_filters(fields)
    if combinations:
        schema["commonFilters"] = combinations
    return {
        **described,
        "resources": [{"name": name, "path": f"{name}.csv", "format": "csv", "schema": schema}],
    }


def common_filters(fields: Iterable[Mapping[str, Any]]) -> list[list[str]]:
    """`schema.commonFilters` from stored fields' `indexedWith`, each combination only where
    all of its fields are among `fields`."""
    fields = list(fields)
    present = {str(field["name"]) for field in fields}
    combinations = (
        [str(field["name"]), *(str(name) for name in rest)]
        for field in fields
        for rest in field.get("indexedWith") or ()
    )
    return [names for names in combinations if present.issuperset(names)]
