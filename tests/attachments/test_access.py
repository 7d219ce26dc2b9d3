"""Attachments end to end: uploaded through the GraphQL multipart spec, listed on the request,
downloaded from /lampiran/<id>; private ones only to the requester and the agency's staff."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from opendata.accounts.tokens import issue_token
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.attachments.models import AttachmentStage
from opendata.attachments.rules import MAX_ATTACHMENT_BYTES
from opendata.attachments.service import (
    UploadedFile,
    add_attachments,
    can_read,
    readable_attachment,
)
from opendata.attachments.store import attachment_store
from opendata.errors import NotFound
from opendata.information_requests.models import InformationRequest
from opendata.public_ids import from_global_id, to_global_id
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.conftest import asgi_client
from tests.information_requests.helpers import Desk, make_desk, online
from tests.web.test_statement_counts import count_statements

PDF = b"%PDF-1.7\n% surat pemberitahuan\n%%EOF\n"
CSV = b"desa,penerima\nSungai Raya,120\n"
UPLOAD = """mutation($input: AddAttachmentsInput!) { addRequestAttachments(input: $input) {
  id name url size contentType public stage sha256 } }"""
READ = """query($n: String!) { informationRequest(registrationNumber: $n) {
  attachments { name url size contentType public } } }"""


@dataclass
class Scene:
    desk: Desk
    client: httpx.AsyncClient
    tokens: dict[str, str]
    request_id: str
    number: str


async def _token(services: Services, viewer: Viewer) -> str:
    async with services.database.write() as session:
        return await issue_token(session, viewer.user_id)


@pytest.fixture
async def scene(services: Services) -> AsyncIterator[Scene]:
    desk = await make_desk(services)
    record = await online(desk, regency_now())
    people = {
        "officer": desk.officer,
        "superior": desk.superior,
        "requester": desk.requester,
        "other_requester": desk.other_requester,
        "other_officer": desk.other_officer,
        "admin": desk.admin,
    }
    tokens = {name: await _token(services, viewer) for name, viewer in people.items()}
    async with asgi_client(create_app(services)) as client:
        yield Scene(
            desk,
            client,
            tokens,
            to_global_id("InformationRequest", record.request.id),
            record.request.registration_number,
        )


def _auth(scene: Scene, who: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {scene.tokens[who]}"} if who else {}


async def upload(
    scene: Scene,
    who: str | None,
    files: list[tuple[str, bytes]],
    *,
    stage: str = "NOTICE",
    public: bool = False,
    mapping: dict[str, list[str]] | None = None,
) -> httpx.Response:
    operations = {
        "query": UPLOAD,
        "variables": {
            "input": {
                "request": scene.request_id,
                "stage": stage,
                "files": [None] * len(files),
                "public": public,
            }
        },
    }
    mapping = mapping or {str(i): [f"variables.input.files.{i}"] for i in range(len(files))}
    return await scene.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files={
            str(i): (name, data, "application/octet-stream") for i, (name, data) in enumerate(files)
        },
        headers=_auth(scene, who),
    )


async def read(scene: Scene, who: str | None) -> list[dict[str, Any]]:
    body = (
        await scene.client.post(
            "/graphql",
            json={"query": READ, "variables": {"n": scene.number}},
            headers=_auth(scene, who),
        )
    ).json()
    return body["data"]["informationRequest"]["attachments"]  # type: ignore[no-any-return]


async def test_an_officer_uploads_and_only_the_requester_and_staff_see_private_ones(
    scene: Scene,
) -> None:
    private = await upload(scene, "officer", [("Surat Pemberitahuan.pdf", PDF)])
    assert private.status_code == 200, private.text
    (added,) = private.json()["data"]["addRequestAttachments"]
    assert added["name"] == "Surat Pemberitahuan.pdf"
    assert (added["size"], added["contentType"], added["public"]) == (
        len(PDF),
        "application/pdf",
        False,
    )
    public = await upload(scene, "officer", [("rekap.csv", CSV)], stage="FULFILMENT", public=True)
    (published,) = public.json()["data"]["addRequestAttachments"]

    names = {who: [a["name"] for a in await read(scene, who)] for who in [None, *scene.tokens]}
    everything = ["Surat Pemberitahuan.pdf", "rekap.csv"]
    assert names["requester"] == names["officer"] == names["superior"] == everything
    assert names[None] == names["other_requester"] == names["other_officer"] == ["rekap.csv"]
    assert names["admin"] == ["rekap.csv"]  # admins do not see a requester's private side

    private_path = httpx.URL(added["url"]).path
    assert private_path.startswith("/lampiran/")
    for who in ("requester", "officer", "superior"):
        response = await scene.client.get(private_path, headers=_auth(scene, who))
        assert response.status_code == 200 and response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert response.headers["cache-control"] == "private, no-store"
    for who in (None, "other_requester", "other_officer", "admin"):
        response = await scene.client.get(private_path, headers=_auth(scene, who))
        assert response.status_code == 404, who
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert b"Surat" not in response.content
    # a missing id and one that is not yours answer alike: existence does not leak
    private_id = private_path.rsplit("/", 1)[1]
    not_yours = await scene.client.get(private_path, headers=_auth(scene, "other_officer"))
    missing = await scene.client.get("/lampiran/999999", headers=_auth(scene, "officer"))
    assert not_yours.json()["errors"][0]["message"] == f"Lampiran {private_id} tidak ditemukan."
    assert missing.json()["errors"][0]["message"] == "Lampiran 999999 tidak ditemukan."

    anonymous = await scene.client.get(httpx.URL(published["url"]).path)
    assert anonymous.status_code == 200 and anonymous.content == CSV
    assert anonymous.headers["content-type"].startswith("text/csv")


async def test_can_read_is_the_one_check(scene: Scene, services: Services) -> None:
    response = await upload(scene, "officer", [("surat.pdf", PDF)])
    global_id = response.json()["data"]["addRequestAttachments"][0]["id"]
    async with services.database.session() as session:
        attachment = await readable_attachment(
            session, scene.desk.officer, from_global_id(global_id, "Attachment")[1]
        )
        assert can_read(scene.desk.requester, attachment)
        assert not can_read(None, attachment)
        assert not can_read(scene.desk.other_officer, attachment)
        with pytest.raises(NotFound):
            await readable_attachment(session, scene.desk.other_requester, attachment.id)


async def test_others_cannot_attach_and_bad_files_are_refused_in_both_languages(
    scene: Scene,
) -> None:
    refused = await upload(scene, "other_officer", [("surat.pdf", PDF)])
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await upload(scene, "requester", [("surat.pdf", PDF)], stage="NOTICE")
    assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    own = await upload(scene, "requester", [("ktp.pdf", PDF)], stage="REQUEST")
    assert own.json()["data"]["addRequestAttachments"][0]["stage"] == "REQUEST"

    fake = await upload(scene, "officer", [("skrip.pdf", b"<script>alert(1)</script>")])
    error = fake.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert (
        "tidak sesuai" in error["message"] and "does not match" in error["extensions"]["messageEn"]
    )

    big = await upload(scene, "officer", [("besar.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES)])
    assert "20 MB" in big.json()["errors"][0]["extensions"]["messageEn"]
    assert [a["name"] for a in await read(scene, "officer")] == ["ktp.pdf"]  # nothing half-added


async def test_malformed_multipart_requests_get_clear_refusals(scene: Scene) -> None:
    anonymous = await upload(scene, None, [("surat.pdf", PDF)])
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    wrong_path = await upload(scene, "officer", [("surat.pdf", PDF)], mapping={"0": ["query"]})
    assert wrong_path.status_code == 400
    assert "variables." in wrong_path.json()["errors"][0]["extensions"]["messageEn"]

    missing_file = await upload(
        scene,
        "officer",
        [("surat.pdf", PDF)],
        mapping={"0": ["variables.input.files.0"], "7": ["variables.input.files.0"]},
    )
    assert missing_file.status_code == 400

    nul = await scene.client.post(
        "/graphql",
        data={
            "operations": json.dumps(
                {"query": UPLOAD, "variables": {"input": {"request": "\u0000"}}}
            ),
            "map": "{}",
        },
        files={"0": ("a.pdf", PDF)},
        headers=_auth(scene, "officer"),
    )
    assert nul.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "NUL" in nul.json()["errors"][0]["extensions"]["messageEn"]

    no_operations = await scene.client.post(
        "/graphql", data={"map": "{}"}, files={"0": ("a.pdf", PDF)}, headers=_auth(scene, "officer")
    )
    assert no_operations.status_code == 400
    assert no_operations.json()["errors"][0]["message"] == "Bagian `operations` wajib ada."


async def test_a_file_sent_as_text_not_as_an_upload_is_refused_in_both_languages(
    scene: Scene,
) -> None:
    variables = {"input": {"request": scene.request_id, "stage": "NOTICE", "files": ["a.pdf"]}}
    response = await scene.client.post(
        "/graphql",
        json={"query": UPLOAD, "variables": variables},
        headers=_auth(scene, "officer"),
    )
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "files"
    assert error["message"] == "Berkas harus dikirim sebagai unggahan multipart."
    assert error["extensions"]["messageEn"] == "Files must be sent as a multipart upload."
    assert await read(scene, "officer") == []


async def test_an_officer_publishes_a_document_later(scene: Scene) -> None:
    response = await upload(scene, "officer", [("surat.pdf", PDF)])
    attachment_id = response.json()["data"]["addRequestAttachments"][0]["id"]
    publish = """mutation($id: ID!, $public: Boolean!) { setAttachmentPublic(id: $id, public: $public) { public } }"""
    by_requester = await scene.client.post(
        "/graphql",
        json={"query": publish, "variables": {"id": attachment_id, "public": True}},
        headers=_auth(scene, "requester"),
    )
    assert by_requester.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await read(scene, None) == []
    by_officer = await scene.client.post(
        "/graphql",
        json={"query": publish, "variables": {"id": attachment_id, "public": True}},
        headers=_auth(scene, "officer"),
    )
    assert by_officer.json()["data"]["setAttachmentPublic"]["public"] is True
    assert [a["name"] for a in await read(scene, None)] == ["surat.pdf"]


async def test_the_register_lists_attachments_in_the_same_statements_for_3_and_12(
    services: Services,
) -> None:
    desk = await make_desk(services)
    store = attachment_store(services)
    for index in range(12):
        record = await online(desk, regency_now())
        async with services.database.write() as session:
            request = await session.get(InformationRequest, record.request.id)
            assert request is not None
            await add_attachments(
                session,
                store,
                desk.officer,
                request,
                [UploadedFile(f"jawaban-{index}.pdf", PDF)],
                stage=AttachmentStage.NOTICE,
                public=index % 2 == 0,
            )
    query = """query($n: Int!) { informationRequests(first: $n) { edges { node {
      attachments { name url public } } } } }"""
    counts = {}
    async with asgi_client(create_app(services)) as client:
        for n in (3, 12):
            with count_statements(services) as statements:
                body = (
                    await client.post("/graphql", json={"query": query, "variables": {"n": n}})
                ).json()
            nodes = [edge["node"] for edge in body["data"]["informationRequests"]["edges"]]
            assert len(nodes) == n
            # anonymous: only the public half
            assert all(a["public"] for node in nodes for a in node["attachments"])
            counts[n] = len(statements)
    assert counts[3] == counts[12]
