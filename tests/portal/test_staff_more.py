"""The staff pages beside the queue: walk-in registration, the superior's objection queue,
exemption management with its preview, and the job queue; over HTTP on both databases.
Each page is refused to those it is not for, without a glimpse of its content."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from graphql import parse, validate
from sqlalchemy import func, select

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.background import JOB_HANDLERS
from opendata.catalogue.loader import load_catalog
from opendata.config import Limits, MailSettings
from opendata.db.base import utcnow
from opendata.db.models import Exemption
from opendata.information_requests.mails import MAIL_KIND
from opendata.information_requests.models import InformationRequest, RequestEvent
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.outbox.queue import enqueue
from opendata.outbox.worker import Worker
from opendata.portal.pages import staff_exemptions
from opendata.regency_time import regency_now
from opendata.search.query import SearchQuery
from opendata.services import Services
from opendata.web.graphql.build import build_schema
from tests.conftest import DatabaseFactory, make_services
from tests.information_requests.builders import object_to, refuse
from tests.information_requests.helpers import NIK, Desk, make_desk, online
from tests.mail.catcher import MailCatcher
from tests.portal.catalog import portal_catalog
from tests.portal.conftest import csrf_of, portal_as

DBD = "kasus-dbd-per-kecamatan"


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, Any], form_path: str | None = None
) -> httpx.Response:
    page = await client.get(form_path or path)
    return await client.post(path, data={"csrf_token": csrf_of(page.text), **data})


async def refused(services: Services, viewers: list[Viewer | None], path: str) -> list[int]:
    statuses = []
    for viewer in viewers:
        async with await portal_as(services, viewer) as client:
            statuses.append((await client.get(path)).status_code)
    return statuses


# ------------------------------------------------------------------------------ registration

WALK_IN = {
    "name": "Pak Darmawan",
    "address": "Jl. Sungai Raya Dalam No. 9",
    "identity_number": NIK,
    "phone": "0812 555 0101",
    "email": "darmawan@contoh.id",
    "received_via": "LETTER",
    "information_requested": "Salinan kontrak pengadaan jaringan 2025",
    "purpose": "Pengawasan anggaran desa",
    "delivery_form": "HARD_COPY",
}


async def test_an_officer_registers_a_letter_with_the_requesters_name_and_address(
    services: Services,
) -> None:
    desk = await make_desk(services)
    received = (regency_now() - timedelta(days=1)).replace(second=0, microsecond=0)
    async with await portal_as(services, desk.officer) as officer:
        form = await officer.get("/petugas/permohonan/baru")
        assert form.status_code == 200 and "Pasal 22 ayat (2)-(3)" in form.text
        response = await post_form(
            officer,
            "/petugas/permohonan/baru",
            WALK_IN | {"received_at": received.strftime("%Y-%m-%dT%H:%M")},
        )
    assert response.status_code == 303
    number = response.headers["location"].removeprefix("/petugas/permohonan/")
    assert re.fullmatch(r"DISKOMINFO/\d{4}/\d+", number)
    async with services.database.session() as session:
        request = await session.scalar(
            select(InformationRequest).where(InformationRequest.registration_number == number)
        )
        assert request is not None
        event = await session.scalar(
            select(RequestEvent).where(RequestEvent.request_id == request.id)
        )
    assert (request.requester_name, request.requester_address) == (
        WALK_IN["name"],
        WALK_IN["address"],
    )
    assert request.requester_identity_number == NIK and request.requester_user_id is None
    assert request.channel == "OFFICER" and request.delivery_form == "HARD_COPY"
    assert request.received_at == received
    assert event is not None and event.detail["receivedVia"] == "LETTER"


async def test_registration_without_an_address_is_refused_in_both_languages(
    services: Services,
) -> None:
    desk = await make_desk(services)
    async with await portal_as(services, desk.officer) as officer:
        response = await post_form(officer, "/petugas/permohonan/baru", WALK_IN | {"address": ""})
        english = await post_form(
            officer,
            "/petugas/permohonan/baru?lang=en",
            WALK_IN | {"received_at": "kemarin sore"},
            form_path="/petugas/permohonan/baru",
        )
    assert response.status_code == 400 and "Alamat pemohon wajib diisi" in response.text
    assert WALK_IN["name"] in response.text  # what was typed is kept
    assert english.status_code == 400 and "The time received must be a date" in english.text
    async with services.database.session() as session:
        assert await session.scalar(select(func.count()).select_from(InformationRequest)) == 0


FILE = """mutation($i: FileRequestInput!) {
  fileInformationRequest(input: $i) { registrationNumber }
}"""


async def test_graphql_filing_records_how_a_request_arrived_for_officers_only(
    services: Services,
) -> None:
    await make_desk(services)  # diskominfo and its staff
    officer = await create_user(
        services.database,
        email="ppid2@kab.go.id",
        name="PPID",
        role="OFFICER",
        agency_slug="diskominfo",
    )
    requester = await create_user(
        services.database, email="rina@contoh.id", name="Rina", role="REQUESTER"
    )
    form = {
        "agency": "diskominfo",
        "informationRequested": "Rekap aduan 2025",
        "purpose": "Riset",
        "deliveryForm": "SOFT_COPY",
        "receivedVia": "PHONE",
    }
    async with await portal_as(services, None) as api:
        by_officer = await api.post(
            "/graphql",
            json={
                "query": FILE,
                "variables": {"i": form | {"requester": {"name": "Rina", "address": "Jl. A"}}},
            },
            headers={"Authorization": f"Bearer {officer.token}"},
        )
        by_requester = await api.post(
            "/graphql",
            json={"query": FILE, "variables": {"i": form}},
            headers={"Authorization": f"Bearer {requester.token}"},
        )
    number = by_officer.json()["data"]["fileInformationRequest"]["registrationNumber"]
    assert by_requester.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with services.database.session() as session:
        event = await session.scalar(
            select(RequestEvent)
            .join(InformationRequest, InformationRequest.id == RequestEvent.request_id)
            .where(InformationRequest.registration_number == number)
        )
    assert event is not None and event.detail["receivedVia"] == "PHONE"


async def test_registration_is_only_for_officers(services: Services) -> None:
    desk = await make_desk(services)
    path = "/petugas/permohonan/baru"
    assert await refused(services, [None, desk.requester, desk.superior, desk.admin], path) == [
        401,
        403,
        403,
        403,
    ]
    async with await portal_as(services, desk.requester) as requester:
        posted = await post_form(requester, path, WALK_IN, form_path="/permohonan/baru")
    assert posted.status_code == 403


# ------------------------------------------------------------------------------ objections


async def objected(desk: Desk) -> tuple[str, str]:
    """A refused request whose requester objected: (request number, objection number)."""
    record = await online(desk, utcnow())
    await refuse(desk, record.request.id, utcnow())
    after = await object_to(
        desk,
        record.request.id,
        utcnow(),
        reason="Rekap per kecamatan tidak memuat data pribadi.",
    )
    return record.request.registration_number, after.objections[-1].registration_number


async def test_the_superior_answers_an_objection_from_the_queue(services: Services) -> None:
    desk = await make_desk(services)
    number, objection = await objected(desk)
    async with await portal_as(services, desk.superior) as superior:
        queue = await superior.get("/petugas/keberatan")
        assert queue.status_code == 200
        assert objection in queue.text and number in queue.text
        assert "Rekap per kecamatan tidak memuat data pribadi." in queue.text
        assert "Sisa 30 hari kerja." in queue.text
        # the superior reads the whole record on the act page the queue links to
        act_page = f"/petugas/permohonan/{number}"
        assert f'href="{act_page}"' in queue.text
        assert (await superior.get(act_page)).status_code == 200
        answered = await post_form(
            superior,
            "/petugas/keberatan",
            {
                "request": number,
                "objection": objection,
                "outcome": "UPHELD",
                "answer": "Rekap per kecamatan diberikan.",
            },
        )
        assert answered.status_code == 303
        after = await superior.get(answered.headers["location"])
    assert objection in after.text  # "answered" notice
    assert f'value="{objection}"' not in after.text  # no longer waiting
    async with services.database.session() as session:
        request = await session.scalar(
            select(InformationRequest).where(InformationRequest.registration_number == number)
        )
    assert request is not None and request.status == "OBJECTION_ANSWERED"


async def test_an_incomplete_answer_is_refused_beside_its_objection(services: Services) -> None:
    desk = await make_desk(services)
    number, objection = await objected(desk)
    async with await portal_as(services, desk.superior) as superior:
        response = await post_form(
            superior,
            "/petugas/keberatan",
            {"request": number, "objection": objection, "outcome": "REJECTED", "answer": " "},
        )
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "<details open>" in response.text


async def test_the_objection_queue_refuses_others_and_shows_nothing_of_other_agencies(
    services: Services,
) -> None:
    desk = await make_desk(services)
    number, objection = await objected(desk)
    path = "/petugas/keberatan"
    assert await refused(services, [None, desk.requester], path) == [401, 403]
    # the PPID officer follows what its superior must still answer, but does not answer
    async with await portal_as(services, desk.officer) as officer:
        followed = await officer.get(path)
    assert followed.status_code == 200 and objection in followed.text
    assert 'name="outcome"' not in followed.text
    async with await portal_as(services, desk.other_superior) as other:
        queue = await other.get(path)
        assert queue.status_code == 200 and objection not in queue.text
        assert number not in queue.text
        answered = await post_form(
            other,
            path,
            {"request": number, "objection": objection, "outcome": "UPHELD", "answer": "Ya."},
        )
    assert answered.status_code == 404 and objection not in answered.text
    async with await portal_as(services, desk.admin) as admin:
        overview = await admin.get(path)
    # admins follow every agency's objections up, but the superior answers them
    assert objection in overview.text and 'name="outcome"' not in overview.text
    async with services.database.session() as session:
        request = await session.scalar(
            select(InformationRequest).where(InformationRequest.registration_number == number)
        )
    assert request is not None and request.status == "OBJECTION_FILED"


# ------------------------------------------------------------------------------ exemptions


async def staff_of_the_catalogue(services: Services, tmp_path: Path) -> dict[str, Viewer]:
    assert (await load_catalog(services, portal_catalog(tmp_path / "catalog"))).ok

    async def user(email: str, role: str, agency: str | None = None) -> Viewer:
        made = await create_user(
            services.database, email=email, name=email, role=role, agency_slug=agency
        )
        return made.viewer

    return {
        "officer": await user("ppid@dinkes.test", "OFFICER", "dinkes"),
        "other_officer": await user("ppid@bpbd.test", "OFFICER", "bpbd"),
        "superior": await user("atasan@dinkes.test", "SUPERIOR", "dinkes"),
        "requester": await user("warga@contoh.id", "REQUESTER"),
        "admin": await user("admin@kuburaya.test", "ADMIN"),
    }


ROWS_TOTAL = """query($slug: String!) {
  dataset(slug: $slug) { resources { rows(first: 1) { totalCount } } }
}"""


async def visible_rows(client: httpx.AsyncClient, slug: str) -> int:
    response = await client.post(
        "/graphql", json={"query": ROWS_TOTAL, "variables": {"slug": slug}}
    )
    return int(response.json()["data"]["dataset"]["resources"][0]["rows"]["totalCount"])


async def finds(services: Services, text: str, slug: str) -> bool:
    results = await services.search.search(SearchQuery(text, limit=50, with_facets=False))
    return any(hit.slug == slug for hit in results.hits)


async def exemption_count(services: Services) -> int:
    async with services.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Exemption)) or 0)


ROW_DRAFT = {
    "dataset": DBD,
    "scope": "ROW",
    "row_field": "kecamatan",
    "row_value": "Rasau Jaya",
    "basis": "PASAL_17H",
    "consequence_test": "Kasus di kecamatan sekecil ini dapat dikenali orangnya.",
}


def figure(html: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", html)
    assert found is not None, label
    return found.group(1)


async def test_the_preview_shows_what_an_exemption_removes_and_saves_nothing(
    services: Services, tmp_path: Path
) -> None:
    staff = await staff_of_the_catalogue(services, tmp_path)
    async with await portal_as(services, staff["officer"]) as officer:
        chosen = await officer.get(f"/petugas/pengecualian?dataset={DBD}")
        assert chosen.status_code == 200 and 'value="kecamatan"' in chosen.text
        rows_before = await visible_rows(officer, DBD)
        exemptions_before = await exemption_count(services)
        assert await finds(services, "Rasau Jaya", DBD)

        preview = await post_form(
            officer,
            "/petugas/pengecualian",
            ROW_DRAFT | {"action": "preview"},
            form_path=f"/petugas/pengecualian?dataset={DBD}",
        )
        assert preview.status_code == 200, preview.text
        hidden = int(figure(preview.text, "Baris disembunyikan"))
        lost = figure(preview.text, "Nilai pencarian hilang")
        assert hidden == 2 and lost.startswith("1 / ")
        assert figure(preview.text, "Kolom dikecualikan") == "tidak ada"
        # the preview saved nothing and changed nothing anyone sees
        assert await exemption_count(services) == exemptions_before
        assert await visible_rows(officer, DBD) == rows_before
        assert await finds(services, "Rasau Jaya", DBD)

        saved = await post_form(
            officer,
            "/petugas/pengecualian",
            ROW_DRAFT | {"action": "save"},
            form_path=f"/petugas/pengecualian?dataset={DBD}",
        )
        assert saved.status_code == 303
        listing = await officer.get(saved.headers["location"])
        assert "kecamatan = Rasau Jaya" in listing.text
        # exactly what the preview said disappeared
        assert await visible_rows(officer, DBD) == rows_before - hidden
        assert not await finds(services, "Rasau Jaya", DBD)
        assert await finds(services, "Sungai Kakap", DBD)
    assert await exemption_count(services) == exemptions_before + 1


async def test_a_field_exemption_preview_names_the_field_and_refuses_a_whole_periodic_dataset(
    services: Services, tmp_path: Path
) -> None:
    staff = await staff_of_the_catalogue(services, tmp_path)
    async with await portal_as(services, staff["officer"]) as officer:
        form_path = f"/petugas/pengecualian?dataset={DBD}"
        field = await post_form(
            officer,
            "/petugas/pengecualian?lang=en",
            ROW_DRAFT | {"scope": "FIELD", "field": "kecamatan", "action": "preview"},
            form_path=form_path,
        )
        whole = await post_form(
            officer,
            "/petugas/pengecualian",
            ROW_DRAFT | {"scope": "DATASET", "action": "preview"},
            form_path=form_path,
        )
    assert field.status_code == 200
    assert figure(field.text, "Fields withheld") == "kecamatan"
    assert figure(field.text, "Rows hidden") == "0"
    # "Kubu" still finds it through the agency name (Kubu Raya); the three other places do not
    assert figure(field.text, "Search values lost").startswith("3 / ")
    # the language chosen with ?lang=en stays (cookie)
    assert whole.status_code == 400 and "cannot be withheld whole (Pasal 18 ayat (1))" in whole.text


async def test_an_officer_revokes_an_exemption_with_a_reason(
    services: Services, tmp_path: Path
) -> None:
    staff = await staff_of_the_catalogue(services, tmp_path)
    form_path = f"/petugas/pengecualian?dataset={DBD}"
    async with await portal_as(services, staff["officer"]) as officer:
        await post_form(officer, "/petugas/pengecualian", ROW_DRAFT | {"action": "save"}, form_path)
        async with services.database.session() as session:
            added = await session.scalar(select(Exemption).where(Exemption.source == "api"))
        assert added is not None
        no_reason = await post_form(
            officer,
            "/petugas/pengecualian",
            {"action": "revoke", "exemption": str(added.id), "reason": ""},
        )
        assert no_reason.status_code == 400 and "Alasan pencabutan wajib diisi." in no_reason.text
        revoked = await post_form(
            officer,
            "/petugas/pengecualian",
            {"action": "revoke", "exemption": str(added.id), "reason": "Sudah dianonimkan."},
        )
        assert revoked.status_code == 303
        assert await finds(services, "Rasau Jaya", DBD)
    async with services.database.session() as session:
        again = await session.get(Exemption, added.id)
    assert again is not None and again.revoke_reason == "Sudah dianonimkan."


async def test_exemption_management_refuses_others_and_shows_no_other_agencys_dik(
    services: Services, tmp_path: Path
) -> None:
    staff = await staff_of_the_catalogue(services, tmp_path)
    path = "/petugas/pengecualian"
    assert await refused(services, [None, staff["requester"], staff["superior"]], path) == [
        401,
        403,
        403,
    ]
    async with await portal_as(services, staff["other_officer"]) as other:
        own = await other.get(path)
        assert own.status_code == 200
        # dinkes's DIK (the TBC register's NIK and its rows) is not bpbd's to manage
        assert "Register Pasien" not in own.text and "putus berobat" not in own.text
        assert (await other.get(f"{path}?dataset={DBD}")).status_code == 404
        before = await exemption_count(services)
        previewed = await post_form(other, path, ROW_DRAFT | {"action": "preview"})
        saved = await post_form(other, path, ROW_DRAFT | {"action": "save"})
        async with services.database.session() as session:
            tbc_nik = await session.scalar(select(Exemption).where(Exemption.field == "nik"))
        assert tbc_nik is not None
        revoked = await post_form(
            other, path, {"action": "revoke", "exemption": str(tbc_nik.id), "reason": "x"}
        )
    for response in (previewed, saved, revoked):
        assert response.status_code == 404 and "Rasau Jaya" not in response.text
    assert await exemption_count(services) == before
    async with await portal_as(services, staff["admin"]) as admin:
        everything = await admin.get(path)
    assert "Register Pasien" in everything.text  # admins keep every agency's DIK


# ------------------------------------------------------------------------------ jobs


async def test_a_held_send_is_shown_to_admins_only_and_retry_queues_it_again(
    services: Services,
) -> None:
    desk = await make_desk(services)
    await online(desk, utcnow())  # the receipt and the officers' notice are queued
    await Worker(services, JOB_HANDLERS).run_until_idle()  # no SMTP here: both are held
    path = "/petugas/pekerjaan"
    assert await refused(services, [None, desk.requester, desk.officer, desk.superior], path) == [
        401,
        403,
        403,
        403,
    ]
    async with services.database.session() as session:
        held = list(await session.scalars(select(OutboxJob).order_by(OutboxJob.id)))
    assert [job.status for job in held] == [JobStatus.HELD.value] * 2
    async with await portal_as(services, desk.admin) as admin:
        page = await admin.get(path)
        assert page.status_code == 200
        assert f"Tugas {held[0].id}" in page.text and "Tidak ada server SMTP" in page.text
        assert "receipt" in page.text and "no SMTP configured" in page.text
        retried = await post_form(admin, path, {"action": "retry", "job": str(held[0].id)})
        assert retried.status_code == 303
        missing = await post_form(admin, path, {"action": "retry", "job": "999999"})
        assert missing.status_code == 404
    async with services.database.session() as session:
        again = await session.get(OutboxJob, held[0].id)
        other = await session.get(OutboxJob, held[1].id)
    assert again is not None and again.status == JobStatus.PENDING.value and again.attempts == 0
    assert other is not None and other.status == JobStatus.HELD.value


async def test_a_failed_send_stays_visible_with_its_error_until_an_admin_retries_it(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    with MailCatcher() as catcher:
        services = await make_services(
            database_factory,
            dialect,
            tmp_path / "data",
            mail=MailSettings(smtp_url=catcher.url, mail_from="PPID <ppid@kab.go.id>"),
        )
        try:
            desk = await make_desk(services)
            async with services.database.write() as session:
                # a mail whose template no longer exists can never be sent: FAILED at once
                broken = await enqueue(
                    session,
                    MAIL_KIND,
                    {"template": "surat_lama", "to": "warga@contoh.id", "context": {}},
                )
            await Worker(services, JOB_HANDLERS).run_until_idle()
            async with await portal_as(services, desk.admin) as admin:
                page = await admin.get("/petugas/pekerjaan")
                assert f"Tugas {broken} · Gagal" in page.text
                assert "rejected: cannot render" in page.text
                assert "Tidak ada server SMTP" not in page.text  # mail is configured here
                retried = await post_form(
                    admin, "/petugas/pekerjaan", {"action": "retry", "job": str(broken)}
                )
                assert retried.status_code == 303
                assert (
                    f"Tugas {broken} diantrekan lagi."
                    in (await admin.get(retried.headers["location"])).text
                )
            async with await portal_as(services, desk.other_officer) as officer:
                assert (await officer.get("/petugas/pekerjaan")).status_code == 403
            async with services.database.session() as session:
                job = await session.get(OutboxJob, broken)
            assert job is not None and job.status == JobStatus.PENDING.value
            assert job.last_error is not None  # the history of the failure is kept
        finally:
            await services.close()


def test_the_exemption_pages_api_query_is_valid_against_the_schema() -> None:
    schema = build_schema(Limits())
    assert validate(schema._schema, parse(staff_exemptions.DIK_QUERY)) == []
