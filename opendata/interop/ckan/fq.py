"""CKAN's `fq` (a Solr filter query) translated from a whitelisted subset into our filters.

Accepted: `field:value` and `field:"quoted value"` terms, optionally prefixed with `+`,
joined by spaces or `AND`; fields `organization`, `groups`, `res_format`, `tags`,
`license_id`, and `dataset_type:dataset` (what ckanext-harvest adds). Everything else
(OR, NOT, ranges, wildcards, other fields) is refused with a message, never passed on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opendata.catalogue.queries import DatasetFilter
from opendata.interop.ckan.errors import invalid

_TERM = re.compile(r'\+?([a-z_]+):(?:"([^"\\]*)"|([^\s"()\[\]{}*?~^\\]+))(?=\s|$)')
# Fields a dataset has one value of at most, or several: a repeated term means "all of them".
FILTER_FIELDS = ("organization", "groups", "res_format", "tags", "license_id", "dataset_type")


@dataclass(frozen=True)
class PackageFilter:
    """The domain filter, plus what only the CKAN door filters on (keywords, licence)."""

    domain: DatasetFilter = field(default_factory=DatasetFilter)
    tags: tuple[str, ...] = ()
    license_id: str | None = None

    @property
    def needs_post_filter(self) -> bool:
        return bool(self.tags) or self.license_id is not None


def _refuse(detail_id: str, detail_en: str) -> Exception:
    return invalid(
        "fq",
        f"`fq` tidak didukung: {detail_id}. Pakai organization:, groups:, res_format:, tags: "
        "atau license_id:, digabung dengan spasi atau AND.",
        f"Unsupported `fq`: {detail_en}. Use organization:, groups:, res_format:, tags: or "
        "license_id: terms joined by spaces or AND.",
    )


def parse_fq(text: str | None) -> PackageFilter:
    values: dict[str, list[str]] = {}
    position = 0
    source = (text or "").strip()
    while position < len(source):
        if source[position].isspace():
            position += 1
            continue
        if source.startswith("AND ", position):
            position += 4
            continue
        match = _TERM.match(source, position)
        if match is None:
            shown = source[position : position + 40]
            raise _refuse(f"tidak dapat membaca '{shown}'", f"cannot read '{shown}'")
        name, value = (
            match.group(1),
            match.group(2) if match.group(2) is not None else match.group(3),
        )
        if name not in FILTER_FIELDS:
            raise _refuse(f"kolom '{name}'", f"field '{name}'")
        values.setdefault(name, []).append(value)
        position = match.end()
    for name in ("organization", "groups", "res_format", "license_id"):
        if len(set(values.get(name, []))) > 1:
            raise _refuse(f"'{name}' lebih dari satu nilai", f"more than one '{name}' value")
    if any(value != "dataset" for value in values.get("dataset_type", [])):
        raise _refuse("hanya dataset_type:dataset", "only dataset_type:dataset exists")
    license_values = values.get("license_id", [])
    return PackageFilter(
        domain=DatasetFilter(
            agencies=tuple(values.get("organization", [])[:1]),
            topics=tuple(values.get("groups", [])[:1]),
            formats=tuple(values.get("res_format", [])[:1]),
        ),
        tags=tuple(dict.fromkeys(values.get("tags", []))),
        license_id=license_values[0] if license_values else None,
    )
