"""Pages that say what is true, as a person reads them (issue 24, items 5, 7 and 8).

/statistik opens each agency with a sentence ("DINKES: 2 permohonan diterima, ..."); a count
of one is singular in English (Babel plurals, never "1 datasets"); a request just filed
offers no objection; a visitor's request form leads to sign-in and keeps what was typed;
signing out says so; a refused form puts its problem first, focused.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from babel.messages.extract import extract_from_dir

from opendata.app import create_app
from opendata.db.base import utcnow
from opendata.portal.i18n import LOCALE_DIR, translations
from opendata.services import Services
from tests.conftest import asgi_client
from tests.information_requests.helpers import make_desk, online
from tests.information_requests.test_report import _known_set
from tests.portal.catalog import load_portal_catalog
from tests.portal.conftest import csrf_of, portal_as


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def test_each_agency_opens_with_a_sentence_a_resident_can_read(services: Services) -> None:
    desk = await make_desk(services)
    await _known_set(desk)
    async with asgi_client(create_app(services)) as client:
        indonesian = words((await client.get("/statistik", params={"year": "2026"})).text)
        english = words(
            (await client.get("/statistik", params={"year": "2026", "lang": "en"})).text
        )
        figures = (await client.get("/statistik.csv", params={"year": "2026"})).text
    rows = {line.split(",")[1]: line.split(",") for line in figures.splitlines()[1:]}
    header = figures.splitlines()[0].split(",")

    def figure(slug: str, key: str) -> int:
        return int(rows[slug][header.index(key)])

    received = figure("diskominfo", "received")
    overdue = figure("diskominfo", "overdue")
    assert received > 1 and overdue == 1
    assert f"DISKOMINFO: {received} permohonan diterima" in indonesian
    assert f"{overdue} lewat tenggat tanpa jawaban" in indonesian
    assert f"DISKOMINFO: {received} requests received" in english
    # one is singular, in English only
    assert "1 past its deadline with no answer" in english
    objections = figure("diskominfo", "objections")
    assert (f"{objections} objections" if objections != 1 else "1 objection") in english


def test_every_plural_message_is_translated_and_english_says_one_and_many_apart() -> None:
    portal = LOCALE_DIR.parent
    plurals = [
        message
        for _, _, message, *_ in extract_from_dir(
            portal,
            [("templates/**.html", "jinja2")],
            {"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={"ngettext": (1, 2)},
        )
        if isinstance(message, tuple)
    ]
    assert ("%(count)s dataset found", "%(count)s datasets found") in plurals
    indonesian, english = translations("id"), translations("en")
    for one, many in plurals:
        assert indonesian.ngettext(one, many, 1) != one or one == many, one
        assert english.ngettext(one, many, 1) == one and english.ngettext(one, many, 2) == many


async def test_a_search_finding_one_dataset_says_one_dataset(
    services: Services, tmp_path: Path
) -> None:
    await load_portal_catalog(services, tmp_path / "catalog")
    async with await portal_as(services) as visitor:
        one = words((await visitor.get("/cari", params={"q": "memo", "lang": "en"})).text)
        many = words((await visitor.get("/cari", params={"q": "", "lang": "en"})).text)
    assert "1 dataset found" in one and "1 datasets" not in one
    assert re.search(r"\b([2-9]|\d\d+) datasets found", many)


async def test_a_request_just_filed_offers_no_objection_yet(services: Services) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        page = await requester.get(path)
    assert page.status_code == 200
    assert 'name="grounds"' not in page.text and 'value="object"' not in page.text
    assert "Cabut permohonan ini" in page.text  # withdrawing is open at once


async def test_a_visitor_sends_the_form_signs_up_and_finds_it_as_typed(
    services: Services, tmp_path: Path
) -> None:
    await load_portal_catalog(services, tmp_path / "catalog")
    async with await portal_as(services) as visitor:
        form = await visitor.get("/permohonan/baru")
        assert "Masuk untuk mengirim" in form.text  # the button is there for a visitor
        sent = await visitor.post(
            "/permohonan/baru",
            data={
                "csrf_token": csrf_of(form.text),
                "agency": "dinkes",
                "information_requested": "Jumlah pasien TBC per desa 2024",
                "purpose": "Liputan kesehatan",
                "delivery_form": "HARD_COPY",
                "address": "Jl. Pribadi 7",
            },
        )
        assert sent.status_code == 303
        sign_in = urlsplit(sent.headers["location"])
        assert sign_in.path == "/masuk"
        back = parse_qs(sign_in.query)["next"][0]
        assert "Jl. Pribadi" not in back  # the person's details never travel in an address
        sign_in_page = await visitor.get(sent.headers["location"])
        # from sign-in to sign-up, the way back goes along
        sign_up_link = re.search(r'href="(/daftar\?next=[^"]+)"', sign_in_page.text)
        assert sign_up_link, "the sign-up link lost the way back"
        sign_up = await visitor.get(html.unescape(sign_up_link.group(1)))
        signed_up = await visitor.post(
            "/daftar",
            data={
                "csrf_token": csrf_of(sign_up.text),
                "next": back,
                "name": "Jurnalis Uji",
                "email": "jurnalis@contoh.id",
                "password": "kata-sandi-panjang",
            },
        )
        assert signed_up.status_code == 303 and signed_up.headers["location"] == back
        again = await visitor.get(back)
    assert "Jumlah pasien TBC per desa 2024" in again.text
    assert "Liputan kesehatan" in again.text
    assert re.search(r'<option value="dinkes"\s+selected', again.text)
    assert re.search(r'value="HARD_COPY"\s+checked', again.text)


async def test_signing_out_says_so(services: Services) -> None:
    desk = await make_desk(services)
    async with await portal_as(services, desk.requester) as requester:
        page = await requester.get("/saya")
        out = await requester.post("/keluar", data={"csrf_token": csrf_of(page.text)})
        assert out.status_code == 303
        home = await requester.get(out.headers["location"])
    assert "Anda sudah keluar" in words(home.text)
    assert 'action="/keluar"' not in home.text


async def test_a_refused_sign_in_puts_its_problem_first_and_focused(services: Services) -> None:
    async with await portal_as(services) as visitor:
        form = await visitor.get("/masuk")
        refused = await visitor.post(
            "/masuk",
            data={"csrf_token": csrf_of(form.text), "email": "x@contoh.id", "password": "salah"},
        )
    assert refused.status_code == 400
    problem = re.search(r'<div class="alert"[^>]*id="problem"[^>]*>', refused.text)
    assert problem and "autofocus" in problem.group(0)
    # before the form, right under the heading
    assert refused.text.index('id="problem"') < refused.text.index("<form")
