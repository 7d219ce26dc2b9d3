"""A small catalogue inserted through the models, for the search behaviour tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.changes import record_catalogue_change
from opendata.catalogue.row_load import store_rows
from opendata.db.base import utcnow
from opendata.db.models import Agency, Dataset, Exemption, Resource
from opendata.services import Services

NIK = "6112010101900001"

AGENCIES = [
    ("dinkes", "Dinas Kesehatan", "DINKES"),
    ("dishub", "Dinas Perhubungan", "DISHUB"),
    ("dinsos", "Dinas Sosial", "DINSOS"),
    ("disdik", "Dinas Pendidikan dan Kebudayaan", "DISDIK"),
]

DATASETS: list[dict[str, Any]] = [
    {
        "slug": "tenaga-kesehatan-puskesmas",
        "agency": "dinkes",
        "title": "Jumlah Tenaga Kesehatan per Puskesmas",
        "title_en": "Number of health workers per community health centre",
        "description": "Jumlah dokter, perawat dan bidan di setiap puskesmas kabupaten.",
        "keywords": ["tenaga kesehatan", "puskesmas"],
        "topics": ["kesehatan"],
        "modified": date(2024, 3, 1),
        "years": (2022, 2023),
        "resources": [
            (
                "csv",
                [
                    ("kecamatan", "string", "Kecamatan"),
                    ("puskesmas", "string", "Puskesmas"),
                    ("jumlah", "integer", "Jumlah"),
                ],
                [
                    {"kecamatan": "Sungai Kakap", "puskesmas": "Puskesmas Kakap", "jumlah": 31},
                    {"kecamatan": "Rasau Jaya", "puskesmas": "Puskesmas Rasau", "jumlah": 18},
                ],
            )
        ],
    },
    {
        "slug": "cakupan-imunisasi",
        "agency": "dinkes",
        "title": "Cakupan Imunisasi Dasar Lengkap",
        "title_en": "Complete basic immunisation coverage",
        "description": "Program yang menyehatkan balita: persentase bayi yang diimunisasi.",
        "keywords": ["imunisasi", "balita"],
        "topics": ["kesehatan"],
        "modified": date(2023, 6, 1),
        "years": (2023, 2023),
        "resources": [("xlsx", [("desa", "string", "Desa")], [{"desa": "Kuala Dua"}])],
    },
    {
        "slug": "kondisi-jalan-kabupaten",
        "agency": "dishub",
        "title": "Kondisi Jalan Kabupaten",
        "title_en": "District road condition",
        "description": "Panjang ruas jalan menurut kondisi: baik, sedang, rusak.",
        "keywords": ["jalan", "infrastruktur"],
        "topics": ["infrastruktur"],
        "modified": date(2024, 1, 15),
        "years": (2021, 2023),
        "resources": [
            (
                "csv",
                [("ruas_jalan", "string", "Ruas jalan"), ("kecamatan", "string", "Kecamatan")],
                [{"ruas_jalan": "Jalan Adisucipto", "kecamatan": "Sungai Raya"}],
            )
        ],
    },
    {
        "slug": "penerima-bantuan-sosial",
        "agency": "dinsos",
        "title": "Penerima Bantuan Sosial",
        "title_en": "Social assistance recipients",
        "description": "Daftar penerima bantuan sosial tunai per desa.",
        "keywords": ["bansos"],
        "topics": ["sosial"],
        "modified": None,
        "years": (2023, 2023),
        "resources": [
            (
                "csv",
                [
                    ("nik", "string", "NIK"),
                    ("nama", "string", "Nama"),
                    ("desa", "string", "Desa"),
                    ("status", "string", "Status"),
                ],
                [
                    {
                        "nik": NIK,
                        "nama": "Siti Aminah",
                        "desa": "Punggur Besar",
                        "status": "terbuka",
                    },
                    {
                        "nik": "6112010101900002",
                        "nama": "Rahmat",
                        "desa": "Desa Rahasiawan",
                        "status": "rahasia",
                    },
                ],
            )
        ],
        "exemptions": [
            ("FIELD", "nik", None),
            ("FIELD", "nama", None),
            ("ROW", None, {"status": "rahasia"}),
        ],
    },
    {
        "slug": "anggaran-sekolah-dasar",
        "agency": "disdik",
        "title": "Anggaran Sekolah Dasar",
        "title_en": "Primary school budget",
        "description": "Realisasi anggaran pendidikan untuk sekolah dasar negeri.",
        "keywords": ["anggaran", "sekolah"],
        "topics": ["pendidikan", "keuangan"],
        "modified": date(2022, 12, 31),
        "years": (2021, 2022),
        "resources": [("csv", [("sekolah", "string", "Sekolah")], [{"sekolah": "SDN 1 Kakap"}])],
    },
    {
        "slug": "laporan-intelijen-kesehatan",
        "agency": "dinkes",
        "title": "Laporan Investigasi Wabah",
        "title_en": "Outbreak investigation report",
        "description": "Hasil investigasi wabah menular.",
        "keywords": ["wabah"],
        "topics": ["kesehatan"],
        "modified": date(2024, 2, 2),
        "years": (2024, 2024),
        "resources": [
            ("pdf", [("lokasi", "string", "Lokasi")], [{"lokasi": "Kampung Tersembunyi"}])
        ],
        "exemptions": [("DATASET", None, None)],
    },
    {
        "slug": "dataset-lama-dihapus",
        "agency": "dinkes",
        "title": "Kesehatan Lingkungan Lama",
        "title_en": "Old environmental health",
        "description": "Sudah tidak diterbitkan.",
        "keywords": [],
        "topics": ["kesehatan"],
        "modified": date(2020, 1, 1),
        "years": (2019, 2019),
        "resources": [],
        "removed": True,
    },
]


async def add_exemption(
    session: AsyncSession,
    dataset_id: int,
    scope: str,
    field: str | None = None,
    row_filter: dict[str, Any] | None = None,
) -> Exemption:
    exemption = Exemption(
        dataset_id=dataset_id,
        scope=scope,
        field=field,
        row_filter=row_filter,
        basis="PASAL_17H",
        consequence_test="Mengungkap rahasia pribadi.",
        decided_on=date(2024, 1, 1),
        source="api",
    )
    session.add(exemption)
    await session.flush()
    return exemption


async def insert_catalogue(services: Services) -> dict[str, int]:
    """Insert AGENCIES and DATASETS and index them; returns dataset ids by slug."""
    ids: dict[str, int] = {}
    async with services.database.write() as session:
        agencies = {}
        for slug, name, acronym in AGENCIES:
            agency = Agency(slug=slug, name=name, acronym=acronym)
            session.add(agency)
            agencies[slug] = agency
        await session.flush()
        for spec in DATASETS:
            dataset = Dataset(
                slug=spec["slug"],
                agency_id=agencies[spec["agency"]].id,
                title=spec["title"],
                title_en=spec["title_en"],
                description=spec["description"],
                keywords=spec["keywords"],
                topics=spec["topics"],
                license="CC-BY-4.0",
                category="PERIODIC",
                modified=spec["modified"],
                temporal_start=spec["years"][0],
                temporal_end=spec["years"][1],
                removed_at=utcnow() if spec.get("removed") else None,
            )
            session.add(dataset)
            await session.flush()
            ids[spec["slug"]] = dataset.id
            for position, (fmt, fields, rows) in enumerate(spec["resources"]):
                resource = Resource(
                    dataset_id=dataset.id,
                    name=f"data-{position}",
                    position=position,
                    format=fmt,
                    fields=[{"name": n, "type": t, "title": title} for n, t, title in fields],
                    row_count=len(rows),
                )
                session.add(resource)
                await session.flush()
                await store_rows(session, resource, rows)
            for scope, field, row_filter in spec.get("exemptions", []):
                await add_exemption(session, dataset.id, scope, field, row_filter)
        await session.flush()
        await record_catalogue_change(services, session, ids.values())
    return ids


async def dataset_id(services: Services, slug: str) -> int:
    async with services.database.session() as session:
        found = await session.scalar(select(Dataset.id).where(Dataset.slug == slug))
    assert found is not None
    return found
