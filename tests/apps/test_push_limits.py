"""The upload bound and the rate limit apply to pushes as to every other door."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from opendata.app import create_app
from opendata.apps.registry import add_app
from opendata.attachments.rules import MAX_UPLOAD_BYTES
from opendata.catalogue.loader import load_catalog
from opendata.config import RateLimits
from tests.apps.conftest import LOADED_ROWS, OPEN_DATASET, PushWorld, make_rows, push, rows_of
from tests.catalogue.builders import small_catalog
from tests.conftest import DatabaseFactory, asgi_client, make_services

CHUNK = b"x" * (1024 * 1024)


async def _endless() -> AsyncIterator[bytes]:
    """A body with no Content-Length that passes the upload bound (never held whole)."""
    for _ in range(MAX_UPLOAD_BYTES // len(CHUNK) + 2):
        yield CHUNK


async def test_a_body_past_the_upload_bound_is_refused_413(push_world: PushWorld) -> None:
    headers = {
        "Authorization": f"Bearer {push_world.open_token}",
        "Idempotency-Key": "big",
        "Content-Type": "text/csv",
    }
    url = f"/api/push/{OPEN_DATASET}/kasus"
    answer = await push_world.client.post(url, content=_endless(), headers=headers)
    assert answer.status_code == 413
    declared = {**headers, "Content-Length": str(MAX_UPLOAD_BYTES + 1)}
    answer = await push_world.client.post(url, content=b"kecamatan\n", headers=declared)
    assert answer.status_code == 413
    total, _ = await rows_of(push_world.client, OPEN_DATASET)
    assert total == LOADED_ROWS


async def test_pushes_share_the_rate_limit(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    services = await make_services(
        database_factory,
        dialect,
        tmp_path / "data",
        rate_limits=RateLimits(anonymous_rate=0.01, anonymous_burst=2),
    )
    try:
        await load_catalog(services, small_catalog(tmp_path / "catalog"))
        app = await add_app(
            services.database, name="RT Online", agency_slug="dinkes", dataset_slugs=[OPEN_DATASET]
        )
        async with asgi_client(create_app(services)) as client:
            statuses = [
                (await push(client, app.token, make_rows(1), key=f"k{n}")).status_code
                for n in range(3)
            ]
    finally:
        await services.close()
    assert statuses == [200, 200, 429]
