"""PERSONAL_DATA: columns holding NIKs, phone numbers, e-mail addresses or people's names.

Such a column is personal data (UU 27/2022 PDP; exempt under UU 14/2008 Pasal 17 huruf h)
and blocks publication until the PPID withholds it (an exemption: `withheld_fields`) or the
walidata records why it is not personal data (`accepted`). Messages name the column and a
line, never a value.

How a column is judged (each distinct value judged once; a flagged column is skipped):
- NIK: any value that is a valid NIK (`nik.is_nik`): the shape is specific enough.
- e-mail: any value shaped like an address.
- phone: at least half of the non-empty values are Indonesian phone numbers.
- name: the column's name says it holds people (nama, pemilik, penerima, ...; not nama_desa,
  nama_sekolah, ...) and at least half of the values look like a person's name and are not
  an official place name (a column of villages called `nama` is not flagged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from opendata.catalogue.reader import DatasetDescriptor, ResourceDescriptor
from opendata.publishing.checks.kinds import CheckContext, CheckKind, CheckResult
from opendata.publishing.checks.nik import is_nik
from opendata.publishing.checks.wilayah import normal_name, place_names

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Mobile 08xx / +628xx / 628xx, or a landline with its area code (0561 ...), separators allowed.
PHONE = re.compile(r"(?:\+?62|0)(?:8[1-9]\d{6,10}|[2-7]\d{7,10})")
PHONE_SEPARATORS = re.compile(r"[\s().-]")
PERSON_WORDS = {
    "nama", "name", "pemilik", "penerima", "pemohon", "pelapor", "responden", "pasien",
    "penduduk", "warga", "kepala", "ayah", "ibu", "anak", "suami", "istri", "siswa",
    "peserta", "penanggung", "pengusaha", "petugas", "karyawan", "pegawai", "lengkap",
}  # fmt: skip
NOT_PERSON_WORDS = {
    "desa", "kelurahan", "kecamatan", "kabupaten", "kota", "provinsi", "wilayah", "dusun",
    "jalan", "jln", "sekolah", "usaha", "toko", "produk", "barang", "instansi", "dinas",
    "opd", "kantor", "unit", "kegiatan", "program", "jenis", "kategori", "puskesmas",
    "rumah", "sakit", "faskes", "kelompok", "koperasi", "perusahaan", "lembaga", "bank",
    "pasar", "tempat", "lokasi", "obat", "penyakit", "komoditas", "dataset", "file",
}  # fmt: skip
NAME_VALUE = re.compile(r"[A-Za-z][A-Za-z'.-]*(?: [A-Za-z][A-Za-z'.-]*){1,4}")
ORGANISATION_WORDS = NOT_PERSON_WORDS | {
    "sd", "smp", "sma", "smk", "mi", "mts", "ma", "pt", "cv", "ud", "masjid", "gereja",
    "sungai", "pulau", "parit", "kuala", "teluk", "tanjung", "dan", "di", "the",
}  # fmt: skip
# Verdicts remembered per column: most columns repeat a few values over many lines.
REMEMBERED = 10_000
# A value's verdict, as bits: a phone number, a person's name; EMPTY is not counted.
PHONE_BIT, NAME_BIT, EMPTY = 1, 2, -1


def _column_words(name: str) -> set[str]:
    return set(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def is_person_column(name: str) -> bool:
    words = _column_words(name)
    return bool(words & PERSON_WORDS) and not words & NOT_PERSON_WORDS


def is_phone(text: str) -> bool:
    return PHONE.fullmatch(PHONE_SEPARATORS.sub("", text)) is not None


def is_person_name(text: str) -> bool:
    """Two to five words of letters, none an organisation word, and not a place's name."""
    if NAME_VALUE.fullmatch(text) is None:
        return False
    words = text.lower().replace(".", " ").split()
    if any(word in ORGANISATION_WORDS for word in words):
        return False
    return normal_name(text) not in place_names()


@dataclass
class _Column:
    index: int
    name: str
    person: bool
    seen: int = 0  # non-empty values
    phones: int = 0
    names: int = 0
    found: str | None = None  # what it holds, once flagged
    line: int = 0
    first_phone: int = 0
    first_name: int = 0
    # value -> verdict bits, for values already judged
    verdicts: dict[Any, int] = field(default_factory=dict)


