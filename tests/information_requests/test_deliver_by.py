"""The written notice may state its own delivery day ("unless the notice states another
date", kip-rules §2): `deliverBy` sets the DELIVERY clock's due day, fixed as stated, from the
notice day to the last day of the requester's objection window on the notice (our bounds)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.attachments.steps import answer_request
from opendata.config import Limits
from opendata.errors import BadUserInput
from opendata.information_requests.deadlines import current_deadline
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind, Party
from opendata.web.graphql.build import build_schema
from tests.information_requests.builders import object_to
from tests.information_requests.helpers import Desk, online, wib


async def _answered(desk: Desk, deliver_by: date, decision: str = "GRANTED") -> RequestRecord:
    """Filed online and answered on Tue 17 March 2026; the objection window on the notice
    closes on 7 May."""
    request_id = (await online(desk, wib(2026, 3, 17))).request.id
    extra = {"exemptions": ["PASAL_17H"], "consequence_test": "x"} if decision == "REFUSED" else {}
    return await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision=decision,
        answer="x",
        deliver_by=deliver_by,
        now=wib(2026, 3, 17),
        **extra,
    )


async def test_the_notice_sets_the_delivery_day_and_ground_e_waits_for_it(desk: Desk) -> None:
    record = await _answered(desk, date(2026, 4, 20))
    (delivery,) = [c for c in record.clocks if c.kind == ClockKind.DELIVERY.value]
    assert (delivery.due_on, delivery.fixed) == (date(2026, 4, 20), True)
    shown = current_deadline(record.clocks, desk.services.calendar, wib(2026, 4, 9))
    assert (shown.party, shown.due_on, shown.overdue) == (Party.OFFICER, date(2026, 4, 20), False)
    # 9 April is past the default 10 working days (8 April), not past the stated day
    with pytest.raises(BadUserInput):
        await object_to(desk, record.request.id, wib(2026, 4, 9), grounds=["NOT_FULFILLED"])
    filed = await object_to(desk, record.request.id, wib(2026, 4, 21), grounds=["NOT_FULFILLED"])
    assert filed.objection is not None


async def test_the_last_day_to_object_is_the_latest_delivery_day(desk: Desk) -> None:
    record = await _answered(desk, date(2026, 5, 7))
    assert date(2026, 5, 7) in [c.due_on for c in record.clocks if c.kind == "DELIVERY"]


@pytest.mark.parametrize(
    ("day", "decision"),
    [
        (date(2026, 3, 16), "GRANTED"),  # before the notice
        (date(2026, 5, 8), "GRANTED"),  # after the objection window on it
        (date(2026, 3, 20), "REFUSED"),  # nothing to deliver
    ],
)
async def test_a_delivery_day_out_of_bounds_or_without_a_grant_is_refused(
    desk: Desk, day: date, decision: str
) -> None:
    with pytest.raises(BadUserInput) as error:
        await _answered(desk, day, decision)
    assert error.value.field == "deliverBy"


def test_the_api_takes_the_delivery_day_on_the_answer() -> None:
    fields = build_schema(Limits())._schema.type_map["AnswerRequestInput"].fields
    assert str(fields["deliverBy"].type) == "Date"
