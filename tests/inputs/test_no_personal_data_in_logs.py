"""Issue 21 finding 8: no personal data or secret in any log line, ever, on both databases.

Request scenarios run with errors forced (a NUL in a portal form, a filing whose database
statement fails with the requester's data bound to it, through the pages and GraphQL) while a
handler records every log record at every level; no record, traceback included, may carry
the requester's NIK, e-mail, address, phone or password hash. On the base commit (809e75d)
the NUL was a 500 on PostgreSQL and the failing statement's text carried its parameters.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select, text

from opendata.accounts.models import User
from opendata.accounts.service import sign_up
from opendata.accounts.tokens import issue_token
from opendata.app import create_app
from opendata.db.base import utcnow
from opendata.information_requests import service as requests_service
from opendata.information_requests.filing import FilingForm, RequesterDetails
from opendata.services import Services
from tests.conftest import asgi_client
from tests.information_requests.helpers import make_desk
from tests.portal.conftest import csrf_of, portal_as

NIK = "6171019988770001"
EMAIL = "rahasia.pemohon@contoh.id"
ADDRESS = "Jl. Rahasia Sekali 77"
PHONE = "0812-7777-9999"
FILE = """mutation($input: FileRequestInput!) { fileInformationRequest(input: $input) { id } }"""


class Everything(logging.Handler):
    """Every record, formatted with its traceback, as a log file would hold it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log() -> Any:
    handler = Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


async def test_forced_errors_leave_no_personal_data_in_any_log_line(
    services: Services, log: Everything, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_desk(services)
    requester = (
        await sign_up(services.database, name="Pemohon", email=EMAIL, password="sandi-rahasia-9")
    ).viewer
    filed = await requests_service.file_request(
        services,
        requester,
        FilingForm(
            agency_slug="diskominfo",
            information_requested="Anggaran 2025",
            purpose="Penelitian",
            delivery_form="SOFT_COPY",
            requester=RequesterDetails(identity_number=NIK, address=ADDRESS, phone=PHONE),
        ),
        now=utcnow(),
    )
    assert filed.request.id
    async with services.database.session() as session:
        password_hash = (
            await session.execute(select(User.password_hash).where(User.id == requester.user_id))
        ).scalar_one()
    secrets = {"NIK": NIK, "e-mail": EMAIL, "address": ADDRESS, "phone": PHONE}
    secrets["password hash"] = str(password_hash)

    # 1. a NUL in every field of the portal's request form
    async with await portal_as(services, requester) as portal:
        token = csrf_of((await portal.get("/permohonan/baru")).text)
        for field in ("information_requested", "purpose", "identity_number", "address", "phone"):
            form = {
                "csrf_token": token,
                "agency": "diskominfo",
                "information_requested": "Anggaran",
                "purpose": "Penelitian",
                "delivery_form": "SOFT_COPY",
                "identity_number": NIK,
                "address": ADDRESS,
                "phone": PHONE,
            }
            form[field] += "\x00"
            answer = await portal.post("/permohonan/baru", data=form)
            assert answer.status_code == 400, field

    # 2. a filing step that fails in the database with the requester's data bound to it
    async def failing(*args: Any, **kwargs: Any) -> Any:
        async with services.database.session() as session:
            await session.execute(
                text("SELECT * FROM no_such_table WHERE a = :n AND b = :e AND c = :h AND d = :p"),
                {"n": NIK, "e": EMAIL, "h": password_hash, "p": PHONE},
            )

    monkeypatch.setattr(requests_service, "file_request", failing)
    details = {"name": "Pemohon", "identityNumber": NIK, "address": ADDRESS, "phone": PHONE}
    variables = {
        "input": {
            "agency": "diskominfo",
            "informationRequested": "Anggaran",
            "purpose": "Penelitian",
            "deliveryForm": "SOFT_COPY",
            "requester": details,
        }
    }
    async with services.database.write() as session:
        bearer = await issue_token(session, requester.user_id)
    async with asgi_client(create_app(services)) as client:
        answer = await client.post(
            "/graphql",
            json={"query": FILE, "variables": variables},
            headers={"Authorization": f"Bearer {bearer}"},
        )
    assert answer.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    async with await portal_as(services, requester) as portal:
        token = csrf_of((await portal.get("/permohonan/baru")).text)
        form = {
            "csrf_token": token,
            "agency": "diskominfo",
            "information_requested": "Anggaran",
            "purpose": "Penelitian",
            "delivery_form": "SOFT_COPY",
            "identity_number": NIK,
            "address": ADDRESS,
            "phone": PHONE,
        }
        try:
            await portal.post("/permohonan/baru", data=form)
        except Exception:  # the server logs what escapes the app, as uvicorn does
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")

    assert any("no_such_table" in line for line in log.lines)  # the errors were logged
    leaks = [(what, line) for line in log.lines for what, value in secrets.items() if value in line]
    assert leaks == []
