"""The duties' doors in the API: `revisedFee`/`originalFee`, `recordDelivery` (the same step as
`recordFulfilment`), `receivedOn`, and the court steps, over HTTP on today's dates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from opendata.accounts.service import AuthResult, create_user
from opendata.app import create_app
from opendata.attachments.steps import answer_request
from opendata.calendar import regency_date
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.information_requests.notice import Fee
from opendata.information_requests.service import file_objection, file_request
from opendata.public_ids import to_global_id
from opendata.services import Services
from tests.conftest import asgi_client
from tests.information_requests.helpers import walk_in_form
from tests.web.helpers import data, error_codes, gql

FIELDS = """status fee { amount } originalFee { amount } deliveredOn
  objection { outcome revisedFee }
  dispute { receivedOn courtAppealDueOn courtCase { filedBy court caseNumber filedOn outcome } }"""


def mutation(name: str, input_type: str) -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{ {FIELDS} }} }}"""


@dataclass
class Office:
    client: httpx.AsyncClient
    officer: AuthResult
    superior: AuthResult


@pytest.fixture
async def office(services: Services) -> AsyncIterator[Office]:
    async with services.database.write() as session:
        session.add(Agency(slug="diskominfo", name="Diskominfo", acronym="DISKOMINFO"))

    async def user(email: str, role: str) -> AuthResult:
        return await create_user(
            services.database, email=email, name=role, role=role, agency_slug="diskominfo"
        )

    officer, superior = (
        await user("ppid@kab.go.id", "OFFICER"),
        await user("a@kab.go.id", "SUPERIOR"),
    )
    async with asgi_client(create_app(services)) as client:
        yield Office(client, officer, superior)


async def step(
    office: Office, who: AuthResult, name: str, input: dict[str, Any], input_type: str = ""
) -> Any:
    input_type = input_type or name[0].upper() + name[1:] + "Input"
    body = await gql(office.client, mutation(name, input_type), {"input": input}, who.token)
    return data(body)[name]


async def test_fee_revision_delivery_and_the_court_over_the_api(
    services: Services, office: Office
) -> None:
    today = regency_date(utcnow()).isoformat()
    # a walk-in request, granted today for Rp50.000 of copies; the PPID records the objection
    record = await file_request(services, office.officer.viewer, walk_in_form(None))
    request_id = record.request.id
    await answer_request(
        services,
        office.officer.viewer,
        request_id,
        decision="GRANTED",
        answer="Diberikan",
        fee=Fee(50_000, "Fotokopi"),
    )
    await file_objection(
        services, office.officer.viewer, request_id, grounds=["UNREASONABLE_FEE"], reason="Mahal"
    )
    global_id = to_global_id("InformationRequest", request_id)

    answered = await step(
        office,
        office.superior,
        "answerObjection",
        {"requestId": global_id, "outcome": "UPHELD", "answer": "Turunkan", "revisedFee": 5_000},
    )
    assert answered["fee"] == {"amount": 5_000}
    assert answered["originalFee"] == {"amount": 50_000}
    assert answered["objection"] == {"outcome": "UPHELD", "revisedFee": 5_000}

    delivered = await step(
        office,
        office.officer,
        "recordDelivery",
        {"requestId": global_id, "deliveredOn": today, "form": "SOFT_COPY"},
        "RecordFulfilmentInput",  # one step, one input: recordFulfilment's
    )
    assert delivered["deliveredOn"] == today

    await step(office, office.officer, "recordDispute", {"requestId": global_id, "filedOn": today})
    decided = await step(
        office,
        office.officer,
        "recordDisputeOutcome",
        {"requestId": global_id, "outcome": "REJECTED", "decidedOn": today},
    )
    assert decided["dispute"]["receivedOn"] == today  # the decision date stands for receipt
    assert decided["dispute"]["courtAppealDueOn"] > today
    case = {"requestId": global_id, "filedBy": "REQUESTER", "court": "PTUN Pontianak"}
    case |= {"caseNumber": "1/G/KI/PTUN.PTK", "filedOn": today}
    refused = await gql(
        office.client,
        mutation("recordCourtCase", "RecordCourtCaseInput"),
        {"input": case},
        office.superior.token,
    )
    assert error_codes(refused) == ["FORBIDDEN"]
    filed = await step(office, office.officer, "recordCourtCase", case)
    assert filed["status"] == "COURT_FILED"
    assert filed["dispute"]["courtCase"] == {
        "filedBy": "REQUESTER",
        "court": "PTUN Pontianak",
        "caseNumber": "1/G/KI/PTUN.PTK",
        "filedOn": today,
        "outcome": None,
    }
    ruled = await step(
        office,
        office.officer,
        "recordCourtDecision",
        {"requestId": global_id, "outcome": "DISCLOSURE_DENIED", "decidedOn": today},
    )
    assert ruled["status"] == "COURT_DECIDED"
    assert ruled["dispute"]["courtCase"]["outcome"] == "DISCLOSURE_DENIED"
