"""The objection register (issue 20, finding 13): every objection of a year, answered, lapsed
and pending, for the PPID and the superior of the agency and for admins, with the requester's
name only where the privacy rule allows (never to an admin)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.accounts.service import new_token_for
from opendata.app import create_app
from opendata.attachments.steps import record_fulfilment
from opendata.errors import Forbidden, Unauthenticated
from opendata.information_requests.objection_register import objection_register
from tests.conftest import asgi_client
from tests.information_requests.builders import (
    object_to,
    refuse,
    refused_and_objected,
    rule_on_objection,
)
from tests.information_requests.helpers import Desk, walk_in, wib
from tests.web.helpers import data, error_codes, gql

AS_OF = wib(2026, 6, 30)


async def _register_of_2026(desk: Desk) -> None:
    """Diskominfo: one objection answered (upheld, then carried out), one never answered
    (lapsed), one just filed (pending); Dinkes: one pending objection."""
    answered = await refused_and_objected(desk, reason="Data agregat bukan data pribadi.")
    await rule_on_objection(desk, answered, "UPHELD", wib(2026, 4, 2), answer="Berikan rekap.")
    await record_fulfilment(
        desk.services, desk.officer, answered, delivered_on=date(2026, 4, 6), form="SOFT_COPY",
        now=wib(2026, 4, 6),
    )  # fmt: skip
    lapsed = (await walk_in(desk, wib(2026, 3, 30))).request.id
    await refuse(desk, lapsed, wib(2026, 3, 31))
    await object_to(desk, lapsed, wib(2026, 4, 1), by=desk.officer, reason="Tidak jelas.")
    pending = (await walk_in(desk, wib(2026, 6, 15))).request.id
    await refuse(desk, pending, wib(2026, 6, 26))
    await object_to(desk, pending, wib(2026, 6, 29), by=desk.officer)
    other = (await walk_in(desk, wib(2026, 6, 15), agency="dinkes")).request.id
    await refuse(desk, other, wib(2026, 6, 26), by=desk.other_officer)
    await object_to(desk, other, wib(2026, 6, 29), by=desk.other_officer)


async def test_the_officer_reads_answered_lapsed_and_pending_objections_with_names(
    desk: Desk,
) -> None:
    await _register_of_2026(desk)
    register = await objection_register(desk.services, desk.officer, 2026, now=AS_OF)
    assert register.agency is not None and register.agency.slug == "diskominfo"
    lines = [
        (
            entry.objection.registration_number,
            entry.state,
            entry.objection.outcome,
            entry.implemented_on,
            entry.requester_name,
        )
        for entry in register.entries
    ]
    assert lines == [
        ("DISKOMINFO/KEB/2026/000001", "ANSWERED", "UPHELD", date(2026, 4, 6), "wartawan"),
        ("DISKOMINFO/KEB/2026/000002", "LAPSED", None, None, "Siti Aminah"),
        ("DISKOMINFO/KEB/2026/000003", "PENDING", None, None, "Siti Aminah"),
    ]
    first = register.entries[0]
    assert first.objection.grounds == ["REFUSED_UNDER_EXEMPTION"]
    assert first.objection.answer == "Berikan rekap." and not first.answered_late
    assert first.request.registration_number == "DISKOMINFO/2026/000001"
    # the superior reads the same register
    superior = await objection_register(desk.services, desk.superior, 2026, now=AS_OF)
    assert [e.objection.id for e in superior.entries] == [e.objection.id for e in register.entries]


async def test_an_admin_reads_every_agency_without_personal_data(desk: Desk) -> None:
    await _register_of_2026(desk)
    everyone = await objection_register(desk.services, desk.admin, 2026, now=AS_OF)
    assert [entry.agency.slug for entry in everyone.entries] == ["dinkes"] + ["diskominfo"] * 3
    assert {entry.requester_name for entry in everyone.entries} == {None}
    dinkes = await objection_register(desk.services, desk.admin, 2026, "dinkes", now=AS_OF)
    assert [entry.state for entry in dinkes.entries] == ["PENDING"]
    # an officer's agency is their own, whatever they ask for
    own = await objection_register(desk.services, desk.other_officer, 2026, "diskominfo")
    assert [entry.agency.slug for entry in own.entries] == ["dinkes"]


async def test_requesters_and_strangers_are_refused(desk: Desk) -> None:
    with pytest.raises(Forbidden):
        await objection_register(desk.services, desk.requester, 2026)
    with pytest.raises(Unauthenticated):
        await objection_register(desk.services, None, 2026)


REGISTER = """query($year: Int!) {
  objectionRegister(year: $year) {
    entries { registrationNumber requestNumber state outcome implementedOn requesterName }
  }
}"""


async def test_the_register_over_graphql(desk: Desk) -> None:
    await _register_of_2026(desk)
    tokens = {
        email: (await new_token_for(desk.services.database, email)).token
        for email in ("ppid@kab.go.id", "admin@kab.go.id", "wartawan@example.org")
    }
    async with asgi_client(create_app(desk.services)) as client:
        officer = data(await gql(client, REGISTER, {"year": 2026}, tokens["ppid@kab.go.id"]))
        admin = data(await gql(client, REGISTER, {"year": 2026}, tokens["admin@kab.go.id"]))
        refused = await gql(client, REGISTER, {"year": 2026}, tokens["wartawan@example.org"])
    entries = officer["objectionRegister"]["entries"]
    assert [e["registrationNumber"] for e in entries] == [
        f"DISKOMINFO/KEB/2026/00000{n}" for n in (1, 2, 3)
    ]
    assert entries[0]["state"] == "ANSWERED" and entries[0]["implementedOn"] == "2026-04-06"
    assert entries[1]["requesterName"] == "Siti Aminah"
    assert len(admin["objectionRegister"]["entries"]) == 4
    assert {e["requesterName"] for e in admin["objectionRegister"]["entries"]} == {None}
    assert error_codes(refused) == ["FORBIDDEN"]
