"""Follow and be told (issue 24), end to end through the outbox and a real SMTP server:
follow a dataset, load a new version of it, find the e-mail and leave with one click; the DIK
watch announces what an ended exemption opened, never what another still withholds; a
request's followers hear its steps and nothing about its requester."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.apps.registry import add_app
from opendata.background import JOB_HANDLERS
from opendata.catalogue.loader import load_catalog
from opendata.exemptions.service import ExemptionRequest, add_exemption, revoke_exemption
from opendata.exemptions.sweep import sweep_expired
from opendata.follows.models import FollowTarget
from opendata.follows.service import confirm, follow
from opendata.information_requests.service import extend_request
from opendata.outbox.worker import Worker
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.apps.conftest import OPEN_DATASET, make_rows, push
from tests.catalogue.builders import small_catalog
from tests.conftest import FIXTURES, asgi_client
from tests.information_requests.helpers import NIK, make_desk, walk_in, wib
from tests.mail.catcher import MailCatcher, Received
from tests.publishing.versions_world import (
    V1,
    V2,
    approved,
    catalogue_folder,
    make_people,
    submitted,
)

PUBLIC_URL = "https://data.kuburayakab.go.id"
DBD = "kasus-dbd-per-kecamatan"
TBC = "register-pasien-tbc"


async def deliver(services: Services) -> None:
    await Worker(services, JOB_HANDLERS).run_until_idle()


def link_in(mail: Received, route: str) -> str:
    """The path of the first link under `route` (`/ikuti/konfirmasi/`) in the plain text."""
    found = re.search(
        re.escape(PUBLIC_URL) + "(" + re.escape(route) + r"[A-Za-z0-9_-]+)", mail.part("plain")
    )
    assert found, mail.part("plain")
    return found.group(1)


async def loaded_catalog(services: Services, tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "catalog_small", root)
    summary = await load_catalog(services, root)
    assert not summary.refused, summary.refused
    return root


async def catalogue_and_admin(services: Services, tmp_path: Path) -> Viewer:
    """The small catalogue loaded, and an admin (who may decide and end any exemption)."""
    await loaded_catalog(services, tmp_path)
    made = await create_user(services.database, email="admin@kab.test", name="A", role="ADMIN")
    return made.viewer


async def test_a_follower_is_mailed_when_the_data_changes_and_leaves_with_one_click(
    mail_services: Services, catcher: MailCatcher, tmp_path: Path
) -> None:
    services = mail_services
    root = await loaded_catalog(services, tmp_path)
    warga = await follow(services, None, FollowTarget.DATASET, DBD, "Warga@Example.org")
    assert warga.confirmation_sent and warga.follow.confirmed_at is None
    # a second visitor never confirms: nothing but the confirmation reaches them
    await follow(services, None, FollowTarget.DATASET, DBD, "lain@example.org")
    again = await follow(services, None, FollowTarget.DATASET, DBD, "warga@example.org")
    assert not again.confirmation_sent  # following again before confirming: no second mail
    await deliver(services)
    confirmations = catcher.wait_for(2, subject="Konfirmasi")
    mine = next(m for m in confirmations if m.recipients == ("warga@example.org",))
    token = link_in(mine, "/ikuti/konfirmasi/").rsplit("/", 1)[1]
    await confirm(services, token)

    csv = root / "dinkes" / DBD / "kasus.csv"
    csv.write_text(csv.read_text() + "2024,Kuala Mandor B,99,1.5\n")
    summary = await load_catalog(services, root)
    assert summary.updated == [DBD]
    await deliver(services)
    (changed,) = catcher.wait_for(1, subject="Dataset diperbarui")
    assert changed.recipients == ("warga@example.org",)
    assert "Kasus Demam Berdarah Dengue" in changed.subject
    text = changed.part("plain")
    assert "katalog dimuat ulang" in text and "the catalogue was reloaded" in text
    assert f"{PUBLIC_URL}/dataset/{DBD}" in text
    unsubscribe = changed.message["List-Unsubscribe"]
    assert unsubscribe == f"<{PUBLIC_URL}/ikuti/berhenti/{warga.follow.token}>"
    assert changed.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail client POSTs to the header's address, with no cookie and no token
    async with asgi_client(create_app(services)) as client:
        page = await client.get(unsubscribe.strip("<>").removeprefix(PUBLIC_URL))
        assert page.status_code == 200 and "Kasus Demam Berdarah" in page.text
        answer = await client.post(
            unsubscribe.strip("<>").removeprefix(PUBLIC_URL),
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status_code == 200, answer.text
    csv.write_text(csv.read_text() + "2024,Kuala Mandor B,100,1.6\n")
    assert (await load_catalog(services, root)).updated == [DBD]
    await deliver(services)
    assert len(catcher.messages("Dataset diperbarui")) == 1  # unsubscribed: nothing more


async def test_the_dik_watch_announces_what_opened_and_not_what_another_exemption_withholds(
    mail_services: Services, catcher: MailCatcher, tmp_path: Path
) -> None:
    services = mail_services
    admin = await catalogue_and_admin(services, tmp_path)
    journalist = await create_user(
        services.database, email="jurnalis@example.org", name="J", role="REQUESTER"
    )
    followed = await follow(services, journalist.viewer, FollowTarget.DIK, "dinkes")
    assert followed.follow.confirmed_at is not None and not followed.confirmation_sent
    today = regency_today()

    async def withhold(field: str, reason: str) -> None:
        request = ExemptionRequest(
            dataset_slug=TBC,
            scope="FIELD",
            basis="PASAL_17A",
            consequence_test=reason,
            field=field,
            expires_on=today + timedelta(days=1),
        )
        await add_exemption(services, admin, request)

    await withhold("umur", "Umur pasien bagian dari penyelidikan wabah.")
    # the NIK column also carries the catalogue's Pasal 17h exemption, with no end
    await withhold("nik", "NIK pasien bagian dari penyelidikan wabah.")
    result = await sweep_expired(services, today=today + timedelta(days=2))
    assert len(result.lapsed_ids) == 2
    await deliver(services)
    (opened,) = catcher.wait_for(1, subject="kini terbuka")
    assert opened.recipients == ("jurnalis@example.org",)
    text = opened.part("plain")
    assert "kolom umur" in text and "the column umur" in text and "Pasal 17 huruf a" in text
    assert "nik" not in text.lower().replace("teknik", "")
    assert "DIK Dinas Kesehatan" in text
    await sweep_expired(services, today=today + timedelta(days=3))  # nothing new: no mail
    await deliver(services)
    assert len(catcher.messages("kini terbuka")) == 1


async def test_a_requests_followers_hear_its_steps_and_nothing_about_the_requester(
    mail_services: Services, catcher: MailCatcher
) -> None:
    services = mail_services
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 2))
    number = record.request.registration_number
    watcher = await follow(services, desk.other_requester, FollowTarget.REQUEST, number)
    assert watcher.follow.confirmed_at is not None
    await extend_request(
        services, desk.officer, record.request.id, "Dokumen di arsip.", now=wib(2026, 3, 9)
    )
    await deliver(services)
    (moved,) = catcher.wait_for(1, subject="Permohonan bergerak")
    assert moved.recipients == ("warga@example.org",)
    assert number in moved.subject
    text = moved.part("plain") + moved.part("html")
    assert "Waktu diperpanjang" in text and "Extended" in text
    for private in ("Siti Aminah", NIK, "Jl. Merdeka", "0812000000"):
        assert private not in text


async def test_a_follower_hears_of_each_version_the_steward_publishes(
    mail_services: Services, catcher: MailCatcher, tmp_path: Path
) -> None:
    services = mail_services
    assert (await load_catalog(services, catalogue_folder(tmp_path))).ok
    people = await make_people(services)
    reader = await create_user(
        services.database, email="pembaca@example.org", name="P", role="REQUESTER"
    )
    async with asgi_client(create_app(services)) as client:
        first = await submitted(client, people.producer, "penerima-bantuan", V1)
        await approved(client, people.steward, first["id"])
        await follow(services, reader.viewer, FollowTarget.DATASET, "penerima-bantuan")
        second = await submitted(client, people.producer, "penerima-bantuan", V2)
        await deliver(services)
        assert catcher.messages("Dataset diperbarui") == []  # submitted is not published
        await approved(client, people.steward, second["id"])
    await deliver(services)
    (published,) = catcher.wait_for(1, subject="Dataset diperbarui")
    assert published.recipients == ("pembaca@example.org",)
    assert "versi 2 diterbitkan" in published.part("plain")
    assert "version 2 was published" in published.part("html")


async def test_a_revoked_row_exemption_is_announced_without_a_withheld_value(
    mail_services: Services, catcher: MailCatcher, tmp_path: Path
) -> None:
    """The rows opened are named as the DIK names them: by a withheld field's value never."""
    services = mail_services
    admin = await catalogue_and_admin(services, tmp_path)
    await follow(services, admin, FollowTarget.DIK, "")  # every agency's DIK
    secret = "6112000000000002"
    exemption = await add_exemption(
        services,
        admin,
        ExemptionRequest(
            dataset_slug=TBC,
            scope="ROW",
            basis="PASAL_17A",
            consequence_test="Kasus ini bagian dari penyelidikan.",
            row_filter={"nik": secret, "kecamatan": "Sungai Ambawang"},
            expires_on=regency_today() + timedelta(days=30),
        ),
    )
    await revoke_exemption(services, admin, exemption.id, "Penyelidikan selesai.")
    await deliver(services)
    (opened,) = catcher.wait_for(1, subject="kini terbuka")
    text = opened.part("plain") + opened.part("html")
    assert "Sungai Ambawang" in text and "[dikecualikan/withheld]" in text
    assert secret not in text
    assert "DIK (Daftar Informasi yang Dikecualikan)" in text
    # the whole dataset opens, but its NIK column stays withheld (Pasal 17h): said so
    whole = await add_exemption(
        services,
        admin,
        ExemptionRequest(
            dataset_slug=TBC,
            scope="DATASET",
            basis="PASAL_17A",
            consequence_test="Seluruh register bagian dari penyelidikan.",
            expires_on=regency_today() + timedelta(days=30),
        ),
    )
    await revoke_exemption(services, admin, whole.id, "Penyelidikan selesai.")
    await deliver(services)
    second = catcher.wait_for(2, subject="kini terbuka")[-1].part("plain")
    assert "kecuali yang masih dikecualikan oleh pengecualian lain" in second
    assert "except what other exemptions still withhold" in second


async def test_an_apps_pushes_tell_a_follower_once_a_day(
    mail_services: Services, catcher: MailCatcher, tmp_path: Path
) -> None:
    services = mail_services
    assert (await load_catalog(services, small_catalog(tmp_path / "catalog"))).ok
    app = await add_app(
        services.database, name="RT Online", agency_slug="dinkes", dataset_slugs=[OPEN_DATASET]
    )
    await follow(services, None, FollowTarget.AGENCY, "dinkes", "warga@example.org")
    await deliver(services)
    confirmation = catcher.wait_for(1, subject="Konfirmasi")[0]
    await confirm(services, link_in(confirmation, "/ikuti/konfirmasi/").rsplit("/", 1)[1])
    async with asgi_client(create_app(services)) as client:
        for key in ("push-1", "push-2"):
            pushed = await push(client, app.token, make_rows(3), key=key)
            assert pushed.status_code == 200, pushed.text
    await deliver(services)
    (told,) = catcher.wait_for(1, subject="Dataset diperbarui")
    assert told.recipients == ("warga@example.org",)
    assert "aplikasi sumber mengirim data baru" in told.part("plain")
    assert "Dinas Kesehatan" in told.part("plain")  # they follow the agency
