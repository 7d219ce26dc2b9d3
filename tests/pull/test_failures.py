"""A source that fails (HTTP 500, a timeout, a bad file, an address the SSRF rule refuses)
leaves the published version as it was and shows the steward what happened, on both databases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from opendata.accounts.viewer import Role, Viewer
from opendata.config import PullSettings
from opendata.errors import Forbidden
from opendata.pull.models import PullOutcome
from opendata.pull.schedule import scan_sources
from opendata.pull.status import source_statuses
from opendata.services import Services
from tests.conftest import DatabaseFactory, make_services
from tests.pull.conftest import LOOPBACK_PULLS
from tests.pull.helpers import (
    FIRST_ROWS,
    SLUG,
    T0,
    attempts,
    dataset_with_source,
    published_row_count,
    pull_worker,
)
from tests.pull.source_server import Reply, SourceServer


async def _pull_once(store: Services) -> None:
    assert await scan_sources(store, now=T0) == 1
    assert await pull_worker(store).run_once(now=T0) == 1


async def _failed_with(store: Services, message_en: str) -> None:
    steward = Viewer(user_id=1, role=Role.DATA_STEWARD, agency_id=None, name="w", email="w@x.id")
    [attempt] = await attempts(store)
    assert attempt.outcome == PullOutcome.FAILED
    assert message_en in attempt.message_en
    assert attempt.message  # Indonesian too
    assert await published_row_count(store) == 2  # the published version is untouched
    [status] = await source_statuses(store, steward)
    assert status.dataset_slug == SLUG
    assert status.last_attempt is not None and status.last_failure is not None
    assert status.last_attempt.outcome is PullOutcome.FAILED
    assert message_en in status.last_failure.message_en


async def test_a_source_answering_500_leaves_the_published_version(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    url = source_server.answer("/kasus.csv", Reply(500, b"oops"))
    await dataset_with_source(store, tmp_path / "catalog", url)
    await _pull_once(store)
    await _failed_with(store, "answered HTTP 500")
    assert (await attempts(store))[0].http_status == 500
    assert source_server.hits["/kasus.csv"] == 1


BAD_FILES = [
    (
        "csv",
        b"district;year\nKubu;2024\n",
        "the header must be kecamatan, tahun, kasus, nik, status",
    ),
    ("json", b'[{"kecamatan": "Kubu", "district": "x"}]', "unknown fields district"),
    ("json", b'{"rows": []}', "not an array of rows"),
    ("csv", b"\xff\xfe not text", "not UTF-8 text"),
]


@pytest.mark.parametrize(("fmt", "body", "problem"), BAD_FILES)
async def test_a_bad_file_leaves_the_published_version(
    store: Services,
    source_server: SourceServer,
    tmp_path: Path,
    fmt: str,
    body: bytes,
    problem: str,
) -> None:
    url = source_server.answer(f"/kasus.{fmt}", Reply(200, body))
    await dataset_with_source(store, tmp_path / "catalog", url, fmt=fmt)
    await _pull_once(store)
    await _failed_with(store, problem)


async def test_a_source_that_does_not_answer_in_time_fails(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    url = source_server.answer("/kasus.csv", Reply(200, FIRST_ROWS.encode(), delay=3.0))
    await dataset_with_source(store, tmp_path / "catalog", url)
    await _pull_once(store)
    await _failed_with(store, "did not answer within 2 seconds")


async def test_a_redirect_to_the_metadata_address_is_never_followed(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    metadata = "http://169.254.169.254/latest/meta-data/"
    url = source_server.answer("/kasus.csv", Reply(302, b"", location=metadata))
    await dataset_with_source(store, tmp_path / "catalog", url)
    await _pull_once(store)
    await _failed_with(store, "resolves to a non-public address (169.254.169.254)")


@pytest.mark.parametrize(
    ("pull", "problem", "hits"),
    [
        (PullSettings(scan_seconds=0), "resolves to a non-public address (127.0.0.1)", 0),
        (replace(LOOPBACK_PULLS, max_bytes=40), "larger than 40 bytes", 1),
    ],
)
async def test_the_fetch_limits_hold(
    database_factory: DatabaseFactory,
    dialect: str,
    source_server: SourceServer,
    tmp_path: Path,
    pull: PullSettings,
    problem: str,
    hits: int,
) -> None:
    """Loopback is refused unless the setting allows it; a body over the cap is dropped."""
    limited = await make_services(database_factory, dialect, tmp_path / "data", pull=pull)
    try:
        url = source_server.answer("/kasus.csv", Reply(200, FIRST_ROWS.encode()))
        await dataset_with_source(limited, tmp_path / "catalog", url)
        await _pull_once(limited)
        await _failed_with(limited, problem)
        assert source_server.hits["/kasus.csv"] == hits
    finally:
        await limited.close()


async def test_only_the_steward_and_producers_see_sources(store: Services) -> None:
    officer = Viewer(user_id=2, role=Role.OFFICER, agency_id=1, name="ppid", email="p@x.id")
    with pytest.raises(Forbidden):
        await source_statuses(store, officer)


async def test_a_source_nobody_answers_for_is_not_fetched(
    store: Services, source_server: SourceServer, tmp_path: Path
) -> None:
    url = source_server.answer("/kasus.csv", Reply(200, FIRST_ROWS.encode()))
    await dataset_with_source(store, tmp_path / "catalog", url, confirm=False)
    await _pull_once(store)
    await _failed_with(store, "No steward or producer answers for this source yet")
    assert source_server.hits["/kasus.csv"] == 0
