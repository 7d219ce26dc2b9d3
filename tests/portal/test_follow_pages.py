"""Issue 24 in the portal, on both databases: "Ikuti" on the pages, a request filed from a
dataset counted on the dataset ("diminta N kali"), the home page and the agency page, the
agency's PPID desk with its opening hours, and the requester's printable receipt."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from sqlalchemy import select

from opendata.accounts.service import create_user
from opendata.catalogue.loader import load_catalog
from opendata.follows.models import Follow
from opendata.outbox.models import OutboxJob
from opendata.services import Services
from tests.conftest import FIXTURES
from tests.portal.conftest import csrf_of, portal_as
from tests.portal.test_request_form import post
from tests.web.helpers import data, error_codes, gql

DBD = "kasus-dbd-per-kecamatan"
NAMED = """query($number: String!) { informationRequest(registrationNumber: $number) {
  dataset { slug timesRequested } } }"""
HOURS = "Senin-Jumat 08.00-14.00 WIB"
DESK = "Jl. Arteri Supadio, Sungai Raya"


async def catalogue_with_a_desk(services: Services, tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog_small", root)
    agency = root / "dinkes" / "agency.yaml"
    agency.write_text(
        agency.read_text()
        + f"\naddress: {DESK}\nphone: (0561) 721814\nemail: ppid@dinkes.example\n"
        + f"opening_hours: {HOURS}\n"
    )
    assert (await load_catalog(services, root)).ok


async def test_a_request_from_a_dataset_is_counted_and_its_requester_gets_a_receipt(
    services: Services, tmp_path: Path
) -> None:
    await catalogue_with_a_desk(services, tmp_path)
    user = await create_user(
        services.database, email="rina@example.org", name="Rina", role="REQUESTER"
    )
    async with await portal_as(services) as visitor:
        page = (await visitor.get(f"/dataset/{DBD}")).text
        assert "diminta 0 kali" in page
        assert (
            'rel="alternate" type="application/atom+xml" href="/feeds/instansi/dinkes.atom"' in page
        )
        assert 'action="/ikuti"' in page and 'name="email" type="email"' in page
    async with await portal_as(services, user.viewer) as rina:
        form = (await rina.get(f"/permohonan/baru?dataset={DBD}")).text
        assert f'name="dataset" value="{DBD}"' in form
        sent = await post(
            rina,
            f"/permohonan/baru?dataset={DBD}",
            {
                "dataset": DBD,
                "agency": "dinkes",
                "information_requested": "Kasus DBD per desa 2024",
                "purpose": "Liputan",
                "delivery_form": "SOFT_COPY",
                "address": "Jl. Tanjungpura 1",
            },
        )
        assert sent.status_code == 303, sent.text
        request_path = sent.headers["location"]
        shown = (await rina.get(request_path)).text
        receipt_path = request_path + "/tanda-bukti"
        assert f'href="{receipt_path}"' in shown
        receipt = html.unescape((await rina.get(receipt_path)).text)
        number = request_path.removeprefix("/permohonan/")
        assert "Tanda bukti penerimaan permohonan informasi publik" in receipt
        assert number in receipt and "Rina" in receipt and "Kasus DBD per desa 2024" in receipt
        assert 'href="/static/css/print.css" media="print"' in receipt
        pdf = await rina.get(receipt_path + "?format=pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    async with await portal_as(services) as visitor:
        assert (await visitor.get(receipt_path)).status_code == 404  # the requester's only
        assert "diminta 1 kali" in (await visitor.get(f"/dataset/{DBD}")).text
        named = data(await gql(visitor, NAMED, {"number": number}))["informationRequest"]
        assert named == {"dataset": {"slug": DBD, "timesRequested": 1}}
        home = html.unescape((await visitor.get("/")).text)
        asked = home[home.index("Paling banyak diminta") :]
        assert "Kasus Demam Berdarah Dengue" in asked and "diminta 1 kali" in asked
        agency = html.unescape((await visitor.get("/instansi/dinkes")).text)
        assert HOURS in agency and DESK in agency and "ppid@dinkes.example" in agency
        assert "Mengajukan secara langsung" in agency
        subjects = agency[agency.index("Pokok yang paling banyak diminta") :]
        assert "Kasus Demam Berdarah Dengue" in subjects
        assert "Ikuti Daftar Informasi yang Dikecualikan" in agency


async def test_following_from_the_page_anonymous_and_signed_in(
    services: Services, tmp_path: Path
) -> None:
    await catalogue_with_a_desk(services, tmp_path)
    async with await portal_as(services) as visitor:
        page = await visitor.get(f"/dataset/{DBD}")
        answer = await visitor.post(
            "/ikuti",
            data={
                "csrf_token": csrf_of(page.text),
                "target": "DATASET",
                "key": DBD,
                "email": "warga@example.org",
            },
        )
        assert answer.status_code == 303
        done = await visitor.get(answer.headers["location"])
        assert "Hampir selesai" in done.text
        async with services.database.session() as session:
            token = (await session.scalars(select(Follow.token))).one()
        # the mailed link: opening it (as a mail scanner would) confirms nothing
        asked = await visitor.get(f"/ikuti/konfirmasi/{token}")
        assert "Ya, kirimi saya surel ini" in asked.text
        async with services.database.session() as session:
            assert (await session.scalars(select(Follow.confirmed_at))).one() is None
        confirmed = await visitor.post(
            f"/ikuti/konfirmasi/{token}", data={"csrf_token": csrf_of(asked.text)}
        )
        assert confirmed.status_code == 200 and "Selesai" in confirmed.text
    user = await create_user(
        services.database, email="rina@example.org", name="Rina", role="REQUESTER"
    )
    async with await portal_as(services, user.viewer) as rina:
        page = await rina.get("/instansi/dinkes")
        followed = await rina.post(
            "/ikuti",
            data={"csrf_token": csrf_of(page.text), "target": "DIK", "key": "dinkes"},
        )
        assert "Selesai" in (await rina.get(followed.headers["location"])).text
        again = (await rina.get("/instansi/dinkes")).text
        dik = again[again.index('id="follow-dik-heading"') :]
        assert "Anda mengikuti ini." in dik and re.search(r'value="unfollow"', dik)
        stopped = await rina.post(
            "/ikuti",
            data={
                "csrf_token": csrf_of(again),
                "target": "DIK",
                "key": "dinkes",
                "action": "unfollow",
            },
        )
        assert (
            "Anda tidak lagi mengikuti ini." in (await rina.get(stopped.headers["location"])).text
        )
    async with services.database.session() as session:
        follows = {f.email: f for f in await session.scalars(select(Follow))}
        jobs = list(await session.scalars(select(OutboxJob)))
    assert follows["warga@example.org"].confirmed_at is not None
    assert follows["rina@example.org"].ended_at is not None
    assert [job.payload["template"] for job in jobs] == ["follow_confirm"]
    assert jobs[0].payload["to"] == "warga@example.org"


FOLLOW = """mutation($email: String) { follow(target: DATASET, key: "kasus-dbd-per-kecamatan",
  email: $email) { target label following } }"""
UNFOLLOW = "mutation($token: String) { unfollow(token: $token) { label following } }"
ASKED = '{ dataset(slug: "kasus-dbd-per-kecamatan") { timesRequested } }'


async def test_follow_and_unfollow_through_graphql(services: Services, tmp_path: Path) -> None:
    await catalogue_with_a_desk(services, tmp_path)
    async with await portal_as(services) as client:
        followed = data(await gql(client, FOLLOW, {"email": "warga@example.org"}))["follow"]
        assert followed == {
            "target": "DATASET",
            "label": "Kasus Demam Berdarah Dengue per Kecamatan 2023-2024",
            "following": False,  # anonymous: told to the address alone, by mail
        }
        assert error_codes(await gql(client, FOLLOW, {})) == ["BAD_USER_INPUT"]
        assert error_codes(await gql(client, UNFOLLOW, {"token": "not-a-token"})) == ["NOT_FOUND"]
        async with services.database.session() as session:
            token = (await session.scalars(select(Follow.token))).one()
        left = data(await gql(client, UNFOLLOW, {"token": token}))["unfollow"]
        assert left["following"] is False and left["label"].startswith("Kasus Demam")
        assert data(await gql(client, ASKED))["dataset"]["timesRequested"] == 0
    async with services.database.session() as session:
        assert (await session.scalars(select(Follow.ended_at))).one() is not None
