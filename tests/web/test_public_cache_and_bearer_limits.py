"""Shared caches revalidate with the ETag (no serving for a while after an exemption), the
response cache is bounded in bytes, and invented bearer strings share their address's bucket."""

from __future__ import annotations

import json
import secrets
import uuid
from pathlib import Path

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.config import RateLimits
from opendata.web.rate_limit import RateLimiter
from opendata.web.response_cache import ResponseCache
from tests.catalogue.builders import BASE_ROWS, NIK_EXEMPTION, write_agency, write_dataset
from tests.conftest import DatabaseFactory, asgi_client, make_services

DATASET = """query($slug: String!) { dataset(slug: $slug) { title
  resources { fields { name withheld } rows(first: 10) { edges { node } } } } }"""


def _catalogue(root: Path, marker: str, *, withheld: bool) -> Path:
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(
        root,
        "dinkes",
        "kasus-dbd",
        csv_text=BASE_ROWS.replace("6112000000000003", marker),
        exemptions=[NIK_EXEMPTION] if withheld else [],
    )
    return root


async def test_shared_caches_must_revalidate_and_an_exemption_changes_the_answer_at_once(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    marker = "7" + str(uuid.uuid4().int)[:15]
    services = await make_services(database_factory, dialect, tmp_path / "d")
    try:
        await load_catalog(services, _catalogue(tmp_path / "v1", marker, withheld=False))
        params = {"query": DATASET, "variables": json.dumps({"slug": "kasus-dbd"})}
        async with asgi_client(create_app(services)) as client:
            first = await client.get("/graphql", params=params)
            assert marker in first.text
            control = [part.strip() for part in first.headers["Cache-Control"].split(",")]
            assert "public" in control and "no-cache" in control
            assert not [part for part in control if part.startswith(("max-age", "stale-"))]
            etag = first.headers["ETag"]
            revalidated = await client.get(
                "/graphql", params=params, headers={"If-None-Match": etag}
            )
            assert revalidated.status_code == 304 and revalidated.headers["ETag"] == etag

            await load_catalog(services, _catalogue(tmp_path / "v2", marker, withheld=True))
            after = await client.get("/graphql", params=params, headers={"If-None-Match": etag})
            assert after.status_code == 200
            assert after.headers["ETag"] != etag
            assert marker not in after.text
    finally:
        await services.close()


def test_the_response_cache_is_bounded_in_bytes_and_skips_huge_answers() -> None:
    cache = ResponseCache(max_entries=10_000, max_bytes=1_000_000)
    for n in range(500):
        cache.put(f"key-{n}", b"x" * 50_000)
    assert cache.size_bytes <= 1_000_000
    assert len(cache) == 20
    assert cache.get("key-499") is not None and cache.get("key-0") is None
    huge = cache.put("huge", b"y" * 2_000_000)
    assert huge.etag and cache.get("huge") is None
    cache.put("key-499", b"z" * 10)  # replacing an entry keeps the byte count exact
    assert cache.size_bytes == 19 * 50_000 + 10


def test_invented_bearer_strings_are_charged_to_the_address() -> None:
    limiter = RateLimiter(RateLimits(enabled=True, anonymous_rate=0.001, anonymous_burst=20))
    allowed = 0
    for _ in range(300):
        key = limiter.client_key("odt_" + secrets.token_urlsafe(32), "203.0.113.9")
        allowed += limiter.local_retry_after(key) is None
    assert allowed == 20
    assert limiter.tracked == 1


async def test_over_http_random_tokens_are_limited_and_a_real_token_has_its_own_bucket(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    limits = RateLimits(enabled=True, anonymous_rate=0.001, anonymous_burst=10, token_burst=50)
    services = await make_services(database_factory, "sqlite", tmp_path / "d", rate_limits=limits)
    try:
        real = await create_user(services.database, email="a@example.org", name="A", role="ADMIN")
        async with asgi_client(create_app(services)) as client:

            async def ask(token: str) -> int:
                headers = {"Authorization": f"Bearer {token}"}
                response = await client.post(
                    "/graphql", json={"query": "{ viewer { email } }"}, headers=headers
                )
                return response.status_code

            assert await ask(real.token) == 200  # authenticates (charged to the address once)
            statuses = [await ask("odt_" + secrets.token_urlsafe(32)) for _ in range(60)]
            assert statuses.count(401) == 9 and statuses.count(429) == 51
            assert [await ask(real.token) for _ in range(5)] == [200] * 5
    finally:
        await services.close()
