"""Reading a catalogue folder: agencies and Frictionless data packages, validated.

Nothing here touches the database. A descriptor that does not validate becomes a
`Refusal` naming the file, the property and what was expected; the rest still reads.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from opendata.catalogue.publication import PublicationMode, UpdateFrequency
from opendata.catalogue.sources import SourceSpec, filled_resource, read_source
from opendata.errors import BadUserInput
from opendata.visibility.fields import FIELD_TYPES, FieldDef, cell_reader, read_constraints
from opendata.visibility.rules import ExemptionDraft, InformationCategory, validate_exemption

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}$")
CATEGORIES = tuple(InformationCategory)
DESCRIPTOR_NAMES = ("datapackage.yaml", "datapackage.yml", "datapackage.json")
# Rows are streamed, never held whole; this only stops a runaway file.
MAX_CSV_BYTES = 8 * 1024**3
# what a field's `areaLevel` may say (the AREA_CODES check reads it)
AREA_LEVELS = ("kecamatan", "desa", "code")
# what a field's `role` may say: "measure", an amount a chart may add up (integer or number)
FIELD_ROLES = ("measure",)


# A catalogue folder is read as given: a symbolic link could publish any file on the server.
SYMLINK_REFUSED = (
    "a plain file or folder, not a symbolic link / berkas atau folder biasa, bukan tautan simbolik"
)


@dataclass(frozen=True)
class Refusal:
    path: str
    prop: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: '{self.prop}': {self.message}"


class PropertyRefused(Exception):
    """One property of one file refused; the load reports it as a `Refusal`."""

    def __init__(self, path: Path | str, prop: str, message: str) -> None:
        super().__init__(f"{path}: {prop}: {message}")
        self.path = path
        self.prop = prop
        self.message = message

    def refusal(self) -> Refusal:
        return Refusal(str(self.path), self.prop, self.message)


class DescriptorError(PropertyRefused):
    """One property of one file is not as expected (the message says what it should be)."""


@dataclass
class AgencyDescriptor:
    slug: str
    name: str
    acronym: str | None
    description: str | None
    description_en: str | None
    website: str | None
    content_hash: str
    # the letterhead of its letters: office address and how to reach its PPID
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    # when its PPID desk receives people in person (issue 24)
    opening_hours: str | None = None


class BadRow(ValueError):
    """One data line of a CSV file that does not fit its schema."""

    def __init__(
        self, csv_path: Path, line_number: int, reason: str, field: str | None = None
    ) -> None:
        self.csv_path = csv_path
        self.line_number = line_number
        self.reason = reason
        self.field = field
        super().__init__(f"{csv_path}: {self.prop}: {reason}")

    @property
    def prop(self) -> str:
        """Where in the file: `line 7` or `line 7, field 'tahun'`."""
        where = f"line {self.line_number}"
        return f"{where}, field '{self.field}'" if self.field else where


@dataclass
class ResourceDescriptor:
    name: str
    path: str
    format: str
    mediatype: str | None
    fields: list[FieldDef]
    csv_path: Path
    size: int = 0
    title: str | None = None
    title_en: str | None = None

    def iter_rows(self) -> CsvRows:
        """(line number, native values) per data line, or the `BadRow` it is; streamed."""
        return CsvRows(self.csv_path, self.fields)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every row as a dict (small files and tests only; the loader streams)."""
        names = [f.name for f in self.fields]
        found = []
        for item in self.iter_rows():
            if isinstance(item, BadRow):
                raise item
            found.append(dict(zip(names, item[1], strict=True)))
        return found


@dataclass
class DatasetDescriptor:
    slug: str
    agency_slug: str
    title: str
    title_en: str | None
    description: str
    description_en: str | None
    keywords: list[str]
    topics: list[str]
    license: str
    category: str
    modified: date | None
    temporal_start: int | None
    temporal_end: int | None
    exemptions: list[ExemptionDraft]
    resources: list[ResourceDescriptor]
    source_path: str
    content_hash: str
    minimum_cell_size: int | None = None
    # who answers questions about the data ({name, email}); read for the METADATA check
    contact: Mapping[str, str] | None = None
    # fields that together could single a person out (the REIDENTIFICATION check)
    quasi_identifiers: tuple[str, ...] = ()
    # `source`: the URL the service pulls the rows from (opendata.pull)
    source: SourceSpec | None = None
    publication_mode: str = PublicationMode.ROWS.value
    update_frequency: str | None = None


