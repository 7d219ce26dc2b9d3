"""The shipped demo catalogue loads whole, on SQLite and PostgreSQL, as the README promises."""

from __future__ import annotations

from sqlalchemy import func, select

from opendata.catalogue.loader import load_catalog
from opendata.catalogue.reader import read_catalog
from opendata.config import DEMO_CATALOG
from opendata.db.models import Agency, Dataset, Exemption
from opendata.services import Services
from tests.catalogue.builders import stored_row_count

KECAMATAN = {
    "Batu Ampar",
    "Kuala Mandor B",
    "Kubu",
    "Rasau Jaya",
    "Sungai Ambawang",
    "Sungai Kakap",
    "Sungai Raya",
    "Teluk Pakedai",
    "Terentang",
}


def test_demo_catalog_reads_without_refusals() -> None:
    read = read_catalog(DEMO_CATALOG)
    assert read.refusals == []
    assert len(read.agencies) >= 10
    assert len(read.datasets) >= 40
    assert sum(1 for d in read.datasets if d.exemptions) >= 3
    for dataset in read.datasets:
        assert "sintetis" in dataset.description.lower(), dataset.slug
        assert dataset.title_en, dataset.slug
    covered = {row.get("kecamatan") for d in read.datasets for r in d.resources for row in r.rows}
    assert covered >= KECAMATAN


async def test_demo_catalog_loads_whole_and_idempotently(services: Services) -> None:
    summary = await load_catalog(services, DEMO_CATALOG)
    assert summary.ok and len(summary.added) >= 40
    again = await load_catalog(services, DEMO_CATALOG)
    assert again.added == again.updated == again.removed == []
    async with services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Agency)) >= 10
        assert await session.scalar(select(func.count()).select_from(Dataset)) == len(summary.added)
        assert await session.scalar(select(func.count()).select_from(Exemption)) >= 6
    assert await stored_row_count(services) == sum(
        len(r.rows) for d in read_catalog(DEMO_CATALOG).datasets for r in d.resources
    )
