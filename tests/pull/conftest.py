"""The pull tests' loopback source server and a catalogue with one dataset that declares it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from opendata.config import PullSettings
from opendata.services import Services
from tests.conftest import DatabaseFactory, make_services
from tests.pull.source_server import SourceServer

# loopback sources are allowed (the SSRF rule's setting); short timeouts keep failures quick
LOOPBACK_PULLS = PullSettings(scan_seconds=0, timeout_seconds=2.0, allow_private_addresses=True)


@pytest.fixture
def source_server() -> Iterator[SourceServer]:
    with SourceServer() as server:
        yield server


@pytest.fixture
async def store(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> AsyncIterator[Services]:
    """A migrated store whose pulls may reach loopback."""
    services = await make_services(
        database_factory, dialect, tmp_path / "data", pull=LOOPBACK_PULLS
    )
    yield services
    await services.close()
