"""Issue 21 finding 11: the catalogue reader refuses every symbolic link in a catalogue folder
(a CSV, a descriptor, a dataset or agency folder), with a line in both languages, so a folder
cannot publish a file from elsewhere on the server (`/etc/passwd`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from opendata.catalogue.loader import load_catalog
from opendata.db.models import Dataset
from opendata.services import Services
from tests.catalogue.builders import BASE_ROWS, write_agency, write_dataset

SECRET = "kecamatan,tahun,kasus,nik,status\nRahasia,2024,1,6112999999999999,terbuka\n"


def _csv(root: Path, outside: Path) -> str:
    csv_path = root / "dinkes" / "kasus-dbd" / "kasus.csv"
    csv_path.unlink()
    csv_path.symlink_to(outside / "secret.csv")
    return "kasus-dbd"


def _descriptor(root: Path, outside: Path) -> str:
    descriptor = root / "dinkes" / "kasus-dbd" / "datapackage.yaml"
    (outside / "datapackage.yaml").write_text(descriptor.read_text())
    descriptor.unlink()
    descriptor.symlink_to(outside / "datapackage.yaml")
    return "kasus-dbd"


def _dataset_folder(root: Path, outside: Path) -> str:
    write_dataset(outside, "elsewhere", "kasus-luar", csv_text=SECRET)
    os.symlink(outside / "elsewhere" / "kasus-luar", root / "dinkes" / "kasus-luar")
    return "kasus-luar"


def _agency_folder(root: Path, outside: Path) -> str:
    write_agency(outside, "luar", "Luar", "LR")
    write_dataset(outside, "luar", "kasus-agensi-luar", csv_text=SECRET)
    os.symlink(outside / "luar", root / "luar")
    return "kasus-agensi-luar"


@pytest.mark.parametrize("link", [_csv, _descriptor, _dataset_folder, _agency_folder])
async def test_a_symlink_in_the_catalogue_folder_is_refused(
    services: Services, tmp_path: Path, link: Callable[[Path, Path], str]
) -> None:
    root, outside = tmp_path / "cat", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(SECRET)
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", "kasus-dbd", csv_text=BASE_ROWS)
    slug = link(root, outside)

    summary = await load_catalog(services, root)

    assert not summary.ok
    lines = "\n".join(summary.lines())
    assert "not a symbolic link / berkas atau folder biasa, bukan tautan simbolik" in lines
    assert slug not in summary.added
    async with services.database.session() as session:
        stored = await session.scalar(select(Dataset).where(Dataset.slug == slug))
    assert stored is None
