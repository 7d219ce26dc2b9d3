"""Building a dataset with a declared source, and reading back what a pull left."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.catalogue.loader import load_catalog
from opendata.db.models import Dataset, Resource
from opendata.outbox.worker import Worker
from opendata.pull.declare import declare_source
from opendata.pull.job import pull_source_job
from opendata.pull.models import SourceAttempt
from opendata.pull.schedule import PULL_KIND
from opendata.services import Services
from tests.catalogue.builders import write_agency, write_dataset

SLUG = "kasus-dbd"
FIRST_ROWS = (
    "kecamatan,tahun,kasus,nik,status\nSungai Kakap,2023,12,,terbuka\nSungai Raya,2024,7,,terbuka\n"
)
NEW_ROWS = FIRST_ROWS + "Kubu,2024,3,,terbuka\nRasau Jaya,2023,4,,terbuka\n"
# a tick of a one-minute schedule, in the future so nothing real is due before it
T0 = datetime(2031, 3, 4, 5, 6, tzinfo=UTC)


async def dataset_with_source(
    services: Services,
    root: Path,
    url: str,
    *,
    review: bool = False,
    fmt: str = "csv",
    confirm: bool = True,
) -> Viewer:
    """One dataset (2 rows, published by a catalogue load) whose descriptor declares `url` on
    a 1-minute schedule; with `confirm`, the steward (returned) confirms it through the service,
    so its pulls submit as them."""
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    source: dict[str, Any] = {"url": url, "format": fmt, "schedule": 1, "review": review}
    write_dataset(root, "dinkes", SLUG, csv_text=FIRST_ROWS, source=source)
    summary = await load_catalog(services, root)
    assert summary.added == [SLUG], summary.lines()
    steward = await create_user(
        services.database, email="walidata@kuburayakab.go.id", name="Walidata", role="DATA_STEWARD"
    )
    if confirm:
        await declare_source(services, steward.viewer, SLUG, source)
    return steward.viewer


def pull_worker(services: Services, name: str = "w") -> Worker:
    async def handler(_: object, job: Any) -> None:
        await pull_source_job(services, job)

    return Worker(services, {PULL_KIND: handler}, worker_id=name)


async def attempts(services: Services) -> list[SourceAttempt]:
    async with services.database.session() as session:
        return list(await session.scalars(select(SourceAttempt).order_by(SourceAttempt.tick)))


async def published_row_count(services: Services) -> int:
    async with services.database.session() as session:
        count = await session.scalar(
            select(Resource.row_count)
            .join(Dataset, Dataset.id == Resource.dataset_id)
            .where(Dataset.slug == SLUG)
        )
    assert count is not None
    return count
