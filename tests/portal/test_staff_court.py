"""The act page's forms after the Commission (on SQLite and PostgreSQL): the decision with the
day it was received, then either party's court case and the court's decision."""

from __future__ import annotations

import httpx

from opendata.db.base import utcnow
from opendata.information_requests.queries import load_record
from opendata.information_requests.service import record_dispute
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.information_requests.builders import object_to, refuse, rule_on_objection
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import csrf_of, portal_as


async def _post(officer: httpx.AsyncClient, path: str, fields: dict[str, str]) -> str:
    """One form of the act page, and the page it redirects to."""
    page = await officer.get(path)
    assert f'value="{fields["action"]}"' in page.text, fields["action"]
    posted = await officer.post(path, data={"csrf_token": csrf_of(page.text), **fields})
    assert posted.status_code == 303, posted.text
    return (await officer.get(posted.headers["location"])).text


async def test_the_officer_records_the_decision_then_the_court_case_and_its_decision(
    services: Services,
) -> None:
    desk = await make_desk(services)
    now = utcnow()
    request_id = (await online(desk, now)).request.id
    await refuse(desk, request_id, now)
    await object_to(desk, request_id, now)
    await rule_on_objection(desk, request_id, "REJECTED", now)
    await record_dispute(desk.services, desk.officer, request_id, filed_on=regency_now().date())
    record = await load_record(services, request_id)
    assert record is not None
    path = f"/petugas/permohonan/{record.request.registration_number}"
    today = regency_now().date().isoformat()
    async with await portal_as(services, desk.officer) as officer:
        page = await _post(
            officer,
            path,
            {
                "action": "dispute_outcome",
                "outcome": "REJECTED",
                "decided_on": today,
                "received_on": today,
            },
        )
        assert "Putusan Komisi Informasi telah dicatat" in page
        # the court window is either party's right
        assert "salah satu pihak, untuk menggugat ke pengadilan" in page
        assert 'value="court_decision"' not in page
        page = await _post(
            officer,
            path,
            {
                "action": "court_case",
                "filed_by": "REQUESTER",
                "court": "PTUN Pontianak",
                "case_number": "3/G/KI/PTUN.PTK",
                "filed_on": today,
            },
        )
        assert "Gugatan telah dicatat" in page and "Gugatan di pengadilan" in page
        page = await _post(
            officer,
            path,
            {"action": "court_decision", "outcome": "DISCLOSURE_ORDERED", "decided_on": today},
        )
        assert "Putusan pengadilan telah dicatat" in page and "Diputus pengadilan" in page
        # the court ordered the information given: the fulfilment form is open
        assert 'value="fulfil"' in page
    after = await load_record(services, request_id)
    assert after is not None and after.court_case is not None
    assert (after.court_case.filed_by, after.court_case.outcome) == (
        "REQUESTER",
        "DISCLOSURE_ORDERED",
    )
