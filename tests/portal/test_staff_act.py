"""The staff pages through the app on SQLite and PostgreSQL: the officer's queue by due date,
the act page's forms (exactly the open steps), a partial refusal with an attachment through
the form, the notice as PDF, and nobody else seeing any of it."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from graphql import parse, validate
from pypdf import PdfReader

from opendata.accounts.tokens import issue_token
from opendata.app import create_app
from opendata.attachments.steps import answer_request
from opendata.config import Limits
from opendata.db.base import utcnow
from opendata.information_requests.queue import QueueItem, officer_queue
from opendata.portal.pages.staff_queue import QUEUE_QUERY
from opendata.public_ids import to_global_id
from opendata.regency_time import regency_now
from opendata.services import Services
from opendata.web.graphql.build import build_schema
from tests.information_requests.builders import object_to, refuse
from tests.information_requests.helpers import NIK, Desk, make_desk, online, walk_in, wib
from tests.portal.conftest import csrf_of, portal_as

PDF = b"%PDF-1.7\n% lampiran pemberitahuan\n%%EOF\n"
ATTACHMENT_LINK = re.compile(r'href="/lampiran/(\d+)"')


def act_path(number: str) -> str:
    return f"/petugas/permohonan/{number}"


async def test_the_queue_lists_the_agencys_requests_soonest_due_first_with_marks(
    services: Services,
) -> None:
    desk = await make_desk(services)
    now = regency_now()
    late = await walk_in(desk, now - timedelta(days=30))  # past its 10 working days
    fresh = await online(desk, utcnow())
    soon = await walk_in(desk, now - timedelta(days=11))  # a few working days left at most
    elsewhere = await walk_in(desk, now, agency="dinkes")
    async with services.database.session() as session:
        queue = await officer_queue(session, desk.agency.id, services.calendar, utcnow())
    numbers = [item.request.registration_number for item in queue.items]
    assert numbers[0] == late.request.registration_number
    assert numbers[-1] == fresh.request.registration_number
    assert elsewhere.request.registration_number not in numbers
    assert queue.items[0].deadline.overdue and queue.overdue == 1
    assert sum(queue.counts.values()) == 3

    async with await portal_as(services, desk.officer) as officer:
        page = await officer.get("/petugas")
    assert page.status_code == 200
    html = page.text
    positions = [html.index(act_path(r.request.registration_number)) for r in (late, soon, fresh)]
    assert positions == sorted(positions)
    assert elsewhere.request.registration_number not in html
    assert "Terlambat" in html and "is-overdue" in html
    # e-mail is not configured in tests: the page says so
    assert "OPENDATA_SMTP_URL" in html
    # the admin's queue holds every agency's
    async with await portal_as(services, desk.admin) as admin:
        everything = (await admin.get("/petugas")).text
    assert elsewhere.request.registration_number in everything


async def test_staff_pages_refuse_the_anonymous_requesters_and_other_agencies(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    number = record.request.registration_number
    pages = ("/petugas", act_path(number), act_path(number) + "/surat/receipt.pdf")
    async with await portal_as(services) as anyone:
        for path in pages:
            assert (await anyone.get(path)).status_code == 401, path
    async with await portal_as(services, desk.requester) as requester:
        for path in pages:
            refused = await requester.get(path)
            assert refused.status_code == 403, path
            assert NIK not in refused.text
    async with await portal_as(services, desk.other_officer) as other:
        for path in pages[1:]:
            refused = await other.get(path)
            assert refused.status_code in (403, 404), path
            assert NIK not in refused.text and "wartawan" not in refused.text
            assert "Anggaran pengadaan laptop" not in refused.text
        token = csrf_of((await other.get("/petugas")).text)
        posted = await other.post(
            act_path(number), data={"csrf_token": token, "action": "extend", "reason": "x"}
        )
        assert posted.status_code == 403


async def test_an_officer_refuses_in_part_with_an_attachment_and_downloads_the_notice(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    number = record.request.registration_number
    path = act_path(number)
    async with await portal_as(services, desk.officer) as officer:
        page = await officer.get(path)
        assert page.status_code == 200
        # the requester's details, and the forms of exactly the open steps
        assert NIK in page.text and "wartawan" in page.text
        assert 'value="answer"' in page.text and 'value="extend"' in page.text
        assert 'value="fulfil"' not in page.text and 'value="dispute"' not in page.text
        token = csrf_of(page.text)
        forged = await officer.post(
            path,
            data={"action": "answer", "decision": "GRANTED", "answer": "x"},
            files={"attachments": ("a.pdf", PDF, "application/pdf")},
        )
        assert forged.status_code == 403  # no CSRF token: refused, nothing recorded
        answered = await officer.post(
            path,
            data={
                "csrf_token": token,
                "action": "answer",
                "decision": "PARTIALLY_GRANTED",
                "answer": "Diberikan rekap; rincian per orang dikecualikan.",
                "exemptions": "PASAL_17H",
                "consequence_test": "Rincian memuat data pribadi penerima.",
                # belongs to NOT_HELD only: ignored, not refused, for this decision
                "held_by": "Dinas lain",
            },
            files={"attachments": ("rekap anggaran.pdf", PDF, "application/pdf")},
        )
        assert answered.status_code == 303, answered.text
        assert answered.headers["location"] == f"{path}?done=answer"
        after = await officer.get(answered.headers["location"])
        assert "Diberikan sebagian" in after.text and "rekap anggaran.pdf" in after.text
        assert 'value="answer"' not in after.text  # the notice is given once
        assert 'value="fulfil"' in after.text
        (attachment_id,) = ATTACHMENT_LINK.findall(after.text)
        letter = await officer.get(f"{path}/surat/notice.pdf")
        assert letter.status_code == 200
        assert letter.headers["content-type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
        assert number in text and "17" in text
        assert (await officer.get(f"/lampiran/{attachment_id}")).content == PDF

    download = f"/lampiran/{attachment_id}"
    async with await portal_as(services, desk.requester) as requester:
        # the requester finds it on the request's own page and downloads it
        own_page = (await requester.get(f"/permohonan/{number}")).text
        assert f'href="{download}"' in own_page
        assert (await requester.get(download)).content == PDF
    async with await portal_as(services, desk.other_officer) as other:
        assert (await other.get(download)).status_code == 404
        assert (await other.get(f"{path}/surat/notice.pdf")).status_code == 403
    async with await portal_as(services) as anyone:
        assert (await anyone.get(download)).status_code == 404
        assert download not in (await anyone.get(f"/permohonan/{number}")).text

    # published, everyone may download it
    async with await portal_as(services, desk.officer) as officer:
        token = csrf_of((await officer.get(path)).text)
        published = await officer.post(
            path,
            data={
                "csrf_token": token,
                "action": "publish",
                "attachment": to_global_id("Attachment", int(attachment_id)),
                "public": "1",
            },
        )
        assert published.status_code == 303
    async with await portal_as(services) as anyone:
        assert (await anyone.get(download)).content == PDF
        assert download in (await anyone.get(f"/permohonan/{number}")).text


async def test_a_refusal_without_a_basis_comes_back_on_the_page_in_both_languages(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    path = act_path(record.request.registration_number)
    async with await portal_as(services, desk.officer) as officer:
        token = csrf_of((await officer.get(path)).text)
        form = {
            "csrf_token": token,
            "action": "answer",
            "decision": "REFUSED",
            "answer": "Ditolak.",
        }
        refused = await officer.post(path, data=form)
        assert refused.status_code == 400
        assert "wajib menyebut dasar Pasal 17" in refused.text
        assert ">Ditolak.</textarea>" in refused.text  # what was typed stays
        english = await officer.post(path + "?lang=en", data=form)
        assert "must cite its Pasal 17 bases" in english.text
        # a script renamed .pdf: the attachment's type check refuses it, and the notice too
        form.update(exemptions="PASAL_17H", consequence_test="Data pribadi.")
        bad_file = await officer.post(
            path + "?lang=id",
            data=form,
            files={"attachments": ("surat.pdf", b"<script>", "application/pdf")},
        )
        assert bad_file.status_code == 400 and "tidak sesuai dengan jenisnya" in bad_file.text
        page = await officer.get(path)
    assert 'value="answer"' in page.text  # nothing was recorded
    assert ATTACHMENT_LINK.findall(page.text) == []


async def test_after_a_grant_the_officer_records_the_fulfilment_and_prints_the_letters(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    await answer_request(
        services, desk.officer, record.request.id, decision="GRANTED", answer="Terlampir."
    )
    path = act_path(record.request.registration_number)
    async with await portal_as(services, desk.officer) as officer:
        queue = (await officer.get("/petugas")).text
        # the delivery clock runs: the queue lists the information as owed
        assert "Kewajiban: PPID menyerahkan informasi yang dikabulkan" in queue and path in queue
        page = await officer.get(path)
        assert "/surat/receipt.pdf" in page.text and "/surat/notice.pdf" in page.text
        assert "/surat/extension.pdf" not in page.text
        given = await officer.post(
            path,
            data={
                "csrf_token": csrf_of(page.text),
                "action": "fulfil",
                "delivered_on": regency_now().date().isoformat(),
                "form": "SOFT_COPY",
            },
            files={"attachments": ("", b"", "application/octet-stream")},  # no file chosen
        )
        assert given.status_code == 303, given.text
        assert (
            "Pemberian informasi telah dicatat"
            in (await officer.get(given.headers["location"])).text
        )
        receipt = await officer.get(f"{path}/surat/receipt.pdf")
        assert path not in (await officer.get("/petugas")).text
    assert receipt.content.startswith(b"%PDF")


ANSWER = """mutation($input: AnswerRequestInput!) { answerInformationRequest(input: $input) {
  decision attachments { name size contentType public } } }"""


@pytest.mark.parametrize("valid", [True, False])
async def test_answer_information_request_takes_attachments_in_the_same_transaction(
    services: Services, valid: bool
) -> None:
    desk: Desk = await make_desk(services)
    record = await online(desk, utcnow())
    async with services.database.write() as session:
        token = await issue_token(session, desk.officer.user_id)
    content = PDF if valid else b"not a pdf"
    operations = {
        "query": ANSWER,
        "variables": {
            "input": {
                "id": to_global_id("InformationRequest", record.request.id),
                "decision": "GRANTED",
                "answer": "Terlampir.",
                "attachments": [None],
            }
        },
    }
    async with await portal_as(services) as client:
        answered = await client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.input.attachments.0"]}),
            },
            files={"0": ("jawaban.pdf", content, "application/pdf")},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = answered.json()
    if valid:
        assert body["data"]["answerInformationRequest"] == {
            "decision": "GRANTED",
            "attachments": [
                {
                    "name": "jawaban.pdf",
                    "size": len(PDF),
                    "contentType": "application/pdf",
                    "public": False,
                }
            ],
        }
    else:
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        async with services.database.session() as session:
            from opendata.information_requests.models import InformationRequest

            again = await session.get(InformationRequest, record.request.id)
        assert again is not None and again.decision is None  # the answer was undone too


async def test_for_a_walk_in_requester_the_officer_records_their_steps_and_the_superior_reads(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, regency_now())
    path = act_path(record.request.registration_number)
    async with await portal_as(services, desk.superior) as superior:
        page = await superior.get(path)
    # the superior of the agency reads the request and its requester, and has no PPID form
    assert page.status_code == 200 and "Siti Aminah" in page.text
    assert 'value="answer"' not in page.text and 'value="withdraw"' not in page.text
    async with await portal_as(services, desk.officer) as officer:
        page = await officer.get(path)
        assert 'value="withdraw"' in page.text  # no account: the PPID records it for them
        token = csrf_of(page.text)
        # one tap only asks: what withdrawing means, and the button that records it
        asked = await officer.post(path, data={"csrf_token": token, "action": "withdraw"})
        assert asked.status_code == 200 and "Cabut permohonan" in asked.text
        assert "hak pemohon atasnya" in asked.text and "Ya, catat pencabutan" in asked.text
        assert 'name="confirmed" value="yes"' in asked.text
        assert "Permohonan diterima" in (await officer.get(path)).text  # nothing happened
        withdrawn = await officer.post(
            path,
            data={"csrf_token": csrf_of(asked.text), "action": "withdraw", "confirmed": "yes"},
        )
        assert withdrawn.status_code == 303
        after = (await officer.get(withdrawn.headers["location"])).text
    assert "Pencabutan permohonan telah dicatat" in after and "Permohonan dicabut" in after
    assert "Saat ini tidak ada langkah" in after


async def test_the_staff_navigation_links_only_the_staff_pages_the_app_has(
    services: Services,
) -> None:
    desk = await make_desk(services)
    app = create_app(services)
    # every link a role is shown opens for that role
    for viewer in (desk.officer, desk.superior, desk.admin):
        async with await portal_as(services, viewer, app) as staff:
            queue = (await staff.get("/petugas")).text
            nav = queue[
                queue.index('class="staff-nav"') : queue.index(
                    "</nav>", queue.index('class="staff-nav"')
                )
            ]
            links = re.findall(r'href="([^"]+)"', nav)
            assert len(links) >= 2, (viewer.role, links)
            for link in links:
                assert (await staff.get(link)).status_code == 200, (viewer.role, link)
    async with await portal_as(services, desk.superior, app) as superior:
        full = (await superior.get("/petugas")).text
        # in the sub-navigation, and for a superior as the way to the objections waiting
        assert full.count('href="/petugas/keberatan"') == 2
        # an app without the objections page (e.g. another module not installed)
        app.router.routes[:] = [
            route
            for route in app.router.routes
            if getattr(route, "name", None) not in ("staff_objections", "staff_objections_post")
        ]
        without = (await superior.get("/petugas")).text
    assert 'href="/petugas"' in without and 'href="/petugas/keberatan"' not in without


async def test_a_superior_sees_the_pending_objection_and_the_way_to_answer_it(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    await refuse(desk, record.request.id, utcnow())
    await object_to(desk, record.request.id, utcnow(), reason="Data agregat bukan data pribadi.")
    path = act_path(record.request.registration_number)
    async with await portal_as(services, desk.superior) as superior:
        page = (await superior.get(path)).text
    assert "Data agregat bukan data pribadi." in page and "/KEB/" in page
    # the superior answers on the objections page: the act page links there, no empty form
    assert 'href="/petugas/keberatan"' in page and 'value="answer"' not in page
    assert "/surat/objection_receipt.pdf" in page


async def test_the_queue_marks_three_working_days_left_as_due_soon_and_a_day_late_as_overdue(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 2))
    due_on = record.request.answer_due_on
    calendar = services.calendar

    async def seen_on(day: date) -> QueueItem:
        async with services.database.session() as session:
            queue = await officer_queue(
                session, desk.agency.id, calendar, wib(*day.timetuple()[:3])
            )
        (item,) = queue.items
        return item

    four_left = await seen_on(calendar.add_working_days(due_on, -4))
    three_left = await seen_on(calendar.add_working_days(due_on, -3))
    on_the_day = await seen_on(due_on)
    a_day_late = await seen_on(calendar.add_working_days(due_on, 1))
    assert (four_left.due_soon, four_left.deadline.working_days_left) == (False, 4)
    assert (three_left.due_soon, three_left.deadline.working_days_left) == (True, 3)
    assert (on_the_day.due_soon, on_the_day.deadline.overdue) == (True, False)
    assert (a_day_late.due_soon, a_day_late.deadline.overdue) == (False, True)


def test_the_queue_pages_query_is_valid_against_the_schema() -> None:
    schema = build_schema(Limits())
    assert validate(schema._schema, parse(QUEUE_QUERY)) == []


async def test_officer_queue_answers_staff_with_a_token_and_refuses_others(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, regency_now())
    await walk_in(desk, regency_now(), agency="dinkes")
    async with services.database.write() as session:
        tokens = {
            who: await issue_token(session, viewer.user_id)
            for who, viewer in (("officer", desk.officer), ("requester", desk.requester))
        }
    async with await portal_as(services) as client:

        async def ask(who: str | None) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
            answer = await client.post("/graphql", json={"query": QUEUE_QUERY}, headers=headers)
            return answer.json()  # type: ignore[no-any-return]

        officer = (await ask("officer"))["data"]["officerQueue"]
        requester = await ask("requester")
        anonymous = await ask(None)
    assert officer["waiting"] == 1 and officer["counts"] == [{"status": "SUBMITTED", "count": 1}]
    (item,) = officer["items"]
    assert item["request"]["registrationNumber"] == record.request.registration_number
    assert (item["duty"], item["workingDaysLeft"], item["overdue"]) == ("NOTICE", 10, False)
    assert requester["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
