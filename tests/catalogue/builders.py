"""Writing small catalogue folders for tests, one property at a time."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

BASE_DATASET: dict[str, Any] = {
    "title": "Kasus Demam Berdarah per Kecamatan",
    "title_en": "Dengue cases by district",
    "description": "Data sintetis untuk pengujian.",
    "keywords": ["dbd", "dengue"],
    "topics": ["kesehatan"],
    "licenses": [{"name": "CC-BY-4.0"}],
    "category": "PERIODIC",
    "modified": "2025-06-30",
    "temporal": {"start": 2023, "end": 2024},
    "resources": [
        {
            "name": "kasus",
            "path": "kasus.csv",
            "format": "csv",
            "schema": {
                "fields": [
                    {"name": "kecamatan", "type": "string", "title": "Kecamatan"},
                    {"name": "tahun", "type": "integer", "title": "Tahun"},
                    {"name": "kasus", "type": "integer", "title": "Jumlah kasus"},
                    {"name": "nik", "type": "string", "title": "NIK pelapor"},
                    {"name": "status", "type": "string", "title": "Status"},
                ]
            },
        }
    ],
}

BASE_ROWS = (
    "kecamatan,tahun,kasus,nik,status\n"
    "Sungai Kakap,2023,12,6112000000000001,terbuka\n"
    "Sungai Raya,2024,7,6112000000000002,dalam penyelidikan\n"
    "Kubu,2024,,6112000000000003,terbuka\n"
    "Rasau Jaya,2023,4,6112000000000004,terbuka\n"
)


def write_agency(root: Path, slug: str, name: str, acronym: str) -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agency.yaml").write_text(yaml.safe_dump({"name": name, "acronym": acronym}))
    return folder


def write_dataset(
    root: Path,
    agency: str,
    slug: str,
    *,
    csv_text: str = BASE_ROWS,
    **overrides: Any,
) -> Path:
    descriptor = copy.deepcopy(BASE_DATASET)
    descriptor["name"] = slug
    for key, value in overrides.items():
        if value is None:
            descriptor.pop(key, None)
        else:
            descriptor[key] = value
    folder = root / agency / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False))
    (folder / "kasus.csv").write_text(csv_text)
    return folder


NIK_EXEMPTION = {
    "scope": "FIELD",
    "field": "nik",
    "basis": "PASAL_17H",
    "consequenceTest": "Membuka NIK mengungkap rahasia pribadi.",
    "decisionReference": "SK PPID No. 1/2025",
    "decidedOn": "2025-02-01",
    "expiresOn": None,
}
ROW_EXEMPTION = {
    "scope": "ROW",
    "rowFilter": {"status": "dalam penyelidikan"},
    "basis": "PASAL_17A",
    "consequenceTest": "Membuka kasus dalam penyelidikan menghambat penegakan hukum.",
    "decidedOn": "2025-02-01",
    "expiresOn": "2099-12-31",
}


def small_catalog(root: Path) -> Path:
    """Two agencies, three datasets; one with a FIELD and a ROW exemption."""
    write_agency(root, "dinkes", "Dinas Kesehatan Kabupaten Kubu Raya", "Dinkes")
    write_agency(root, "bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD")
    write_dataset(root, "dinkes", "kasus-dbd", exemptions=[NIK_EXEMPTION, ROW_EXEMPTION])
    write_dataset(
        root,
        "dinkes",
        "imunisasi-dasar",
        title="Cakupan Imunisasi Dasar",
        title_en="Basic immunisation coverage",
        modified="2026-01-15",
        temporal={"start": 2025, "end": 2025},
    )
    write_dataset(
        root,
        "bpbd",
        "kejadian-banjir",
        title="Kejadian Banjir",
        title_en="Flood events",
        topics=["kebencanaan"],
        category="IMMEDIATE",
        modified="2024-03-01",
        temporal={"start": 2024, "end": 2024},
    )
    return root


async def stored_row_count(services: Any) -> int:
    """Rows in every live resource's typed table, counted in the tables themselves."""
    from sqlalchemy import func, select, text

    from opendata.db.models import Resource

    total = 0
    async with services.database.session() as session:
        for name in await session.scalars(select(Resource.row_table)):
            total += int(await session.scalar(select(func.count()).select_from(text(f'"{name}"'))))
    return total
