"""Sessions, CSRF, language and refusals of the pages, over HTTP on both databases."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from opendata.accounts.sessions import SESSION_COOKIE, open_session, revoke_all_sessions, signed_in
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.db.base import utcnow
from opendata.portal.visitor import CSRF_COOKIE
from opendata.services import Services
from tests.portal.catalog import portal_catalog

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
async def site(services: Services, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    summary = await load_catalog(services, portal_catalog(tmp_path / "catalog"))
    assert summary.ok
    transport = httpx.ASGITransport(app=create_app(services))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def csrf_token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    found = CSRF_INPUT.search(page.text)
    assert found is not None, path
    return found.group(1)


async def sign_up(client: httpx.AsyncClient, email: str = "ani@contoh.id") -> httpx.Response:
    token = await csrf_token(client, "/daftar")
    return await client.post(
        "/daftar",
        data={"csrf_token": token, "name": "Ani", "email": email, "password": "rahasia-ani-1"},
    )


async def test_sign_up_opens_a_server_side_session_in_an_httponly_lax_cookie(
    site: httpx.AsyncClient,
) -> None:
    response = await sign_up(site)
    assert response.status_code == 303 and response.headers["location"] == "/saya"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    mine = await site.get("/saya")
    assert mine.status_code == 200 and "Ani" in mine.text


async def test_the_session_cookie_is_secure_behind_https(services: Services) -> None:
    transport = httpx.ASGITransport(app=create_app(services))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://portal.test") as client:
        response = await sign_up(client, "budi@contoh.id")
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "Secure" in cookie


async def test_a_form_without_its_csrf_token_is_refused(site: httpx.AsyncClient) -> None:
    await site.get("/daftar")  # the anonymous CSRF cookie is set
    assert CSRF_COOKIE in site.cookies
    for data in ({}, {"csrf_token": "not-the-token"}):
        response = await site.post(
            "/daftar", data={**data, "name": "X", "email": "x@contoh.id", "password": "12345678"}
        )
        assert response.status_code == 403
        assert "Formulir kedaluwarsa" in response.text
    # and no account was made
    assert (await sign_up(site, "x@contoh.id")).status_code == 303


async def test_a_form_too_large_or_of_unstated_size_is_refused_before_it_is_read(
    site: httpx.AsyncClient,
) -> None:
    await site.get("/daftar")
    token = site.cookies[CSRF_COOKIE]
    fields = {"csrf_token": token, "name": "X", "email": "besar@contoh.id", "password": "12345678"}
    big = await site.post("/daftar?lang=en", data={**fields, "padding": "x" * 70_000})
    assert big.status_code == 413
    assert "The form is too large: at most 64 kB." in big.text

    async def chunks() -> AsyncIterator[bytes]:  # a chunked body: no Content-Length
        yield b"name=X&email=besar%40contoh.id&password=12345678&csrf_token=" + token.encode()

    unstated = await site.post(
        "/daftar",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert unstated.status_code == 411
    assert "The form must state its size (Content-Length)." in unstated.text  # lang cookie
    # neither made the account
    assert (await sign_up(site, "besar@contoh.id")).status_code == 303


async def test_signing_out_revokes_the_session_even_if_the_cookie_is_replayed(
    site: httpx.AsyncClient,
) -> None:
    await sign_up(site)
    secret = site.cookies[SESSION_COOKIE]
    token = await csrf_token(site, "/saya")
    assert (await site.post("/keluar", data={"csrf_token": token})).status_code == 303
    site.cookies.set(SESSION_COOKIE, secret)
    replayed = await site.get("/saya")
    assert replayed.status_code == 303 and replayed.headers["location"].startswith("/masuk")


async def test_revoking_all_sessions_and_expiry_end_every_session(services: Services) -> None:
    transport = httpx.ASGITransport(app=create_app(services))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await sign_up(client)
        user_id = (
            await signed_in(services.database, client.cookies[SESSION_COOKIE])
        ).viewer.user_id  # type: ignore[union-attr]
    other, _ = await open_session(services.database, user_id)
    assert await revoke_all_sessions(services.database, user_id) == 2
    assert await signed_in(services.database, other) is None
    fresh, _ = await open_session(services.database, user_id)
    assert await signed_in(services.database, fresh) is not None
    later = utcnow() + timedelta(days=15)
    assert await signed_in(services.database, fresh, now=later) is None


async def test_graphql_never_reads_the_session_cookie(site: httpx.AsyncClient) -> None:
    await sign_up(site)
    assert SESSION_COOKIE in site.cookies
    answer = await site.post("/graphql", json={"query": "{ viewer { name } }"})
    assert answer.json()["data"] == {"viewer": None}


async def test_sign_in_never_redirects_to_another_site(site: httpx.AsyncClient) -> None:
    await sign_up(site)
    token = await csrf_token(site, "/saya")
    await site.post("/keluar", data={"csrf_token": token})
    token = await csrf_token(site, "/masuk")
    response = await site.post(
        "/masuk",
        data={
            "csrf_token": token,
            "email": "ani@contoh.id",
            "password": "rahasia-ani-1",
            "next": "//evil.example/",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/saya"


async def test_a_wrong_password_is_a_bilingual_form_error_not_a_500(
    site: httpx.AsyncClient,
) -> None:
    token = await csrf_token(site, "/masuk?lang=en")
    response = await site.post(
        "/masuk", data={"csrf_token": token, "email": "nobody@contoh.id", "password": "x" * 9}
    )
    assert response.status_code == 400
    assert "The email or password is not correct." in response.text


async def test_language_follows_query_then_cookie_then_accept_language(
    site: httpx.AsyncClient,
) -> None:
    default = await site.get("/")
    assert '<html lang="id">' in default.text and "Cari data" in default.text
    english = await site.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.text and "Search the data" in english.text
    chosen = await site.get("/?lang=id", headers={"Accept-Language": "en"})
    assert '<html lang="id">' in chosen.text
    remembered = await site.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="id">' in remembered.text  # the cookie from ?lang=id wins


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/dataset/tidak-ada", 404, "tidak ditemukan"),
        ("/instansi/tidak-ada", 404, "tidak ditemukan"),
        ("/cari?page=0", 400, "Nomor halaman"),
        ("/cari?year=20x4", 400, "Tahun harus 4 angka"),
        (
            "/dataset/kasus-dbd-per-kecamatan?res=kasus&col=jumlah_kasus&val=banyak",
            400,
            "harus angka",
        ),
        (
            "/dataset/kasus-dbd-per-kecamatan?res=kasus&sort=tidak_ada",
            400,
            "tidak ada pada sumber data",
        ),
        ("/tenggat?start=kemarin", 400, "TTTT-BB-HH"),
        ("/tenggat?days=99999", 400, "days"),
        ("/permohonan?status=ENTAH", 400, "Status tidak dikenal"),
        ("/permohonan/DINKES/2026/9999", 404, "tidak ditemukan"),
    ],
)
async def test_bad_input_is_a_clear_page_never_a_500(
    site: httpx.AsyncClient, path: str, status: int, message: str
) -> None:
    response = await site.get(path)
    assert response.status_code == status
    assert message in response.text


async def test_the_deadline_calculator_counts_working_days(site: httpx.AsyncClient) -> None:
    # 2026-03-13 is a Friday; Nyepi (19 March) and Idul Fitri leave (20-24 March) are holidays
    page = await site.get("/tenggat?start=2026-03-13&days=10&lang=en")
    assert page.status_code == 200
    answer = await site.get(
        "/graphql",
        params={"query": '{ addWorkingDays(start: "2026-03-13", days: 10) }'},
    )
    due = answer.json()["data"]["addWorkingDays"]
    from datetime import date

    from babel.dates import format_date

    assert format_date(date.fromisoformat(due), format="long", locale="en") in page.text


async def test_pages_tell_the_browser_to_load_nothing_from_another_host(
    site: httpx.AsyncClient,
) -> None:
    for path in ("/", "/dataset/kasus-dbd-per-kecamatan", "/dataset/tidak-ada"):
        policy = (await site.get(path)).headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'none'" in policy
