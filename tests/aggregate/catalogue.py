"""A small catalogue for aggregate tests: a public budget table and a register of reports
holding personal data (a 17h FIELD exemption and a ROW exemption), with uneven group sizes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.catalogue.builders import write_agency, write_dataset

KECAMATAN = ["Kubu", "Rasau Jaya", "Sungai Kakap", "Sungai Raya", "Teluk Pakedai"]
KATEGORI = ["jalan rusak", "sampah", "warga sakit"]
STATUS = ["selesai", "proses", "dalam penyelidikan"]

PERSONAL = {
    "scope": "FIELD",
    "field": "pelapor",
    "basis": "PASAL_17H",
    "consequenceTest": "Nama pelapor adalah data pribadi.",
    "decidedOn": "2025-01-01",
    "expiresOn": None,
}
UNDER_INVESTIGATION = {
    "scope": "ROW",
    "rowFilter": {"status": "dalam penyelidikan"},
    "basis": "PASAL_17A",
    "consequenceTest": "Laporan dalam penyelidikan.",
    "decidedOn": "2025-01-01",
    "expiresOn": "2099-12-31",
}
WITHHELD_WHOLE = {
    "scope": "DATASET",
    "basis": "PASAL_17I",
    "consequenceTest": "Memorandum internal.",
    "decidedOn": "2025-01-01",
}


def resource(name: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "name": name,
        "path": "kasus.csv",
        "format": "csv",
        "schema": {"fields": [{"name": n, "type": t} for n, t in fields]},
    }


LAPORAN_FIELDS = [
    ("tanggal", "date"),
    ("kecamatan", "string"),
    ("kategori", "string"),
    ("status", "string"),
    ("biaya", "integer"),
    ("pelapor", "string"),
]
ANGGARAN_FIELDS = [
    ("tahun", "integer"),
    ("opd", "string"),
    ("anggaran", "integer"),
    ("realisasi", "number"),
]


def laporan_csv(seed: int = 7, count: int = 160) -> str:
    """Skewed sizes: Sungai Raya gets many reports, Teluk Pakedai very few."""
    generator = random.Random(seed)
    weights = [6, 4, 8, 20, 1]
    lines = ["tanggal,kecamatan,kategori,status,biaya,pelapor"]
    for index in range(count):
        day = date(2024, 1, 1) + timedelta(days=generator.randrange(700))
        kecamatan = generator.choices(KECAMATAN, weights)[0]
        kategori = generator.choices(KATEGORI, [5, 3, 1])[0]
        status = generator.choices(STATUS, [6, 3, 1])[0]
        biaya = "" if index % 17 == 0 else str(generator.randrange(1000, 90000))
        lines.append(f"{day},{kecamatan},{kategori},{status},{biaya},Warga {index}")
    return "\n".join(lines) + "\n"


def anggaran_csv() -> str:
    generator = random.Random(3)
    lines = ["tahun,opd,anggaran,realisasi"]
    for tahun in (2023, 2024, 2025):
        for opd in ("Dinkes", "BPBD", "Bappeda", "Diskominfo"):
            anggaran = generator.randrange(10**9, 10**11)
            lines.append(f"{tahun},{opd},{anggaran},{round(anggaran * generator.random(), 2)}")
    lines.append("2025,Dinsos,,")
    return "\n".join(lines) + "\n"


def write_catalogue(
    root: Path,
    *,
    laporan_exemptions: list[dict[str, Any]] | None = None,
    minimum_cell_size: int | None = None,
    anggaran_exemptions: list[dict[str, Any]] | None = None,
    laporan_mode: str | None = None,
) -> Path:
    write_agency(root, "diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo")
    extra: dict[str, Any] = {}
    if minimum_cell_size is not None:
        extra["minimumCellSize"] = minimum_cell_size
    if laporan_mode is not None:
        extra["publicationMode"] = laporan_mode
    write_dataset(
        root,
        "diskominfo",
        "laporan-warga",
        csv_text=laporan_csv(),
        category="ON_REQUEST",
        resources=[resource("laporan", LAPORAN_FIELDS)],
        exemptions=[PERSONAL, UNDER_INVESTIGATION]
        if laporan_exemptions is None
        else laporan_exemptions,
        **extra,
    )
    write_dataset(
        root,
        "diskominfo",
        "anggaran",
        csv_text=anggaran_csv(),
        resources=[resource("realisasi", ANGGARAN_FIELDS)],
        exemptions=anggaran_exemptions or [],
    )
    write_dataset(
        root,
        "diskominfo",
        "memo",
        csv_text=anggaran_csv(),
        category="ON_REQUEST",
        resources=[resource("realisasi", ANGGARAN_FIELDS)],
        exemptions=[WITHHELD_WHOLE],
    )
    return root
