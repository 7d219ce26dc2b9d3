"""The request half of the contract over HTTP: a journey through every stage, errors, privacy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import httpx
import pytest

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.calendar import regency_date
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.information_requests.service import file_request
from opendata.services import Services
from tests.conftest import asgi_client
from tests.information_requests.helpers import NIK, walk_in_form, wib
from tests.web.helpers import data, error_codes, gql
from tests.web.test_statement_counts import count_statements

REQUEST_FIELDS = """id registrationNumber status decision dueOn workingDaysLeft overdue extended
  expectedParty exemptionsCited agency { slug }
  timeline { status actorRole note label labelEn registeredAt } objection { grounds outcome dueOn } dispute { filedOn caseNumber }
  requester { name identityNumber address phone email }"""

FILE = f"""mutation($input: FileRequestInput!) {{ fileInformationRequest(input: $input) {{ {REQUEST_FIELDS} }} }}"""
EXTEND = f"""mutation($id: ID!, $reason: String!) {{
  extendInformationRequest(id: $id, reason: $reason) {{ {REQUEST_FIELDS} }} }}"""
ANSWER = f"""mutation($input: AnswerRequestInput!) {{
  answerInformationRequest(input: $input) {{ {REQUEST_FIELDS} }} }}"""
OBJECT = f"""mutation($input: FileObjectionInput!) {{ fileObjection(input: $input) {{ {REQUEST_FIELDS} }} }}"""
ANSWER_OBJECTION = f"""mutation($input: AnswerObjectionInput!) {{
  answerObjection(input: $input) {{ {REQUEST_FIELDS} }} }}"""
DISPUTE = f"""mutation($input: RecordDisputeInput!) {{ recordDispute(input: $input) {{ {REQUEST_FIELDS} }} }}"""
WITHDRAW = (
    f"""mutation($id: ID!) {{ withdrawInformationRequest(id: $id) {{ {REQUEST_FIELDS} }} }}"""
)
REGISTER = f"""query($filter: RequestFilter, $first: Int!) {{ informationRequests(filter: $filter, first: $first) {{
  totalCount edges {{ node {{ {REQUEST_FIELDS} }} }} }} }}"""
ONE = f"""query($number: String!) {{ informationRequest(registrationNumber: $number) {{ {REQUEST_FIELDS} }} }}"""


class Tokens:
    officer: str
    superior: str
    admin: str
    other_officer: str
    officer_viewer: Viewer  # for a step the API cannot take today (a backdated walk-in)


@pytest.fixture
async def api(services: Services) -> AsyncIterator[tuple[httpx.AsyncClient, Tokens]]:
    async with services.database.write() as session:
        session.add_all(
            [
                Agency(slug="diskominfo", name="Diskominfo", acronym="DISKOMINFO"),
                Agency(slug="dinkes", name="Dinas Kesehatan", acronym="DINKES"),
            ]
        )
    tokens = Tokens()
    for attribute, email, role, agency in (
        ("officer", "ppid@kab.go.id", "OFFICER", "diskominfo"),
        ("superior", "atasan@kab.go.id", "SUPERIOR", "diskominfo"),
        ("admin", "admin@kab.go.id", "ADMIN", None),
        ("other_officer", "ppid@dinkes.go.id", "OFFICER", "dinkes"),
    ):
        result = await create_user(
            services.database, email=email, name=attribute, role=role, agency_slug=agency
        )
        setattr(tokens, attribute, result.token)
        if attribute == "officer":
            tokens.officer_viewer = result.viewer
    async with asgi_client(create_app(services)) as client:
        yield client, tokens


async def sign_up(client: httpx.AsyncClient, email: str) -> str:
    body = await gql(
        client,
        """mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { role email } } }""",
        {"input": {"name": "Rina Wartawan", "email": email, "password": "kata-sandi-rahasia"}},
    )
    payload = data(body)["signUp"]
    assert payload["viewer"] == {"role": "REQUESTER", "email": email}
    return str(payload["token"])


def online_input() -> dict[str, Any]:
    return {
        "agency": "diskominfo",
        "informationRequested": "Kontrak pengadaan laptop 2025",
        "purpose": "Liputan",
        "deliveryForm": "SOFT_COPY",
        "requester": {"name": "Rina", "identityNumber": NIK, "address": "Jl. Merdeka 1"},
    }


def walk_in_input(received_at: str | None) -> dict[str, Any]:
    return {
        **online_input(),
        "requester": {"name": "Siti Aminah", "identityNumber": NIK, "address": "Jl. Pahlawan 3"},
        "receivedAt": received_at,
    }


async def working_day(client: httpx.AsyncClient, start: date, days: int) -> str:
    body = await gql(
        client,
        "query($s: Date!, $d: Int!) { addWorkingDays(start: $s, days: $d) }",
        {"s": start.isoformat(), "d": days},
    )
    return str(data(body)["addWorkingDays"])


async def registered_on_its_day(
    api: tuple[httpx.AsyncClient, Tokens], services: Services, received_at: datetime
) -> dict[str, Any]:
    """A walk-in from the past, registered (through the domain) on the day it arrived: the
    API registers only as of now, back to the previous working week (backdating.py)."""
    client, tokens = api
    registered = await file_request(
        services, tokens.officer_viewer, walk_in_form(received_at), now=received_at
    )
    number = registered.request.registration_number
    found = await gql(client, ONE, {"number": number}, tokens.officer)
    return data(found)["informationRequest"]  # type: ignore[no-any-return]


def first_error(body: dict[str, Any]) -> dict[str, Any]:
    error: dict[str, Any] = body["errors"][0]
    return error


async def test_journey_through_every_stage_with_status_due_date_and_errors(
    api: tuple[httpx.AsyncClient, Tokens],
) -> None:
    client, tokens = api
    today = regency_date(utcnow())
    requester = await sign_up(client, "rina@example.org")

    # anonymous filing is refused; the requester files
    assert error_codes(await gql(client, FILE, {"input": online_input()})) == ["UNAUTHENTICATED"]
    filed = data(await gql(client, FILE, {"input": online_input()}, requester))[
        "fileInformationRequest"
    ]
    request_id = filed["id"]
    assert filed["registrationNumber"] == f"DISKOMINFO/{today.year}/000001"
    assert (filed["status"], filed["expectedParty"]) == ("SUBMITTED", "OFFICER")
    assert filed["dueOn"] == await working_day(client, today, 10)
    assert filed["timeline"] == [
        {
            "status": "SUBMITTED",
            "actorRole": "REQUESTER",
            "note": "Diajukan daring / Filed online",
            "label": "Permohonan didaftarkan",
            "labelEn": "Request registered",
            "registeredAt": None,
        }
    ]

    # only the agency's officer extends; once
    forbidden = await gql(client, EXTEND, {"id": request_id, "reason": "x"}, tokens.other_officer)
    assert error_codes(forbidden) == ["FORBIDDEN"]
    assert first_error(forbidden)["extensions"]["messageEn"]
    extended = data(
        await gql(
            client, EXTEND, {"id": request_id, "reason": "Dokumen di tiga bidang"}, tokens.officer
        )
    )["extendInformationRequest"]
    assert (extended["status"], extended["extended"]) == ("EXTENDED", True)
    assert extended["dueOn"] == await working_day(client, today, 17)
    again = await gql(client, EXTEND, {"id": request_id, "reason": "lagi"}, tokens.officer)
    assert error_codes(again) == ["INVALID_TRANSITION"]

    # a refusal without its consequence test is refused, with the field named
    refusal: dict[str, Any] = {
        "id": request_id,
        "decision": "REFUSED",
        "answer": "Ditolak: memuat data pribadi",
        "exemptions": ["PASAL_17H"],
    }
    missing = await gql(client, ANSWER, {"input": refusal}, tokens.officer)
    assert error_codes(missing) == ["BAD_USER_INPUT"]
    assert first_error(missing)["extensions"]["field"] == "consequenceTest"
    assert error_codes(
        await gql(client, ANSWER, {"input": {**refusal, "consequenceTest": "x"}}, requester)
    ) == ["FORBIDDEN"]
    refusal["consequenceTest"] = "Mengungkap riwayat kesehatan pribadi (Pasal 17 huruf h)"
    answered = data(await gql(client, ANSWER, {"input": refusal}, tokens.officer))[
        "answerInformationRequest"
    ]
    assert (answered["status"], answered["decision"]) == ("ANSWERED", "REFUSED")
    assert answered["exemptionsCited"] == ["PASAL_17H"]
    assert (answered["expectedParty"], answered["dueOn"]) == (
        "REQUESTER",
        await working_day(client, today, 30),
    )

    # the requester objects; a ground that has not arisen is refused
    objection: dict[str, Any] = {
        "requestId": request_id,
        "grounds": ["LATE_RESPONSE"],
        "reason": "Alasan pengecualian tidak tepat",
    }
    not_arisen = await gql(client, OBJECT, {"input": objection}, requester)
    assert error_codes(not_arisen) == ["BAD_USER_INPUT"]
    assert first_error(not_arisen)["extensions"]["field"] == "grounds"
    objection["grounds"] = ["REFUSED_UNDER_EXEMPTION"]
    objected = data(await gql(client, OBJECT, {"input": objection}, requester))["fileObjection"]
    assert objected["status"] == "OBJECTION_FILED"
    assert objected["objection"]["dueOn"] == await working_day(client, today, 30)
    assert (objected["expectedParty"], objected["dueOn"]) == (
        "SUPERIOR",
        objected["objection"]["dueOn"],
    )

    # the superior answers; the officer cannot
    objection_answer = {"requestId": request_id, "outcome": "REJECTED", "answer": "Tetap ditolak"}
    assert error_codes(
        await gql(client, ANSWER_OBJECTION, {"input": objection_answer}, tokens.officer)
    ) == ["FORBIDDEN"]
    superior_answered = data(
        await gql(client, ANSWER_OBJECTION, {"input": objection_answer}, tokens.superior)
    )["answerObjection"]
    assert superior_answered["status"] == "OBJECTION_ANSWERED"
    assert superior_answered["objection"]["outcome"] == "REJECTED"
    # the entry names the act (finding 15), in both languages
    rejected = superior_answered["timeline"][-1]
    assert (rejected["label"], rejected["labelEn"]) == (
        "Keberatan ditolak oleh atasan PPID",
        "Objection rejected by the PPID's superior",
    )
    assert rejected["registeredAt"] is None  # entered when it happened
    assert superior_answered["dueOn"] == await working_day(client, today, 14)

    # the officer records the dispute; withdrawing afterwards is no longer possible
    dispute = {"requestId": request_id, "filedOn": today.isoformat(), "caseNumber": "KI/1/2026"}
    disputed = data(await gql(client, DISPUTE, {"input": dispute}, tokens.officer))["recordDispute"]
    assert disputed["status"] == "DISPUTE_FILED"
    assert disputed["dispute"] == {"filedOn": today.isoformat(), "caseNumber": "KI/1/2026"}
    assert (disputed["expectedParty"], disputed["dueOn"]) == (
        "COMMISSION",
        await working_day(client, today, 100),
    )
    assert [(event["status"], event["actorRole"]) for event in disputed["timeline"]] == [
        ("SUBMITTED", "REQUESTER"),
        ("EXTENDED", "OFFICER"),
        ("ANSWERED", "OFFICER"),
        ("OBJECTION_FILED", "REQUESTER"),
        ("OBJECTION_ANSWERED", "SUPERIOR"),
        ("DISPUTE_FILED", "OFFICER"),
    ]
    assert error_codes(await gql(client, WITHDRAW, {"id": request_id}, requester)) == [
        "INVALID_TRANSITION"
    ]
    # node(id:) finds the same request
    node = data(
        await gql(
            client,
            "query($id: ID!) { node(id: $id) { ... on InformationRequest { status } } }",
            {"id": request_id},
        )
    )["node"]
    assert node == {"status": "DISPUTE_FILED"}


async def test_walk_in_received_before_idul_fitri_2026_gets_the_hand_computed_due_date(
    api: tuple[httpx.AsyncClient, Tokens], services: Services
) -> None:
    client, tokens = api
    # registered today, a walk-in from March is refused (backdating.py: the previous working
    # week at most); registered on its day, it gets the hand-computed date
    body = await gql(
        client, FILE, {"input": walk_in_input("2026-03-16T15:30:00+07:00")}, tokens.officer
    )
    assert first_error(body)["extensions"]["field"] == "receivedAt"
    assert error_codes(body) == ["BAD_USER_INPUT"]
    filed = await registered_on_its_day(api, services, wib(2026, 3, 16, 15, 30))
    assert filed["registrationNumber"] == "DISKOMINFO/2026/000001"
    assert filed["dueOn"] == "2026-04-07"
    assert filed["overdue"] is True  # that date has long passed
    assert filed["workingDaysLeft"] < 0
    assert filed["timeline"][0]["actorRole"] == "OFFICER"
    # the 10 days are over: no extension any more
    late = await gql(client, EXTEND, {"id": filed["id"], "reason": "x"}, tokens.officer)
    assert error_codes(late) == ["DEADLINE_PASSED"]
    # but an objection for no answer is now open to the requester (recorded by the officer)
    objected = await gql(
        client,
        OBJECT,
        {"input": {"requestId": filed["id"], "grounds": ["NOT_RESPONDED"], "reason": "x"}},
        tokens.officer,
    )
    assert error_codes(objected) == ["DEADLINE_PASSED"]  # ... within 30 working days only


async def test_register_never_shows_personal_data_to_others(
    api: tuple[httpx.AsyncClient, Tokens],
) -> None:
    client, tokens = api
    requester = await sign_up(client, "rina@example.org")
    stranger = await sign_up(client, "lain@example.org")
    number = data(await gql(client, FILE, {"input": online_input()}, requester))[
        "fileInformationRequest"
    ]["registrationNumber"]
    for token in (None, stranger, tokens.other_officer, tokens.admin):
        body = await gql(client, REGISTER, {"first": 10}, token)
        nodes = [edge["node"] for edge in data(body)["informationRequests"]["edges"]]
        assert [node["requester"] for node in nodes] == [None]
        one = await gql(client, ONE, {"number": number}, token)
        assert data(one)["informationRequest"]["requester"] is None
        assert NIK not in str(body) + str(one) and "rina@example.org" not in str(body)
    for token in (requester, tokens.officer, tokens.superior):
        one = data(await gql(client, ONE, {"number": number}, token))["informationRequest"]
        assert one["requester"] == {
            "name": "Rina Wartawan",
            "identityNumber": NIK,
            "address": "Jl. Merdeka 1",
            "phone": None,
            "email": "rina@example.org",
        }
    mine = data(
        await gql(
            client,
            "{ viewer { role myRequests { totalCount edges { node { requester { name } } } } } }",
            token=requester,
        )
    )["viewer"]
    assert mine["myRequests"]["totalCount"] == 1
    assert mine["myRequests"]["edges"][0]["node"]["requester"] == {"name": "Rina Wartawan"}
    assert data(await gql(client, "{ viewer { role } }"))["viewer"] is None


async def test_sign_in_and_bad_token_over_http(api: tuple[httpx.AsyncClient, Tokens]) -> None:
    client, _ = api
    await sign_up(client, "rina@example.org")
    query = "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token viewer { email } } }"
    wrong = await gql(client, query, {"e": "rina@example.org", "p": "salah-sandi-123"})
    assert error_codes(wrong) == ["UNAUTHENTICATED"]
    token = data(await gql(client, query, {"e": "rina@example.org", "p": "kata-sandi-rahasia"}))[
        "signIn"
    ]["token"]
    viewer = data(await gql(client, "{ viewer { email role agency { slug } } }", token=token))
    assert viewer["viewer"] == {"email": "rina@example.org", "role": "REQUESTER", "agency": None}
    response = await client.post(
        "/graphql", json={"query": "{ viewer { email } }"}, headers={"Authorization": "Bearer nope"}
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_working_day_queries_follow_the_calendar(
    api: tuple[httpx.AsyncClient, Tokens],
) -> None:
    client, _ = api
    assert await working_day(client, date(2026, 3, 16), 10) == "2026-04-07"
    body = await gql(
        client, '{ a: isWorkingDay(date: "2026-03-23") b: isWorkingDay(date: "2026-03-25") }'
    )
    assert data(body) == {"a": False, "b": True}
    too_many = await gql(client, '{ addWorkingDays(start: "2026-01-01", days: 100000) }')
    assert error_codes(too_many) == ["BAD_USER_INPUT"]
    assert first_error(too_many)["extensions"]["field"] == "days"


async def test_service_report_over_graphql(
    api: tuple[httpx.AsyncClient, Tokens], services: Services
) -> None:
    client, tokens = api
    filed = await registered_on_its_day(api, services, wib(2026, 3, 16))
    await gql(
        client,
        ANSWER,
        {
            "input": {
                "id": filed["id"],
                "decision": "PARTIALLY_GRANTED",
                "answer": "Sebagian",
                "exemptions": ["PASAL_17H", "PASAL_17C"],
                "consequenceTest": "Uji",
                # Pasal 20: a refusal under 17c is not permanent
                "exemptionExpiresOn": "2030-12-31",
                "decisionReference": "SK PPID 12/2026",
            }
        },
        tokens.officer,
    )
    report = data(
        await gql(
            client,
            """{ serviceReport(year: 2026, agency: "diskominfo") { year agency { slug }
               requestsReceived partiallyGranted pending answeredLate averageWorkingDaysToAnswer
               refusalsByBasis { basis count } objections disputes } }""",
        )
    )["serviceReport"]
    assert report["agency"] == {"slug": "diskominfo"}
    assert (report["requestsReceived"], report["partiallyGranted"], report["pending"]) == (1, 1, 0)
    assert report["answeredLate"] == 1
    assert report["refusalsByBasis"] == [
        {"basis": "PASAL_17C", "count": 1},
        {"basis": "PASAL_17H", "count": 1},
    ]
    bad_year = await gql(client, "{ serviceReport(year: 1900) { year } }")
    assert error_codes(bad_year) == ["BAD_USER_INPUT"]


async def test_register_costs_the_same_statements_for_3_and_12_requests(
    api: tuple[httpx.AsyncClient, Tokens], services: Services
) -> None:
    client, tokens = api
    counts: dict[int, int] = {}
    filed = 0
    for wanted in (3, 12):
        while filed < wanted:
            await gql(client, FILE, {"input": walk_in_input(None)}, tokens.officer)
            filed += 1
        with count_statements(services) as statements:
            body = data(await gql(client, REGISTER, {"first": 50}, tokens.officer))
        assert len(body["informationRequests"]["edges"]) == wanted
        counts[wanted] = len(statements)
    assert counts[3] == counts[12], counts


STATUTE_FIELDS = """id status decision answeredLate fee { amount basis } heldBy expectedOn
  deliveredOn expectedParty dueOn allowedActions openObjectionGrounds
  objection { registrationNumber } objections { registrationNumber grounds outcome dueOn }
  dispute { outcome summary decidedOn courtAppealDueOn } timeline { action actorRole }"""


async def test_fees_objections_fulfilment_and_dispute_outcome_over_graphql(
    api: tuple[httpx.AsyncClient, Tokens], services: Services
) -> None:
    client, tokens = api
    today = regency_date(utcnow())

    async def step(mutation: str, name: str, variables: dict[str, Any], token: str) -> Any:
        body = await gql(
            client,
            f"mutation($input: {name}Input!) {{ {mutation}(input: $input) {{ {STATUTE_FIELDS} }} }}",
            {"input": variables},
            token,
        )
        return body

    # a letter received on 16 March 2026, answered only now: late
    filed = await registered_on_its_day(api, services, wib(2026, 3, 16))
    request_id = filed["id"]
    not_held = await step(
        "answerInformationRequest",
        "AnswerRequest",
        {"id": request_id, "decision": "NOT_HELD", "answer": "Tidak dikuasai"},
        tokens.officer,
    )
    assert error_codes(not_held) == ["BAD_USER_INPUT"]
    assert first_error(not_held)["extensions"]["field"] == "heldBy"
    granted = data(
        await step(
            "answerInformationRequest",
            "AnswerRequest",
            {
                "id": request_id,
                "decision": "GRANTED",
                "answer": "Diberikan",
                "fee": {"amount": 25000, "basis": "Fotokopi 250 lembar"},
            },
            tokens.officer,
        )
    )["answerInformationRequest"]
    assert granted["fee"] == {"amount": 25000, "basis": "Fotokopi 250 lembar"}
    assert granted["answeredLate"] is True
    # a walk-in requester has no account: the PPID takes their steps for them too
    assert granted["allowedActions"] == ["WITHDRAW", "FILE_OBJECTION", "RECORD_FULFILMENT"]
    assert "UNREASONABLE_FEE" in granted["openObjectionGrounds"]

    # the officer records the walk-in requester's objection: its own register number
    objected = data(
        await step(
            "fileObjection",
            "FileObjection",
            {
                "requestId": request_id,
                "grounds": ["UNREASONABLE_FEE", "LATE_RESPONSE"],
                "reason": "Biaya terlalu mahal dan terlambat",
            },
            tokens.officer,
        )
    )["fileObjection"]
    number = f"DISKOMINFO/KEB/{today.year}/000001"
    assert objected["objection"] == {"registrationNumber": number}
    assert objected["objections"][0]["grounds"] == ["UNREASONABLE_FEE", "LATE_RESPONSE"]
    upheld_input = {"requestId": request_id, "outcome": "UPHELD", "answer": "Biaya dihapus"}
    refused = await step("answerObjection", "AnswerObjection", upheld_input, tokens.admin)
    assert error_codes(refused) == ["FORBIDDEN"]
    upheld = data(await step("answerObjection", "AnswerObjection", upheld_input, tokens.superior))[
        "answerObjection"
    ]
    assert (upheld["expectedParty"], upheld["dueOn"]) == (
        "OFFICER",
        await working_day(client, today, 10),
    )
    fulfilled = data(
        await step(
            "recordFulfilment",
            "RecordFulfilment",
            {"requestId": request_id, "deliveredOn": today.isoformat(), "form": "HARD_COPY"},
            tokens.officer,
        )
    )["recordFulfilment"]
    assert fulfilled["deliveredOn"] == today.isoformat()
    assert fulfilled["expectedParty"] == "REQUESTER"

    await step(
        "recordDispute",
        "RecordDispute",
        {"requestId": request_id, "filedOn": today.isoformat()},
        tokens.officer,
    )
    decided = data(
        await step(
            "recordDisputeOutcome",
            "RecordDisputeOutcome",
            {
                "requestId": request_id,
                "outcome": "REJECTED",
                "summary": "Biaya wajar",
                "decidedOn": today.isoformat(),
            },
            tokens.officer,
        )
    )["recordDisputeOutcome"]
    assert decided["dispute"] == {
        "outcome": "REJECTED",
        "summary": "Biaya wajar",
        "decidedOn": today.isoformat(),
        "courtAppealDueOn": await working_day(client, today, 14),
    }
    assert [event["action"] for event in decided["timeline"]] == [
        "FILE",
        "ANSWER",
        "FILE_OBJECTION",
        "ANSWER_OBJECTION",
        "RECORD_FULFILMENT",
        "RECORD_DISPUTE",
        "RECORD_DISPUTE_OUTCOME",
    ]


async def test_the_notice_states_how_to_pay_its_fee(api: tuple[httpx.AsyncClient, Tokens]) -> None:
    """Pasal 22(7)(g): the fee and how to pay it, as the officer wrote it, read back."""
    client, tokens = api
    filed = data(await gql(client, FILE, {"input": walk_in_input(None)}, tokens.officer))[
        "fileInformationRequest"
    ]
    fee = {"amount": 10000, "basis": "Fotokopi", "payment": "Tunai di loket PPID"}
    answered = data(
        await gql(
            client,
            "mutation($input: AnswerRequestInput!) { answerInformationRequest(input: $input) "
            "{ fee { amount basis payment } } }",
            {"input": {"id": filed["id"], "decision": "GRANTED", "answer": "Ya", "fee": fee}},
            tokens.officer,
        )
    )["answerInformationRequest"]
    assert answered["fee"] == fee
