from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from opendata.services import Services
from tests.conftest import DatabaseFactory, make_services
from tests.search.catalogue import insert_catalogue

# (database, search backend): each default pairing, and whoosh on PostgreSQL too.
BACKENDS = [("sqlite", "whoosh"), ("postgres", "postgres"), ("postgres", "whoosh")]


@pytest.fixture(params=BACKENDS, ids=["whoosh-sqlite", "postgres", "whoosh-postgres"])
async def searchable(
    request: pytest.FixtureRequest, database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[Services]:
    """Services on a fresh database holding the small test catalogue, indexed."""
    dialect, backend = request.param
    services = await make_services(
        database_factory, dialect, tmp_path / "data", search_backend=backend
    )
    await insert_catalogue(services)
    yield services
    await services.close()
