"""The harvesting doors over the exemption fixture: public, partly withheld and withheld whole.

`world` is the app in process (both databases); `server` is a real `opendata serve` process,
for clients no one here wrote (ckanapi, feedparser over HTTP, a browser).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.catalogue.builders import NIK_EXEMPTION, ROW_EXEMPTION, small_catalog, write_dataset
from tests.conftest import asgi_client
from tests.web.server import ServerProcess

# kasus-dbd: field `nik` and rows with status "dalam penyelidikan" withheld; the values
# written here appear in no other dataset, so finding one anywhere is a leak.
PARTLY_WITHHELD = "kasus-dbd"
WITHHELD_NIK = "6112000000000001"  # a value of the withheld field `nik`, public elsewhere
UNIQUE_NIKS = ("7777000000000001", "7777000000000002", "7777000000000003", "7777000000000004")
WITHHELD_ROW_STATUS = "dalam penyelidikan"
WITHHELD_ROW_PLACE = "Desa-Rahasia-Penyelidikan"  # only in a withheld row
PARTLY_WITHHELD_ROWS = (
    "kecamatan,tahun,kasus,nik,status\n"
    f"Sungai Kakap,2023,12,{UNIQUE_NIKS[0]},terbuka\n"
    f"{WITHHELD_ROW_PLACE},2024,7,{UNIQUE_NIKS[1]},dalam penyelidikan\n"
    f"Kubu,2024,,{UNIQUE_NIKS[2]},terbuka\n"
    f"Rasau Jaya,2023,4,{UNIQUE_NIKS[3]},terbuka\n"
)
WITHHELD_WHOLE = "laporan-investigasi-wabah"
PUBLIC = "imunisasi-dasar"
WHOLE_EXEMPTION = {
    "scope": "DATASET",
    "basis": "PASAL_17A",
    "consequenceTest": "Membuka laporan investigasi menghambat penegakan hukum.",
    "decisionReference": "SK PPID No. 9/2025",
    "decidedOn": "2025-05-01",
    "expiresOn": "2099-12-31",
}
SECRET_ROWS = (
    "kecamatan,tahun,kasus,nik,status\n"
    "Sungai Ambawang,2024,3,6112000000000101,rahasia-investigasi\n"
)
SECRET_VALUE = "rahasia-investigasi"


def harvest_catalog(root: Path) -> Path:
    small_catalog(root)
    write_dataset(
        root,
        "dinkes",
        PARTLY_WITHHELD,
        csv_text=PARTLY_WITHHELD_ROWS,
        exemptions=[NIK_EXEMPTION, ROW_EXEMPTION],
    )
    write_dataset(
        root,
        "dinkes",
        WITHHELD_WHOLE,
        csv_text=SECRET_ROWS,
        title="Laporan Investigasi Wabah",
        title_en="Outbreak investigation reports",
        description="Laporan investigasi wabah per kecamatan.",
        description_en="Outbreak investigation reports by district.",
        category="ON_REQUEST",
        exemptions=[WHOLE_EXEMPTION],
    )
    return root


@dataclass
class World:
    client: httpx.AsyncClient
    services: Services


@asynccontextmanager
async def world_of(services: Services, catalog: Path) -> AsyncIterator[World]:
    """The app in process over `catalog` (a catalogue folder), loaded into `services`."""
    summary = await load_catalog(services, catalog)
    assert summary.ok, summary.refused
    async with asgi_client(create_app(services)) as client:
        yield World(client, services)


@pytest.fixture
async def world(services: Services, tmp_path: Path) -> AsyncIterator[World]:
    async with world_of(services, harvest_catalog(tmp_path / "catalog")) as opened:
        yield opened


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("harvest")
    process = ServerProcess(root / "data", OPENDATA_CORS_ORIGINS="*")
    process.run("catalog", "load", str(harvest_catalog(root / "catalog")))
    process.start()
    yield process
    process.stop()
