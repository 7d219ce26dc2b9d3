"""The catalogue loader on SQLite and PostgreSQL: adds, idempotent reloads, updates, removals,
refusals that name the file and property while the rest still loads."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from opendata.catalogue.loader import load_catalog
from opendata.db.models import Dataset, Exemption
from opendata.services import Services
from tests.catalogue.builders import BASE_ROWS, small_catalog, stored_row_count, write_dataset


async def _count(services: Services, statement: object) -> int:
    async with services.database.session() as session:
        return int(await session.scalar(statement) or 0)  # type: ignore[call-overload]


async def test_load_adds_every_agency_dataset_and_row(services: Services, tmp_path: Path) -> None:
    summary = await load_catalog(services, small_catalog(tmp_path / "cat"))
    assert summary.ok
    assert sorted(summary.added) == ["imunisasi-dasar", "kasus-dbd", "kejadian-banjir"]
    assert sorted(summary.agencies_added) == ["bpbd", "dinkes"]
    assert await stored_row_count(services) == 12
    assert await _count(services, select(func.count()).select_from(Exemption)) == 2


async def test_reloading_the_same_folder_changes_nothing(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "cat")
    await load_catalog(services, root)
    again = await load_catalog(services, root)
    assert again.added == [] and again.updated == [] and again.removed == []
    assert sorted(again.unchanged) == ["imunisasi-dasar", "kasus-dbd", "kejadian-banjir"]
    assert await stored_row_count(services) == 12


async def test_changed_csv_updates_only_that_dataset(services: Services, tmp_path: Path) -> None:
    root = small_catalog(tmp_path / "cat")
    await load_catalog(services, root)
    write_dataset(
        root,
        "bpbd",
        "kejadian-banjir",
        csv_text=BASE_ROWS + "Kubu,2024,1,6112000000000009,terbuka\n",
        title="Kejadian Banjir",
        topics=["kebencanaan"],
        category="IMMEDIATE",
    )
    summary = await load_catalog(services, root)
    assert summary.updated == ["kejadian-banjir"]
    assert await stored_row_count(services) == 13


async def test_removed_dataset_leaves_its_exemption_history(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "cat")
    await load_catalog(services, root)
    for file in (root / "dinkes" / "kasus-dbd").iterdir():
        file.unlink()
    (root / "dinkes" / "kasus-dbd").rmdir()
    summary = await load_catalog(services, root)
    assert summary.removed == ["kasus-dbd"]
    removed = await _count(
        services, select(func.count()).select_from(Dataset).where(Dataset.removed_at.is_not(None))
    )
    assert removed == 1
    assert await _count(services, select(func.count()).select_from(Exemption)) == 2


async def test_exemption_dropped_from_file_is_revoked_not_deleted(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "cat")
    await load_catalog(services, root)
    write_dataset(root, "dinkes", "kasus-dbd", exemptions=[])
    await load_catalog(services, root)
    revoked = await _count(
        services,
        select(func.count()).select_from(Exemption).where(Exemption.revoked_at.is_not(None)),
    )
    assert revoked == 2


async def test_broken_descriptors_are_refused_by_file_and_property(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "cat")
    write_dataset(root, "dinkes", "tanpa-judul", title=None)
    write_dataset(root, "dinkes", "kategori-salah", category="SECRET")
    write_dataset(
        root, "dinkes", "header-salah", csv_text="kec,tahun,kasus,nik,status\nKubu,2024,1,1,x\n"
    )
    write_dataset(
        root,
        "bpbd",
        "tanpa-kedaluwarsa",
        exemptions=[
            {
                "scope": "ROW",
                "rowFilter": {"status": "terbuka"},
                "basis": "PASAL_17C",
                "consequenceTest": "Keamanan.",
                "decidedOn": "2025-01-01",
            }
        ],
    )
    write_dataset(
        root,
        "bpbd",
        "angka-salah",
        csv_text="kecamatan,tahun,kasus,nik,status\nKubu,dua ribu,1,1,x\n",
    )
    summary = await load_catalog(services, root)
    refused = {Path(r.path).parent.name: r for r in summary.refused}
    assert refused["tanpa-judul"].prop == "title"
    assert refused["kategori-salah"].prop == "category"
    assert refused["header-salah"].prop == "header"
    assert refused["tanpa-kedaluwarsa"].prop == "exemptions[0].expiresOn"
    assert "Pasal 20 ayat (1)" in refused["tanpa-kedaluwarsa"].message
    assert refused["angka-salah"].prop == "line 2, field 'tahun'"
    assert sorted(summary.added) == ["imunisasi-dasar", "kasus-dbd", "kejadian-banjir"]
    assert not summary.ok


async def test_refused_descriptor_keeps_the_stored_version(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "cat")
    await load_catalog(services, root)
    write_dataset(root, "bpbd", "kejadian-banjir", category="SECRET")
    summary = await load_catalog(services, root)
    assert summary.removed == []
    live = await _count(
        services,
        select(func.count())
        .select_from(Dataset)
        .where(Dataset.slug == "kejadian-banjir", Dataset.removed_at.is_(None)),
    )
    assert live == 1
