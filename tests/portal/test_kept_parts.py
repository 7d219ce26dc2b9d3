"""Kept parts of the dataset page (issue 26), on both databases: its notices and tables are
the same for every visitor, so a signed-in view (which the page cache never serves) renders
only its own header and forms around the part kept for the page's key; the part never
outlives an exemption, whoever filled it."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.catalogue.builders import small_catalog
from tests.portal.conftest import portal_as
from tests.portal.test_page_cache import NIKS, PUBLIC, SIGN_OUT, withhold_nik
from tests.web.test_statement_counts import count_statements

PAGE = f"/dataset/{PUBLIC}"


def _anonymous(app: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _row_reads(statements: list[str]) -> list[str]:
    """Statements that read a resource's row table (named rows_<id>_<hash>)."""
    return [s for s in statements if "rows_" in s]


async def test_a_signed_in_view_renders_around_the_kept_tables(
    services: Services, tmp_path: Path
) -> None:
    assert (await load_catalog(services, small_catalog(tmp_path / "catalog"))).ok
    app = create_app(services)
    staff = await create_user(
        services.database, email="petugas@kab.test", name="Petugas", role="ADMIN"
    )
    async with await portal_as(services, staff.viewer, app) as signed_in:
        with count_statements(services) as first_reads:
            first = await signed_in.get(PAGE)
        with count_statements(services) as again_reads:
            again = await signed_in.get(PAGE)
    assert first.status_code == again.status_code == 200
    assert SIGN_OUT in again.text and "ETag" not in again.headers  # never a kept page
    assert again.text == first.text
    assert _row_reads(first_reads), first_reads
    assert _row_reads(again_reads) == [], again_reads
    assert len(again_reads) < len(first_reads)


async def test_a_kept_part_never_outlives_an_exemption(services: Services, tmp_path: Path) -> None:
    assert (await load_catalog(services, small_catalog(tmp_path / "catalog"))).ok
    app = create_app(services)
    admin = await create_user(services.database, email="admin@kab.test", name="Admin", role="ADMIN")
    async with _anonymous(app) as visitor, await portal_as(services, admin.viewer, app) as staff:
        # an anonymous view fills the part; the signed-in view renders around it
        filled = await visitor.get(PAGE)
        assert all(nik in filled.text for nik in NIKS)
        with count_statements(services) as reads:
            before = await staff.get(PAGE)
        assert _row_reads(reads) == [], reads
        assert all(nik in before.text for nik in NIKS)
        await withhold_nik(services, admin.viewer)
        for client in (staff, visitor, staff):  # the signed-in view first: nothing kept fits
            after = await client.get(PAGE)
            assert after.status_code == 200
            assert not any(nik in after.text for nik in NIKS), "a withheld value was served"
            assert "NIK pelapor" in after.text  # the column is still named, marked withheld
