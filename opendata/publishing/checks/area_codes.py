"""AREA_CODES: kecamatan, desa and area codes match Kemendagri's list for Kubu Raya (61.12).

A field is an area field by its name (kecamatan, desa/kelurahan, kode_wilayah, ...) or by
its `areaLevel` property. Unknown names are reported with the nearest official name.
Decision: NOT blocking. A misspelt village does not harm anyone, and a dataset may hold
areas outside the regency on purpose; the walidata sees it and may return the version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from opendata.catalogue.reader import DatasetDescriptor, ResourceDescriptor
from opendata.publishing.checks.kinds import (
    LINES_NAMED,
    CheckContext,
    CheckKind,
    CheckResult,
    lines_text,
)
from opendata.publishing.checks.wilayah import REGENCY, kubu_raya, normal_code, normal_name

NAMES_BY_LEVEL = {
    "kecamatan": {"kecamatan", "nama_kecamatan", "nm_kecamatan", "kec"},
    "desa": {
        "desa",
        "kelurahan",
        "desa_kelurahan",
        "nama_desa",
        "nama_kelurahan",
        "nama_desa_kelurahan",
        "desa_kel",
        "kel_desa",
    },
    "code": {
        "kode_wilayah",
        "kode_kemendagri",
        "kode_kecamatan",
        "kode_kec",
        "kode_desa",
        "kode_kelurahan",
        "kode_desa_kelurahan",
        "kode_kel",
    },
}
# Unknown values named in a message (each with its nearest official name).
VALUES_NAMED = 5
# Verdicts remembered per scan: area columns repeat a few values over many lines.
REMEMBERED = 100_000


def area_level(name: str, declared: str | None) -> str | None:
    """'kecamatan', 'desa' or 'code' for an area field, None for any other."""
    if declared:
        return declared
    key = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
    return next((level for level, names in NAMES_BY_LEVEL.items() if key in names), None)


@dataclass
class _Unknown:
    values: dict[str, str | None] = field(default_factory=dict)  # value -> nearest official
    lines: list[int] = field(default_factory=list)
    total: int = 0


class AreaScan:
    def __init__(self, resource: ResourceDescriptor, fields: list[tuple[int, str, str]]) -> None:
        self.resource = resource
        self.fields = fields  # (index, field name, level)
        self.unknown: dict[str, _Unknown] = {name: _Unknown() for _, name, _ in fields}
        self.areas = kubu_raya()
        self.kecamatan_index = next((i for i, _, lv in fields if lv == "kecamatan"), None)
        self.verdicts: dict[tuple[str, str, Any], bool] = {}

    def add(self, line: int, values: tuple[Any, ...]) -> None:
        for index, name, level in self.fields:
            value = values[index]
            if value is None or str(value).strip() == "":
                continue
            text = str(value).strip()
            kecamatan = None if self.kecamatan_index is None else values[self.kecamatan_index]
            verdict_key = (level, text, kecamatan if level == "desa" else None)
            known = self.verdicts.get(verdict_key)
            if known is None:
                known = self._known(text, level, kecamatan)
                if len(self.verdicts) < REMEMBERED:
                    self.verdicts[verdict_key] = known
            if not known:
                found = self.unknown[name]
                found.total += 1
                if len(found.lines) < LINES_NAMED:
                    found.lines.append(line)
                if text not in found.values and len(found.values) < VALUES_NAMED:
                    found.values[text] = (
                        None if level == "code" else self.areas.nearest(text, level)
                    )

    def _known(self, text: str, level: str, kecamatan_value: Any) -> bool:
        areas = self.areas
        if level == "code":
            code = normal_code(text)
            return code is not None and (
                code == REGENCY or code in areas.kecamatan or code in areas.desa
            )
        if level == "kecamatan":
            return normal_name(text) in areas.kecamatan_by_name
        candidates = areas.desa_by_name.get(normal_name(text))
        if not candidates:
            return False
        if kecamatan_value is None:
            return True
        kecamatan = areas.kecamatan_by_name.get(normal_name(str(kecamatan_value)))
        # a desa of another kecamatan is wrong; an unknown kecamatan is reported on its own
        return kecamatan is None or any(a.kecamatan_code == kecamatan.code for a in candidates)

    def results(self) -> list[CheckResult]:
        return [self._result(name, level) for _, name, level in self.fields]

    def _result(self, name: str, level: str) -> CheckResult:
        resource = self.resource.name
        found = self.unknown[name]
        if not found.total:
            return CheckResult(
                CheckKind.AREA_CODES,
                True,
                False,
                name,
                f"Kolom '{name}' di '{resource}' sesuai kode wilayah Kemendagri (Kubu Raya).",
                f"Field '{name}' of '{resource}' matches Kemendagri's area codes (Kubu Raya).",
                resource,
            )
        where_id, where_en = lines_text(found.lines, found.total)
        listed_id = "; ".join(
            f"'{v}'" + (f" (maksud Anda '{near}'?)" if near else "")
            for v, near in found.values.items()
        )
        listed_en = "; ".join(
            f"'{v}'" + (f" (did you mean '{near}'?)" if near else "")
            for v, near in found.values.items()
        )
        what_id = "kode" if level == "code" else f"nama {level}"
        what_en = "code" if level == "code" else f"{level} name"
        return CheckResult(
            CheckKind.AREA_CODES,
            False,
            False,
            name,
            f"Kolom '{name}' di '{resource}': {found.total} {what_id} tidak ada dalam daftar "
            f"resmi Kemendagri untuk Kubu Raya ({where_id}): {listed_id}.",
            f"Field '{name}' of '{resource}': {found.total} {what_en}(s) not in Kemendagri's "
            f"official list for Kubu Raya ({where_en}): {listed_en}.",
            resource,
        )


def scan(
    descriptor: DatasetDescriptor, resource: ResourceDescriptor, context: CheckContext
) -> AreaScan | None:
    """A scan over the resource's area fields; None when it has none."""
    fields = [
        (index, f.name, level)
        for index, f in enumerate(resource.fields)
        if (level := area_level(f.name, f.area_level)) is not None
    ]
    return AreaScan(resource, fields) if fields else None
