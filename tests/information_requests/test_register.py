"""The public register: filters, and who may see a requester's personal data."""

from __future__ import annotations

from datetime import date

from opendata.attachments.steps import answer_request
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.queries import RequestFilter, list_requests
from opendata.information_requests.service import answer_objection, file_objection
from tests.information_requests.helpers import Desk, online, walk_in, wib


async def test_only_the_requester_and_that_agencys_officers_see_the_requester(
    desk: Desk,
) -> None:
    request = (await online(desk, wib(2026, 3, 16))).request
    walk_in_request = (await walk_in(desk, wib(2026, 3, 16))).request
    assert can_see_requester(desk.requester, request)
    assert can_see_requester(desk.officer, request)
    assert can_see_requester(desk.superior, request)
    for viewer in (None, desk.other_requester, desk.other_officer, desk.other_superior, desk.admin):
        assert not can_see_requester(viewer, request)
    # a walk-in request has no account: nobody but the agency's officials
    assert not can_see_requester(desk.requester, walk_in_request)
    assert can_see_requester(desk.officer, walk_in_request)


async def test_register_filters_by_agency_status_year_and_overdue(desk: Desk) -> None:
    late = (await walk_in(desk, wib(2026, 3, 16))).request  # due 7 April 2026
    answered = (await walk_in(desk, wib(2026, 3, 16))).request
    await answer_request(
        desk.services,
        desk.officer,
        answered.id,
        decision="GRANTED",
        answer="x",
        now=wib(2026, 3, 20),
    )
    other = (await walk_in(desk, wib(2026, 4, 6), agency="dinkes")).request  # due 20 April
    next_year = (await walk_in(desk, wib(2027, 1, 4))).request

    async def numbers(request_filter: RequestFilter) -> list[str]:
        async with desk.services.database.session() as session:
            page, total = await list_requests(session, request_filter, date(2026, 4, 13), 0, 20)
        assert total == len(page)
        return sorted(request.registration_number for request in page)

    everything = await numbers(RequestFilter())
    assert len(everything) == 4
    assert await numbers(RequestFilter(agency_slug="dinkes")) == [other.registration_number]
    assert await numbers(RequestFilter(year=2027)) == [next_year.registration_number]
    assert await numbers(RequestFilter(statuses=("ANSWERED",))) == [answered.registration_number]
    # on 13 April 2026 the first request's notice is overdue, and so is the delivery of what
    # the second's notice granted (due 6 April); the requester's window is no breach
    assert await numbers(RequestFilter(overdue=True, year=2026)) == sorted(
        [late.registration_number, answered.registration_number]
    )
    assert len(await numbers(RequestFilter(overdue=False))) == 2


async def test_register_pages_newest_receipt_first(desk: Desk) -> None:
    for day in (2, 3, 4):
        await walk_in(desk, wib(2026, 3, day))
    async with desk.services.database.session() as session:
        page, total = await list_requests(session, RequestFilter(), wib(2026, 3, 5).date(), 1, 1)
    assert total == 3
    assert [request.registration_number for request in page] == ["DISKOMINFO/2026/000002"]


async def test_an_objection_does_not_take_a_request_off_the_overdue_register(desk: Desk) -> None:
    objected = (await online(desk, wib(2026, 3, 16))).request  # due 7 April 2026
    await file_objection(
        desk.services,
        desk.requester,
        objected.id,
        grounds=["NOT_RESPONDED"],
        reason="x",
        now=wib(2026, 4, 8),
    )
    upheld = (await walk_in(desk, wib(2026, 3, 16))).request
    await answer_request(
        desk.services,
        desk.officer,
        upheld.id,
        decision="REFUSED",
        answer="x",
        exemptions=["PASAL_17H"],
        consequence_test="x",
        now=wib(2026, 3, 17),
    )
    await file_objection(
        desk.services,
        desk.officer,
        upheld.id,
        grounds=["REFUSED_UNDER_EXEMPTION"],
        reason="x",
        now=wib(2026, 3, 18),
    )
    await answer_objection(
        desk.services, desk.superior, upheld.id, outcome="UPHELD", answer="x", now=wib(2026, 3, 19)
    )

    async def overdue_on(day: date) -> list[str]:
        async with desk.services.database.session() as session:
            page, _ = await list_requests(session, RequestFilter(overdue=True), day, 0, 20)
        return sorted(request.registration_number for request in page)

    # the notice is still owed while the objection runs; the upheld objection's fulfilment
    # (10 working days from 19 March: 8 April) goes overdue like any other duty
    assert await overdue_on(date(2026, 4, 7)) == []
    assert await overdue_on(date(2026, 4, 8)) == [objected.registration_number]
    assert await overdue_on(date(2026, 4, 9)) == [
        objected.registration_number,
        upheld.registration_number,
    ]