# what it holds: (Indonesian, English)
HOLDS = {
    "nik": ("NIK", "national identity numbers (NIK)"),
    "email": ("alamat surel", "e-mail addresses"),
    "phone": ("nomor telepon", "phone numbers"),
    "name": ("nama orang", "people's names"),
}


class PersonalDataScan:
    def __init__(
        self, resource: ResourceDescriptor, columns: list[_Column], context: CheckContext
    ) -> None:
        self.resource = resource
        self.columns = columns
        self.context = context
        self.open = list(columns)  # columns not flagged yet

    def add(self, line: int, values: tuple[Any, ...]) -> None:
        flagged = False
        for column in self.open:
            value = values[column.index]
            if value is None:
                continue
            verdict = column.verdicts.get(value)
            if verdict is None:
                verdict = self._first_sight(column, value, line)
                if column.found is not None:
                    flagged = True
                    continue
            if verdict == EMPTY:
                continue
            column.seen += 1
            if verdict:
                if verdict & PHONE_BIT:
                    column.phones += 1
                    column.first_phone = column.first_phone or line
                if verdict & NAME_BIT:
                    column.names += 1
                    column.first_name = column.first_name or line
        if flagged:
            self.open = [c for c in self.open if c.found is None]

    def _first_sight(self, column: _Column, value: Any, line: int) -> int:
        """The verdict on a value not judged before (a NIK or an address flags at once)."""
        text = str(value).strip()
        if not text:
            verdict = EMPTY
        elif len(text) >= 16 and is_nik(text):
            column.found, column.line = "nik", line
            return EMPTY
        elif "@" in text and EMAIL.fullmatch(text):
            column.found, column.line = "email", line
            return EMPTY
        else:
            verdict = (PHONE_BIT if text[0] in "+06(" and is_phone(text) else 0) | (
                NAME_BIT if column.person and is_person_name(text) else 0
            )
        if len(column.verdicts) < REMEMBERED:
            column.verdicts[value] = verdict
        return verdict

    def results(self) -> list[CheckResult]:
        for column in self.open:
            if column.seen and column.phones * 2 >= column.seen:
                column.found, column.line = "phone", column.first_phone
            elif column.seen and column.person and column.names * 2 >= column.seen:
                column.found, column.line = "name", column.first_name
        return [self._result(c) for c in self.columns if c.found is not None]

    def _result(self, column: _Column) -> CheckResult:
        resource, name = self.resource.name, column.name
        what_id, what_en = HOLDS[column.found or "nik"]
        if name in self.context.withheld_fields:
            return CheckResult(
                CheckKind.PERSONAL_DATA,
                True,
                True,
                name,
                f"Kolom '{name}' di '{resource}' memuat {what_id}, dan dikecualikan PPID.",
                f"Field '{name}' of '{resource}' holds {what_en} and is withheld by the PPID.",
                resource,
            )
        return CheckResult(
            CheckKind.PERSONAL_DATA,
            False,
            True,
            name,
            f"Kolom '{name}' di '{resource}' memuat {what_id} (data pribadi; pertama di baris "
            f"{column.line}). Tidak dapat terbit sampai PPID mengecualikannya (Pasal 17) atau "
            "walidata mencatat mengapa ini bukan data pribadi.",
            f"Field '{name}' of '{resource}' holds {what_en} (personal data; first on line "
            f"{column.line}). It cannot be published until the PPID withholds it (Pasal 17) "
            "or the data steward records why it is not personal data.",
            resource,
        )


# a NIK or a phone number may also be typed as a number
SCREENED_TYPES = ("string", "integer")


def scan(
    descriptor: DatasetDescriptor, resource: ResourceDescriptor, context: CheckContext
) -> PersonalDataScan | None:
    columns = [
        _Column(index, f.name, is_person_column(f.name))
        for index, f in enumerate(resource.fields)
        if f.type in SCREENED_TYPES
    ]
    return PersonalDataScan(resource, columns, context) if columns else None
