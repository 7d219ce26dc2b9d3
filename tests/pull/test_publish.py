"""A loopback CSV (or JSON) source on a one-minute schedule publishes each tick's version once,
however many servers share the database; a tick whose content did not change adds nothing; a
source under review waits for the steward; a failing check publishes nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from opendata.publishing.models import DatasetVersion, VersionSource, VersionState
from opendata.pull.models import PullOutcome
from opendata.pull.schedule import scan_sources
from opendata.services import Services, open_services
from tests.pull.helpers import (
    NEW_ROWS,
    SLUG,
    T0,
    attempts,
    dataset_with_source,
    published_row_count,
    pull_worker,
)
from tests.pull.source_server import Reply, SourceServer


async def _pulled_versions(services: Services) -> list[DatasetVersion]:
    async with services.database.session() as session:
        return list(
            await session.scalars(
                select(DatasetVersion)
                .where(
                    DatasetVersion.dataset_slug == SLUG,
                    DatasetVersion.source == VersionSource.PULL.value,
                )
                .order_by(DatasetVersion.number)
            )
        )


async def test_two_servers_publish_each_tick_once(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    url = source_server.answer("/kasus.csv", Reply(200, NEW_ROWS.encode()))
    await dataset_with_source(store, tmp_path / "catalog", url)
    # a second server: its own process state and data folder, the same database
    other = await open_services(store.settings.with_overrides(data_dir=tmp_path / "b"))
    servers = [store, other]
    workers = [pull_worker(store, "a"), pull_worker(other, "b")]
    try:
        for minute in range(3):
            now = T0 + timedelta(minutes=minute, seconds=5)
            queued = await asyncio.gather(*(scan_sources(s, now=now) for s in [*servers, *servers]))
            assert sum(queued) == 1  # one job per tick, however many scans
            ran = await asyncio.gather(*(w.run_once(now=now) for w in [*workers, *workers]))
            assert sum(ran) == 1  # one server ran it
            if minute == 1:  # the source changes between the second and third tick
                source_server.answer(
                    "/kasus.csv",
                    Reply(200, (NEW_ROWS + "Kuala Mandor B,2024,1,,terbuka\n").encode()),
                )
    finally:
        await other.close()
    assert source_server.hits["/kasus.csv"] == 3  # fetched once per tick
    outcomes = [(a.outcome, a.version_number) for a in await attempts(store)]
    [first, second] = await _pulled_versions(store)
    assert outcomes == [
        (PullOutcome.PUBLISHED, first.number),
        (PullOutcome.UNCHANGED, None),
        (PullOutcome.PUBLISHED, second.number),
    ]
    assert (first.state, second.state) == (VersionState.SUPERSEDED, VersionState.PUBLISHED)
    assert await published_row_count(store) == 5


async def test_a_source_under_review_waits_for_the_steward(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    url = source_server.answer("/kasus.csv", Reply(200, NEW_ROWS.encode()))
    await dataset_with_source(store, tmp_path / "catalog", url, review=True)
    assert await scan_sources(store, now=T0) == 1
    assert await pull_worker(store).run_once(now=T0) == 1
    [attempt] = await attempts(store)
    [version] = await _pulled_versions(store)
    assert (attempt.outcome, attempt.version_number) == (PullOutcome.SUBMITTED, version.number)
    assert version.state == VersionState.SUBMITTED
    assert version.row_count == 4
    assert await published_row_count(store) == 2  # the public still sees the catalogue's rows


async def test_a_json_source_publishes(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    rows = (
        b'{"data": [{"kecamatan": "Kubu", "tahun": 2024, "kasus": 3, "status": "terbuka"},'
        b' {"kecamatan": "Sungai Raya", "tahun": 2023, "kasus": null, "status": "terbuka"}]}'
    )
    url = source_server.answer("/kasus.json", Reply(200, rows, "application/json"))
    await dataset_with_source(store, tmp_path / "catalog", url, fmt="json")
    await scan_sources(store, now=T0)
    await pull_worker(store).run_once(now=T0)
    [attempt] = await attempts(store)
    assert attempt.outcome == PullOutcome.PUBLISHED, attempt.message_en
    assert await published_row_count(store) == 2
    [version] = await _pulled_versions(store)
    assert version.state == VersionState.PUBLISHED


async def test_a_failing_check_publishes_nothing(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    bad_line = NEW_ROWS + "Kubu,dua ribu,3,,terbuka\n"
    url = source_server.answer("/kasus.csv", Reply(200, bad_line.encode()))
    await dataset_with_source(store, tmp_path / "catalog", url)
    await scan_sources(store, now=T0)
    await pull_worker(store).run_once(now=T0)
    [attempt] = await attempts(store)
    assert attempt.outcome == PullOutcome.FAILED
    assert attempt.message_en.startswith("Check failed")
    assert await published_row_count(store) == 2
    [version] = await _pulled_versions(store)
    assert version.state == VersionState.SUBMITTED  # in the steward's queue, not public
