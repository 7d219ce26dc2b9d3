"""The bulk doors cost the same number of SQL statements for 5 datasets as for 60."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.conftest import asgi_client
from tests.web.test_statement_counts import count_statements, many_datasets

PATHS = (
    "/api/3/action/package_search?rows=100&facet.field=organization",
    "/catalog.ttl",
    "/feeds/datasets.atom",
)


async def _statements(services: Services, path: str) -> int:
    async with asgi_client(create_app(services)) as client:
        with count_statements(services) as statements:
            response = await client.get(path)
        assert response.status_code == 200, response.text
    return len(statements)


@pytest.mark.parametrize("path", PATHS)
async def test_statements_do_not_grow_with_the_catalogue(
    services: Services, tmp_path: Path, path: str
) -> None:
    small = await load_catalog(services, many_datasets(tmp_path / "small", 5))
    assert small.ok
    few = await _statements(services, path)
    large = await load_catalog(services, many_datasets(tmp_path / "large", 60))
    assert large.ok
    assert await _statements(services, path) == few
