from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.catalogue.builders import small_catalog
from tests.conftest import asgi_client


@pytest.fixture
async def api(services: Services, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The app over HTTP with the small test catalogue loaded."""
    summary = await load_catalog(services, small_catalog(tmp_path / "catalog"))
    assert summary.ok
    async with asgi_client(create_app(services)) as client:
        yield client