@dataclass
class CatalogRead:
    agencies: list[AgencyDescriptor] = field(default_factory=list)
    datasets: list[DatasetDescriptor] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    # slugs whose descriptor was refused: the loader keeps their stored version
    refused_slugs: set[str] = field(default_factory=set)
    refused_agencies: set[str] = field(default_factory=set)


def _load_mapping(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as error:
        raise DescriptorError(path, "(file)", f"readable UTF-8 YAML/JSON ({error})") from error
    if not isinstance(data, Mapping):
        raise DescriptorError(path, "(file)", "a mapping of properties")
    return data


def _text(data: Mapping[str, Any], key: str, path: Path, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise DescriptorError(path, key, "a non-empty string (required)")
        return None
    if not isinstance(value, str):
        raise DescriptorError(path, key, f"a string, not {type(value).__name__}")
    return value.strip()


# the stored column's width (`TabularColumns.title`): a longer title is refused at reading,
# not cut short or left to fail in the database
MAX_RESOURCE_TITLE = 300


def _resource_title(raw: Mapping[str, Any], key: str, path: Path, prop: str) -> str | None:
    value = raw.get(key)
    if value is not None and (not isinstance(value, str) or len(value) > MAX_RESOURCE_TITLE):
        raise DescriptorError(path, f"{prop}.{key}", f"a string of at most {MAX_RESOURCE_TITLE}")
    return _text(raw, key, path)


def _strings(data: Mapping[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DescriptorError(path, key, "a list of strings")
    return [item.strip() for item in value if item.strip()]


def _date(value: Any, path: Path, prop: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise DescriptorError(path, prop, "a date as YYYY-MM-DD") from error


def _year(value: Any, path: Path, prop: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200:
        return value
    raise DescriptorError(path, prop, "a year between 1900 and 2200")


def _refuse_symlinks(base: Path, relative: str | Path, prop: str) -> None:
    """Refuse `base/relative` if it, or any folder on the way to it, is a symbolic link."""
    current = base
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            raise DescriptorError(current, prop, SYMLINK_REFUSED)


def read_agency(folder: Path) -> AgencyDescriptor:
    path = folder / "agency.yaml"
    _refuse_symlinks(folder.parent, Path(folder.name) / path.name, "(file)")
    data = _load_mapping(path)
    slug = folder.name
    if not SLUG.match(slug):
        raise DescriptorError(path, "(folder name)", "a slug of a-z, 0-9 and '-'")
    return AgencyDescriptor(
        slug=slug,
        name=_text(data, "name", path, required=True) or "",
        acronym=_text(data, "acronym", path),
        description=_text(data, "description", path),
        description_en=_text(data, "description_en", path),
        website=_text(data, "website", path),
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
        address=_text(data, "address", path),
        phone=_text(data, "phone", path),
        email=_text(data, "email", path),
        opening_hours=_text(data, "opening_hours", path),
    )


def _read_fields(raw: Any, path: Path, prefix: str) -> list[FieldDef]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("fields"), list) or not raw["fields"]:
        raise DescriptorError(path, f"{prefix}.schema.fields", "a non-empty list of fields")
    fields: list[FieldDef] = []
    for index, item in enumerate(raw["fields"]):
        prop = f"{prefix}.schema.fields[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise DescriptorError(path, prop, "a mapping with a string 'name'")
        field_type = item.get("type", "string")
        if field_type not in FIELD_TYPES:
            raise DescriptorError(path, f"{prop}.type", f"one of {', '.join(FIELD_TYPES)}")
        title = item.get("title")
        raw_constraints = item.get("constraints") or {}
        if not isinstance(raw_constraints, Mapping):
            raise DescriptorError(path, f"{prop}.constraints", "a mapping of constraints")
        try:
            constraints = read_constraints(field_type, raw_constraints)
        except ValueError as error:
            raise DescriptorError(path, f"{prop}.constraints", str(error)) from error
        area_level = item.get("areaLevel")
        if area_level is not None and area_level not in AREA_LEVELS:
            raise DescriptorError(path, f"{prop}.areaLevel", f"one of {', '.join(AREA_LEVELS)}")
        role = item.get("role")
        numeric = field_type in ("integer", "number")
        if role is not None and (role not in FIELD_ROLES or not numeric):
            raise DescriptorError(
                path, f"{prop}.role", f"one of {', '.join(FIELD_ROLES)}, on an integer or number"
            )
        fields.append(
            FieldDef(
                item["name"],
                field_type,
                title if isinstance(title, str) else None,
                constraints,
                area_level,
                role,
            )
        )
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise DescriptorError(path, f"{prefix}.schema.fields", "unique field names")
    return _common_filters(raw.get("commonFilters"), fields, path, f"{prefix}.schema")


MAX_COMMON_FILTERS = 8
COMMON_FILTER_FIELDS = "a list of 2 to 4 distinct field names, or one string field"


def _common_filters(raw: Any, fields: list[FieldDef], path: Path, prefix: str) -> list[FieldDef]:
    """`schema.commonFilters`: the field combinations people filter on together, each built
    as one composite index (`opendata.catalogue.tables.table_indexes`). Stored on the
    leading field of each (`FieldDef.indexed_with`)."""
    if raw is None:
        return fields
    prop = f"{prefix}.commonFilters"
    if not isinstance(raw, list) or len(raw) > MAX_COMMON_FILTERS:
        raise DescriptorError(path, prop, f"a list of at most {MAX_COMMON_FILTERS} combinations")
    by_name = {f.name: f for f in fields}
    rests: dict[str, list[tuple[str, ...]]] = {f.name: [] for f in fields}
    for index, combination in enumerate(raw):
        names = combination if isinstance(combination, list) else []
        if (
            not all(isinstance(name, str) and name in by_name for name in names)
            or len(set(names)) != len(names)
            or not 1 <= len(names) <= 4
            or (len(names) == 1 and by_name[names[0]].type != "string")
        ):
            raise DescriptorError(path, f"{prop}[{index}]", COMMON_FILTER_FIELDS)
        if tuple(names[1:]) in rests[names[0]]:
            raise DescriptorError(path, f"{prop}[{index}]", "a combination not listed before")
        rests[names[0]].append(tuple(names[1:]))
    return [replace(f, indexed_with=tuple(rests[f.name])) for f in fields]


def _check_csv(csv_path: Path, fields: list[FieldDef], prop: str, digest: Any) -> int:
    """Check the header against the schema and feed the file to `digest`; returns its size.

    Reads in chunks: the rows themselves are parsed only when loaded (`iter_csv_rows`).
    """
    try:
        size = csv_path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise DescriptorError(csv_path, prop, f"a CSV file under {MAX_CSV_BYTES} bytes")
        with csv_path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        with csv_path.open(encoding="utf-8-sig", newline="") as text:
            header = next(csv.reader(text), None)
    except OSError as error:
        raise DescriptorError(csv_path, prop, "an existing CSV file") from error
    except UnicodeDecodeError as error:
        raise DescriptorError(csv_path, prop, "UTF-8 text") from error
    expected = [f.name for f in fields]
    if header is None or [h.strip() for h in header] != expected:
        raise DescriptorError(
            csv_path, "header", f"the schema's field names in order: {', '.join(expected)}"
        )
    return size


class CsvRows:
    """The data lines of a CSV file, parsed one at a time (never the whole file in memory).

    Iterating yields (line number, native values) or a `BadRow`; `bytes_read` tells how far
    into the file the reader is, for progress and an ETA.
    """

    def __init__(self, csv_path: Path, fields: list[FieldDef]) -> None:
        self.csv_path = csv_path
        self.fields = fields
        self._binary: Any = None

    @property
    def bytes_read(self) -> int:
        return self._binary.tell() if self._binary is not None and not self._binary.closed else 0

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]] | BadRow]:
        fields, csv_path = self.fields, self.csv_path
        readers = [cell_reader(f) for f in fields]
        width = len(fields)
        try:
            with csv_path.open("rb") as binary:
                self._binary = binary
                text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
                reader = csv.reader(text)
                next(reader, None)
                for cells in reader:
                    line_number = reader.line_num
                    if not cells:
                        continue
                    if len(cells) != width:
                        yield BadRow(csv_path, line_number, f"{len(cells)} cells, expected {width}")
                        continue
                    try:
                        yield (
                            line_number,
                            tuple(read(cell) for read, cell in zip(readers, cells, strict=True)),
                        )
                    except ValueError as error:
                        name, problem = _cell_problem(fields, readers, cells, error)
                        yield BadRow(csv_path, line_number, problem, name)
        except UnicodeDecodeError:
            yield BadRow(csv_path, 0, "the file is not UTF-8 text")
        except csv.Error as error:
            yield BadRow(csv_path, 0, f"unreadable CSV ({error})")


def _cell_problem(
    fields: list[FieldDef], readers: list[Any], cells: list[str], error: ValueError
) -> tuple[str | None, str]:
    """Which field of a bad line failed, and what was expected there."""
    for field_def, read, cell in zip(fields, readers, cells, strict=True):
        try:
            read(cell)
        except ValueError as problem:
            return field_def.name, f"a {field_def.type} value ({problem})"
    return None, str(error)


def _read_exemptions(
    data: Mapping[str, Any], path: Path, category: str, resources: Mapping[str, list[FieldDef]]
) -> list[ExemptionDraft]:
    raw = data.get("exemptions") or []
    if not isinstance(raw, list):
        raise DescriptorError(path, "exemptions", "a list")
    drafts = []
    for index, item in enumerate(raw):
        prop = f"exemptions[{index}]"
        if not isinstance(item, Mapping):
            raise DescriptorError(path, prop, "a mapping")
        decided_on = _date(item.get("decidedOn"), path, f"{prop}.decidedOn")
        if decided_on is None:
            raise DescriptorError(path, f"{prop}.decidedOn", "a decision date (required)")
        draft = ExemptionDraft(
            scope=str(item.get("scope", "")),
            basis=str(item.get("basis", "")),
            consequence_test=str(item.get("consequenceTest") or ""),
            decided_on=decided_on,
            field=item.get("field"),
            row_filter=item.get("rowFilter"),
            decision_reference=item.get("decisionReference"),
            expires_on=_date(item.get("expiresOn"), path, f"{prop}.expiresOn"),
            public_interest=item.get("publicInterest"),
        )
        try:
            drafts.append(validate_exemption(draft, category=category, resources=resources))
        except BadUserInput as error:
            raise DescriptorError(path, f"{prop}.{error.field}", error.message_en) from error
    return drafts


def read_dataset(folder: Path, agency_slug: str, descriptor: Path) -> DatasetDescriptor:
    _refuse_symlinks(folder.parent, Path(folder.name) / descriptor.name, "(file)")
    data = _load_mapping(descriptor)
    digest = hashlib.sha256(descriptor.read_bytes())
    slug = _text(data, "name", descriptor, required=True) or ""
    if not SLUG.match(slug):
        raise DescriptorError(descriptor, "name", "a slug of a-z, 0-9 and '-' (max 119)")
    category = data.get("category")
    if category not in CATEGORIES:
        raise DescriptorError(descriptor, "category", f"one of {', '.join(CATEGORIES)}")
    licenses = data.get("licenses") or []
    if not isinstance(licenses, list) or not all(
        isinstance(item, Mapping) and isinstance(item.get("name"), str) for item in licenses
    ):
        raise DescriptorError(descriptor, "licenses", "a list of {name: ...}")
    temporal = data.get("temporal") or {}
    if not isinstance(temporal, Mapping):
        raise DescriptorError(descriptor, "temporal", "a mapping {start, end}")
    start = _year(temporal.get("start"), descriptor, "temporal.start")
    end = _year(temporal.get("end"), descriptor, "temporal.end")
    if start is not None and end is not None and end < start:
        raise DescriptorError(descriptor, "temporal.end", "a year not before temporal.start")
    raw_resources = data.get("resources")
    if not isinstance(raw_resources, list) or not raw_resources:
        raise DescriptorError(descriptor, "resources", "a non-empty list of resources")
    resources: list[ResourceDescriptor] = []
    for index, raw in enumerate(raw_resources):
        prop = f"resources[{index}]"
        if not isinstance(raw, Mapping):
            raise DescriptorError(descriptor, prop, "a mapping")
        name = raw.get("name")
        rel_path = raw.get("path")
        if not isinstance(name, str) or not SLUG.match(name.replace("_", "-")):
            raise DescriptorError(
                descriptor, f"{prop}.name", "a resource name of a-z, 0-9, - and _"
            )
        if any(r.name == name for r in resources):
            raise DescriptorError(descriptor, f"{prop}.name", "a name unique in the dataset")
        if (
            not isinstance(rel_path, str)
            or rel_path.startswith("/")
            or ".." in Path(rel_path).parts
        ):
            raise DescriptorError(descriptor, f"{prop}.path", "a relative path inside the folder")
        fmt = str(raw.get("format") or Path(rel_path).suffix.lstrip(".") or "csv").lower()
        if fmt != "csv":
            raise DescriptorError(
                descriptor, f"{prop}.format", "csv (the only tabular format read)"
            )
        fields = _read_fields(raw.get("schema"), descriptor, prop)
        _refuse_symlinks(folder, rel_path, f"{prop}.path")
        size = _check_csv(folder / rel_path, fields, f"{prop}.path", digest)
        mediatype = raw.get("mediatype")
        resources.append(
            ResourceDescriptor(
                name,
                rel_path,
                fmt,
                mediatype if isinstance(mediatype, str) else "text/csv",
                fields,
                folder / rel_path,
                size,
                *(_resource_title(raw, key, descriptor, prop) for key in ("title", "title_en")),
            )
        )
    exemptions = _read_exemptions(
        data, descriptor, str(category), {r.name: r.fields for r in resources}
    )
    return DatasetDescriptor(
        slug=slug,
        agency_slug=agency_slug,
        title=_text(data, "title", descriptor, required=True) or "",
        title_en=_text(data, "title_en", descriptor),
        description=_text(data, "description", descriptor) or "",
        description_en=_text(data, "description_en", descriptor),
        keywords=_strings(data, "keywords", descriptor),
        topics=_strings(data, "topics", descriptor),
        license=", ".join(item["name"] for item in licenses),
        category=str(category),
        modified=_date(data.get("modified"), descriptor, "modified"),
        temporal_start=start,
        temporal_end=end if end is not None else start,
        exemptions=exemptions,
        resources=resources,
        source_path=str(descriptor),
        content_hash=digest.hexdigest(),
        minimum_cell_size=_minimum_cell_size(data.get("minimumCellSize"), descriptor),
        contact=_contact(data.get("contact"), descriptor),
        quasi_identifiers=_quasi_identifiers(data, descriptor, resources),
        source=_source(data.get("source"), descriptor, [r.name for r in resources]),
        publication_mode=_choice(data, "publicationMode", PublicationMode, descriptor)
        or PublicationMode.ROWS.value,
        update_frequency=_choice(data, "updateFrequency", UpdateFrequency, descriptor),
    )


def _contact(value: Any, path: Path) -> dict[str, str] | None:
    """`contact` (ours, optional): {name, email} of whoever answers for the data."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(item, str) for item in value.values()
    ):
        raise DescriptorError(path, "contact", "a mapping {name, email} of strings")
    return {str(key): item.strip() for key, item in value.items() if item.strip()}


def _quasi_identifiers(
    data: Mapping[str, Any], path: Path, resources: list[ResourceDescriptor]
) -> tuple[str, ...]:
    """`quasiIdentifiers` (ours, optional): field names of the dataset's resources."""
    names = _strings(data, "quasiIdentifiers", path)
    known = {f.name for r in resources for f in r.fields}
    for name in names:
        if name not in known:
            raise DescriptorError(path, "quasiIdentifiers", f"field names ({name!r} is none)")
    return tuple(dict.fromkeys(names))


def _source(value: Any, path: Path, resources: list[str]) -> SourceSpec | None:
    """`source` (ours, optional): see opendata/catalogue/sources.py."""
    try:
        spec = read_source(value)
    except ValueError as error:
        raise DescriptorError(path, "source", str(error)) from error
    if spec is not None and filled_resource(spec, resources) is None:
        raise DescriptorError(path, "source.resource", f"one of {', '.join(resources)}")
    return spec


def _choice(data: Mapping[str, Any], key: str, words: type[StrEnum], path: Path) -> str | None:
    """One of the words of an enum (`publicationMode`, `updateFrequency`), or None if absent."""
    value = data.get(key)
    if value is None or value == "":
        return None
    allowed = [word.value for word in words]
    if value not in allowed:
        raise DescriptorError(path, key, "one of " + ", ".join(allowed))
    return str(value)


MAX_MINIMUM_CELL_SIZE = 1000


def _minimum_cell_size(value: Any, path: Path) -> int | None:
    """`minimumCellSize` (ours, optional): see opendata/visibility/disclosure_control.py."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DescriptorError(path, "minimumCellSize", "an integer from 1 to 1000")
    if not 1 <= value <= MAX_MINIMUM_CELL_SIZE:
        raise DescriptorError(path, "minimumCellSize", "an integer from 1 to 1000")
    return value


def _dataset_descriptors(agency_folder: Path) -> Iterator[tuple[Path, Path]]:
    for folder in sorted(p for p in agency_folder.iterdir() if p.is_dir()):
        descriptor = next(
            (
                folder / n
                for n in DESCRIPTOR_NAMES
                if (folder / n).is_file() or (folder / n).is_symlink()
            ),
            None,
        )
        if descriptor is not None:
            yield folder, descriptor


def _slug_hint(descriptor: Path) -> str | None:
    """The slug a broken descriptor meant, so the loader keeps its stored version."""
    if descriptor.is_symlink():
        return None
    try:
        data = _load_mapping(descriptor)
    except DescriptorError:
        return None
    name = data.get("name")
    return name if isinstance(name, str) else None


def read_catalog(root: Path) -> CatalogRead:
    """Read every agency and dataset under `root`; refusals are collected, never raised."""
    result = CatalogRead()
    if not root.is_dir():
        result.refusals.append(Refusal(str(root), "(folder)", "an existing catalogue folder"))
        return result
    seen: dict[str, str] = {}
    for agency_folder in sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        if not (agency_folder / "agency.yaml").is_file() and not agency_folder.is_symlink():
            continue
        try:
            agency = read_agency(agency_folder)
        except DescriptorError as error:
            result.refusals.append(error.refusal())
            result.refused_agencies.add(agency_folder.name)
            continue
        result.agencies.append(agency)
        for folder, descriptor in _dataset_descriptors(agency_folder):
            try:
                dataset = read_dataset(folder, agency.slug, descriptor)
                if dataset.slug in seen:
                    raise DescriptorError(
                        descriptor,
                        "name",
                        f"a slug unique in the catalogue (also in {seen[dataset.slug]})",
                    )
            except DescriptorError as error:
                result.refusals.append(error.refusal())
                hint = _slug_hint(descriptor)
                if hint:
                    result.refused_slugs.add(hint)
                continue
            seen[dataset.slug] = str(descriptor)
            result.datasets.append(dataset)
    return result
