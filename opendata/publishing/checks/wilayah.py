"""The official area codes (kode wilayah, Kepmendagri 300.2.2-2138/2025): see data/SOURCE.md.

Kubu Raya's kecamatan and desa for the AREA_CODES check; every province and regency for
the region part of a NIK; the place names, so a column of villages is not taken for a
column of people's names.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
REGENCY = "61.12"
# Written forms that mean the same place: "Sei." for "Sungai", prefixes naming the level.
_ABBREVIATIONS = (("sei", "sungai"), ("sui", "sungai"), ("kel", "kelurahan"))
_LEVEL_WORDS = ("desa", "kelurahan", "kecamatan", "kabupaten", "kota")


@lru_cache(maxsize=65536)
def normal_name(text: str) -> str:
    """Lower case, punctuation as spaces, abbreviations spelled out, level word dropped."""
    words = re.sub(r"[^0-9a-z]+", " ", text.lower()).split()
    words = [dict(_ABBREVIATIONS).get(word, word) for word in words]
    while len(words) > 1 and words[0] in _LEVEL_WORDS:
        words = words[1:]
    return " ".join(words)


def normal_code(text: str) -> str | None:
    """'611201', '61.12.01' or '61 12 01 2001' as the dotted Kemendagri form, else None."""
    digits = re.sub(r"[\s.]", "", text)
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 10):
        return None
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(part for part in parts if part)


@dataclass(frozen=True)
class Area:
    code: str
    name: str

    @property
    def kecamatan_code(self) -> str:
        return self.code[:8]


@dataclass(frozen=True)
class RegencyAreas:
    """One regency's kecamatan and desa, by code and by normal name."""

    kecamatan: dict[str, Area]
    desa: dict[str, Area]
    kecamatan_by_name: dict[str, Area]
    desa_by_name: dict[str, list[Area]]

    def nearest(self, name: str, level: str) -> str | None:
        """The official name closest to `name` at a level ('kecamatan' or 'desa')."""
        table = self.kecamatan if level == "kecamatan" else self.desa
        names = {normal_name(a.name): a.name for a in table.values()}
        found = difflib.get_close_matches(normal_name(name), list(names), n=1, cutoff=0.6)
        return names[found[0]] if found else None


def _rows(name: str) -> list[tuple[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(code, area) for code, area in reader]


@cache
def kubu_raya() -> RegencyAreas:
    kecamatan: dict[str, Area] = {}
    desa: dict[str, Area] = {}
    for code, name in _rows("kubu_raya.csv"):
        (kecamatan if len(code) == 8 else desa)[code] = Area(code, name)
    by_name: dict[str, list[Area]] = {}
    for area in desa.values():
        by_name.setdefault(normal_name(area.name), []).append(area)
    return RegencyAreas(
        kecamatan, desa, {normal_name(a.name): a for a in kecamatan.values()}, by_name
    )


@cache
def region_codes() -> frozenset[str]:
    """Province ('61') and regency ('6112') codes, undotted, as the first digits of a NIK."""
    return frozenset(code.replace(".", "") for code, _ in _rows("kabupaten_kota.csv"))


@cache
def place_names() -> frozenset[str]:
    """Normal names of Kubu Raya's kecamatan and desa and of every regency and city."""
    areas = kubu_raya()
    names = {normal_name(a.name) for a in (*areas.kecamatan.values(), *areas.desa.values())}
    names.update(normal_name(name) for _, name in _rows("kabupaten_kota.csv"))
    return frozenset(names)
