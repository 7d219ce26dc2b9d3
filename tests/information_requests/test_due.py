"""What is due, for whom, until when (issue 20, finding 5): every open window comes from the
running clocks, and the request page, the API and the queue show each with its date and
article; a lapsed duty never hides the right it opens."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

from opendata.app import create_app
from opendata.calendar import WorkingCalendar
from opendata.db.base import utcnow
from opendata.information_requests.due import open_windows, window_of
from opendata.information_requests.queries import load_record
from opendata.information_requests.queue import officer_queue
from opendata.information_requests.rules import ClockKind, Clocks, Party
from opendata.information_requests.service import record_dispute, record_dispute_outcome
from opendata.regency_time import REGENCY_TZ, regency_today
from opendata.services import Services
from opendata.urls import path as path_of
from tests.conftest import asgi_client
from tests.information_requests.builders import (
    deliver,
    grant,
    object_to,
    refuse,
    rule_on_objection,
)
from tests.information_requests.helpers import Desk, make_desk, online
from tests.portal.conftest import portal_as
from tests.web.helpers import data, gql

WINDOWS = """query($n: String!) { informationRequest(registrationNumber: $n) {
  dueOn expectedParty
  dueWindows { kind party dueOn duty overdue workingDaysLeft article labelId labelEn
               objectionNumber derivedFrom provisional } } }"""


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=REGENCY_TZ)


async def _objected_working_days_ago(desk: Desk, days: int) -> tuple[int, str, date]:
    """Filed and refused `days` working days ago, objected to the next working day: the
    request id, the objection's number and the superior's due day."""
    calendar = desk.services.calendar
    refused_on = calendar.add_working_days(regency_today(), -days)
    request_id = (await online(desk, _at(refused_on))).request.id
    await refuse(desk, request_id, _at(refused_on))
    record = await object_to(desk, request_id, _at(calendar.add_working_days(refused_on, 1)))
    (objection,) = record.objections
    return request_id, objection.registration_number, objection.due_on


def _indonesian(day: date) -> str:
    return format_date(day, format="long", locale="id")


async def test_after_the_superiors_silence_the_requester_sees_the_way_to_the_commission(
    services: Services,
) -> None:
    desk = await make_desk(services)
    # the superior's 30 working days ran out 9 working days ago, unanswered
    request_id, objection_number, superior_due = await _objected_working_days_ago(desk, 40)
    calendar = services.calendar
    commission_due = calendar.add_working_days(superior_due, Clocks.DISPUTE_FILING.working_days)
    assert superior_due < regency_today() < commission_due

    record = await load_record(services, request_id)
    assert record is not None
    windows = open_windows(record.clocks, record.objections, calendar, utcnow())
    by_kind = {w.kind: w for w in windows}
    superior = by_kind[ClockKind.OBJECTION_ANSWER]
    assert (superior.party, superior.is_duty, superior.overdue) == (Party.SUPERIOR, True, True)
    assert superior.objection_number == objection_number
    commission = by_kind[ClockKind.DISPUTE_FILING]
    assert (commission.party, commission.is_duty, commission.overdue) == (
        Party.REQUESTER,
        False,
        False,
    )
    assert commission.due_on == commission_due
    assert commission.derived_from is ClockKind.OBJECTION_ANSWER
    assert commission.article == str(Clocks.DISPUTE_FILING.article)

    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        page = (await requester.get(path)).text
    due_section = page[page.index('id="clock-heading"') : page.index("</section>")]
    # the superior's missed duty and, beside it, the requester's right with date and article
    assert _indonesian(superior_due) in due_section and "Terlambat" in due_section
    assert _indonesian(commission_due) in due_section
    assert Clocks.DISPUTE_FILING.label_id in due_section
    assert str(Clocks.DISPUTE_FILING.article) in due_section
    assert objection_number in due_section

    async with asgi_client(create_app(services)) as client:
        found = data(await gql(client, WINDOWS, {"n": record.request.registration_number}))
    api = found["informationRequest"]
    assert (api["expectedParty"], api["dueOn"]) == ("REQUESTER", commission_due.isoformat())
    assert [(w["kind"], w["party"], w["duty"], w["derivedFrom"]) for w in api["dueWindows"]] == [
        ("OBJECTION_ANSWER", "SUPERIOR", True, None),
        ("DISPUTE_FILING", "REQUESTER", False, "OBJECTION_ANSWER"),
    ]
    assert api["dueWindows"][1]["dueOn"] == commission_due.isoformat()
    assert api["dueWindows"][0]["objectionNumber"] == objection_number


async def test_after_an_objection_the_requester_sees_its_number_and_the_superiors_deadline(
    services: Services,
) -> None:
    desk = await make_desk(services)
    request_id, objection_number, superior_due = await _objected_working_days_ago(desk, 3)
    record = await load_record(services, request_id)
    assert record is not None
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        page = (await requester.get(path)).text
    due_section = page[page.index('id="clock-heading"') : page.index("</section>")]
    assert objection_number in due_section
    assert _indonesian(superior_due) in due_section
    assert str(Clocks.OBJECTION_ANSWER.article) in due_section
    # the requester's window to object on the other grounds still runs, and is shown too
    assert Clocks.OBJECTION_FILING.label_id in due_section


async def test_after_an_upheld_objection_the_ppid_must_give_the_information(
    services: Services,
) -> None:
    desk = await make_desk(services)
    request_id, _, _ = await _objected_working_days_ago(desk, 5)
    await rule_on_objection(desk, request_id, "UPHELD", utcnow())
    record = await load_record(services, request_id)
    assert record is not None
    windows = open_windows(record.clocks, record.objections, services.calendar, utcnow())
    kinds = [(w.kind, w.party) for w in windows]
    assert (ClockKind.FULFILMENT, Party.OFFICER) in kinds
    assert (ClockKind.DISPUTE_FILING, Party.REQUESTER) in kinds  # an answered objection too

    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        page = (await requester.get(path)).text
    due_section = page[page.index('id="clock-heading"') : page.index("</section>")]
    assert Clocks.FULFILMENT.label_id in due_section
    assert "pemberitahuan tertulis" not in due_section  # the notice was given long ago
    assert Clocks.DISPUTE_FILING.label_id in due_section

    # the officer's queue names the same duty, with its article
    async with services.database.session() as session:
        queue = await officer_queue(session, desk.agency.id, services.calendar, utcnow())
    (item,) = queue.items
    assert item.window.kind is ClockKind.FULFILMENT
    assert item.window.article == str(Clocks.FULFILMENT.article)
    async with await portal_as(services, desk.officer) as officer:
        staff = (await officer.get(path_of("staff"))).text
    assert Clocks.FULFILMENT.label_id in staff


def test_a_window_into_a_year_without_a_decree_is_provisional() -> None:
    calendar = WorkingCalendar()
    assert not calendar.is_provisional(2026)
    assert calendar.is_provisional(2028)  # no SKB: the dates are estimates
    now = _at(date(2027, 12, 1))
    late = window_of(
        ClockKind.NOTICE, Party.OFFICER, date(2027, 12, 1), date(2028, 1, 3), calendar, now
    )
    assert late is not None and late.provisional
    decreed = WorkingCalendar(decreed={2027: "SKB 2027", 2028: "SKB 2028"})
    final = window_of(
        ClockKind.NOTICE, Party.OFFICER, date(2027, 12, 1), date(2028, 1, 3), decreed, now
    )
    assert final is not None and not final.provisional


async def test_after_the_commissions_decision_the_requester_sees_the_court_window(
    services: Services,
) -> None:
    desk = await make_desk(services)
    request_id, _, _ = await _objected_working_days_ago(desk, 40)
    calendar = services.calendar
    filed_on = calendar.add_working_days(regency_today(), -3)
    decided_on = calendar.add_working_days(regency_today(), -1)
    await record_dispute(
        desk.services, desk.officer, request_id, filed_on=filed_on, now=_at(filed_on)
    )
    record = await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome="REJECTED",
        decided_on=decided_on,
        now=_at(decided_on),
    )
    windows = open_windows(record.clocks, record.objections, calendar, utcnow())
    (court,) = [w for w in windows if w.kind is ClockKind.COURT_FILING]
    assert (court.party, court.is_duty, court.overdue) == (Party.EITHER, False, False)
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        page = (await requester.get(path)).text
    due_section = page[page.index('id="clock-heading"') : page.index("</section>")]
    assert Clocks.COURT_FILING.label_id in due_section
    assert str(Clocks.COURT_FILING.article) in due_section
    assert _indonesian(court.due_on) in due_section


async def test_after_a_grant_the_page_shows_the_delivery_owed_not_that_nothing_is_due(
    services: Services,
) -> None:
    """Finding 6: a GRANTED notice leaves the information to be given; the page says so."""
    desk = await make_desk(services)
    today = regency_today()
    record = await grant(desk, today)
    delivery = record.clock(ClockKind.DELIVERY)
    assert delivery is not None
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.requester) as requester:
        page = (await requester.get(path)).text
    section = page[page.index('id="clock-heading"') :]
    due_section = section[: section.index("<details")]  # what is open now, not the glossary
    assert "Tidak ada tenggat" not in page
    assert Clocks.DELIVERY.label_id in due_section
    assert _indonesian(delivery.due_on) in due_section
    assert str(Clocks.DELIVERY.article) in due_section
    # once given, nothing is owed any more
    await deliver(desk, record.request.id, today)
    async with await portal_as(services, desk.requester) as requester:
        page = (await requester.get(path)).text
    # (the section's "about the clocks" list below still explains every clock)
    open_part = page[page.index('id="clock-heading"') :]
    assert Clocks.DELIVERY.label_id not in open_part[: open_part.index("<details")]
