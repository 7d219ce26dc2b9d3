"""The page cache (issue 26), on both databases: anonymous home, search and dataset pages are
kept rendered per catalogue generation, with each visitor's own CSRF token written in, an ETag
and 304; nothing withheld outlives the exemption that withholds it; a signed-in visitor's page
is never kept nor served to anyone else; a request filed from a dataset is counted at once."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import httpx
from starlette.applications import Starlette

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.exemptions.service import ExemptionRequest, add_exemption
from opendata.information_requests.filing import FilingForm, RequesterDetails, file_request
from opendata.services import Services
from tests.catalogue.builders import small_catalog
from tests.portal.conftest import CSRF_INPUT, portal_as

PUBLIC = "imunisasi-dasar"
# values of the public dataset's `nik` field, on its page until an exemption withholds it
NIKS = ("6112000000000001", "6112000000000002", "6112000000000003", "6112000000000004")
CSRF_COOKIE = "od_csrf"
SIGN_OUT = 'action="/keluar"'  # the signed-in visitor's own form, with the session's token


async def _catalogue(services: Services, tmp_path: Path) -> Starlette:
    assert (await load_catalog(services, small_catalog(tmp_path / "catalog"))).ok
    return create_app(services)


def _client(app: Starlette, token: str | None = None) -> httpx.AsyncClient:
    cookies = {CSRF_COOKIE: token} if token else {}
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=cookies)


def _tokens(page: str) -> set[str]:
    return {html.unescape(found) for found in CSRF_INPUT.findall(page)}


async def withhold_nik(services: Services, admin: Viewer) -> None:
    """A FIELD exemption of the public dataset's `nik` (its values then never shown)."""
    await add_exemption(
        services,
        admin,
        ExemptionRequest(
            dataset_slug=PUBLIC,
            scope="FIELD",
            field="nik",
            basis="PASAL_17H",
            consequence_test="Membuka NIK mengungkap rahasia pribadi.",
            expires_on=date(2099, 12, 31),
        ),
    )


async def test_an_exemption_withholds_the_field_on_the_next_view(
    services: Services, tmp_path: Path
) -> None:
    app = await _catalogue(services, tmp_path)
    async with _client(app) as visitor:
        first = await visitor.get(f"/dataset/{PUBLIC}")
        again = await visitor.get(f"/dataset/{PUBLIC}")  # from the cache
        assert first.status_code == again.status_code == 200
        assert again.text == first.text and "ETag" in again.headers
        assert all(nik in first.text for nik in NIKS)
        search = await visitor.get("/cari?q=imunisasi")
        assert "Cakupan Imunisasi Dasar" in search.text
        admin = await create_user(
            services.database, email="admin@kab.test", name="Admin", role="ADMIN"
        )
        await withhold_nik(services, admin.viewer)
        after = await visitor.get(f"/dataset/{PUBLIC}")
        assert after.status_code == 200
        assert not any(nik in after.text for nik in NIKS), "a withheld value was served"
        assert "NIK pelapor" in after.text  # the column is still named, marked withheld
        # the old ETag no longer matches: the browser gets the new page, not a 304
        revalidated = await visitor.get(
            f"/dataset/{PUBLIC}", headers={"If-None-Match": again.headers["ETag"]}
        )
        assert revalidated.status_code == 200
        assert not any(nik in revalidated.text for nik in NIKS)


async def test_each_visitor_gets_its_own_token_and_a_304_on_its_own_etag(
    services: Services, tmp_path: Path
) -> None:
    app = await _catalogue(services, tmp_path)
    one, other = "a" * 40, 'b"><script>alert(1)</script>' + "c" * 20
    for path in (f"/dataset/{PUBLIC}", "/cari?q=imunisasi", "/"):
        async with _client(app, one) as first, _client(app, other) as second:
            mine = await first.get(path)
            theirs = await second.get(path)  # served from what `first` left in the cache
            assert mine.status_code == theirs.status_code == 200, path
            if _tokens(mine.text):  # the pages with a form carry the visitor's own token
                assert _tokens(mine.text) == {one} and _tokens(theirs.text) == {other}, path
            assert one not in theirs.text and "<script>alert" not in theirs.text, path
            assert mine.headers["ETag"] != theirs.headers["ETag"], path
            unchanged = await first.get(path, headers={"If-None-Match": mine.headers["ETag"]})
            assert unchanged.status_code == 304 and unchanged.content == b"", path
            assert unchanged.headers["ETag"] == mine.headers["ETag"]
            # another visitor's tag is not this visitor's page
            crossed = await second.get(path, headers={"If-None-Match": mine.headers["ETag"]})
            assert crossed.status_code == 200 and _tokens(crossed.text) <= {other}, path
        async with _client(app) as newcomer:  # no cookie yet: a fresh token, and its cookie
            fresh = await newcomer.get(path)
            assert fresh.status_code == 200
            token = fresh.cookies.get(CSRF_COOKIE)
            assert token and token not in (one, other)
            assert _tokens(fresh.text) <= {token}, path


async def test_a_signed_in_page_is_never_kept_nor_served_to_others(
    services: Services, tmp_path: Path
) -> None:
    app = await _catalogue(services, tmp_path)
    staff = await create_user(
        services.database, email="petugas@kab.test", name="Petugas", role="ADMIN"
    )
    async with await portal_as(services, staff.viewer, app) as signed_in:
        own = await signed_in.get(f"/dataset/{PUBLIC}")
        assert SIGN_OUT in own.text and "ETag" not in own.headers
        assert own.headers["Cache-Control"] == "no-store"
        async with _client(app) as visitor:
            anonymous = await visitor.get(f"/dataset/{PUBLIC}")
            assert SIGN_OUT not in anonymous.text and "ETag" in anonymous.headers
            assert _tokens(anonymous.text).isdisjoint(_tokens(own.text))
        # the anonymous page now kept is not what the signed-in visitor gets
        again = await signed_in.get(f"/dataset/{PUBLIC}")
        assert SIGN_OUT in again.text and "ETag" not in again.headers
        assert _tokens(again.text) == _tokens(own.text)  # the session's own token


async def test_a_request_naming_the_dataset_is_counted_on_the_next_view(
    services: Services, tmp_path: Path
) -> None:
    app = await _catalogue(services, tmp_path)
    async with _client(app) as visitor:
        assert "diminta 0 kali" in (await visitor.get(f"/dataset/{PUBLIC}")).text
        assert 'id="asked-heading"' not in (await visitor.get("/")).text  # none asked yet
        requester = await create_user(
            services.database, email="rina@example.org", name="Rina", role="REQUESTER"
        )
        await file_request(
            services,
            requester.viewer,
            FilingForm(
                agency_slug="dinkes",
                information_requested="Cakupan imunisasi per desa",
                purpose="Liputan",
                delivery_form="SOFT_COPY",
                requester=RequesterDetails(
                    name="Rina", identity_number="6112000000009999", address="Jl. Merdeka 1"
                ),
                dataset_slug=PUBLIC,
            ),
        )
        assert "diminta 1 kali" in (await visitor.get(f"/dataset/{PUBLIC}")).text
        home = html.unescape((await visitor.get("/")).text)
        asked = home[home.index('id="asked-heading"') :]
        assert re.search(r"Cakupan Imunisasi Dasar.*diminta 1 kali", asked, re.S)
