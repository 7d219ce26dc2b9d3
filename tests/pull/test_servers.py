"""Two real `opendata serve` processes on one PostgreSQL database, each scanning the schedule
and running jobs: the source's tick is fetched once and published once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from opendata.pull.models import PullOutcome
from opendata.services import Services
from tests.pull.helpers import NEW_ROWS, attempts, dataset_with_source, published_row_count
from tests.pull.source_server import Reply, SourceServer
from tests.web.server import ServerProcess

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("dialect", ["postgres"])
async def test_two_server_processes_publish_a_tick_once(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    url = source_server.answer("/kasus.csv", Reply(200, NEW_ROWS.encode()))
    await dataset_with_source(store, tmp_path / "catalog", url)
    servers = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        servers.append(
            ServerProcess(
                tmp_path / name,
                database_url=store.settings.resolved_database_url,
                OPENDATA_PULL_ALLOW_PRIVATE="1",
                OPENDATA_PULL_SCAN_SECONDS="0.3",
                OPENDATA_JOB_POLL_SECONDS="0.2",
            )
        )
    try:
        for server in servers:
            server.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and await published_row_count(store) != 4:
            time.sleep(0.3)
        time.sleep(3)  # many more scans and polls by both servers
    finally:
        for server in servers:
            server.stop()
    tried = await attempts(store)
    # the current tick (and, should a minute turn meanwhile, the next, whose bytes are the same)
    assert [a.outcome for a in tried][:1] == [PullOutcome.PUBLISHED]
    assert all(a.outcome == PullOutcome.UNCHANGED for a in tried[1:])
    assert source_server.hits["/kasus.csv"] == len(tried)  # each tick fetched by one server
    assert await published_row_count(store) == 4
