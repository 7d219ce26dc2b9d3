"""The steps request scenarios repeat, with the values most tests give them.

Each builder is one service call with everything a test does not look at filled in; a test
that asserts on a value passes it. `refused_and_objected` is the usual way into the objection
stage: filed online on Mon 30 March 2026, refused under Pasal 17(h) that day, objected to by
the requester the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from opendata.accounts.viewer import Viewer
from opendata.attachments.steps import answer_request, record_fulfilment
from opendata.information_requests.notice import Fee
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.service import (
    CourtDecision,
    CourtFiling,
    answer_objection,
    file_objection,
    record_court,
    record_dispute,
    record_dispute_outcome,
)
from tests.information_requests.helpers import Desk, online, wib


async def refuse(
    desk: Desk,
    request_id: int,
    now: datetime,
    *,
    by: Viewer | None = None,
    answer: str = "Ditolak",
    consequence_test: str = "Rahasia pribadi",
) -> RequestRecord:
    """The PPID (the desk's own unless `by` says which) refuses under Pasal 17(h)."""
    return await answer_request(
        desk.services,
        by or desk.officer,
        request_id,
        decision="REFUSED",
        answer=answer,
        exemptions=["PASAL_17H"],
        consequence_test=consequence_test,
        now=now,
    )


async def grant(desk: Desk, day: date, *, fee: Fee | None = None) -> RequestRecord:
    """A request filed online on `day` and granted in full that day."""
    request_id = (await online(desk, on(day))).request.id
    return await answer_request(
        desk.services,
        desk.officer,
        request_id,
        decision="GRANTED",
        answer="x",
        fee=fee,
        now=on(day),
    )


async def object_to(
    desk: Desk,
    request_id: int,
    now: datetime,
    *,
    by: Viewer | None = None,
    grounds: Sequence[str] = ("REFUSED_UNDER_EXEMPTION",),
    reason: str = "x",
) -> RequestRecord:
    """An objection, by the requester unless `by` says who files it."""
    return await file_objection(
        desk.services,
        by or desk.requester,
        request_id,
        grounds=list(grounds),
        reason=reason,
        now=now,
    )


async def rule_on_objection(
    desk: Desk,
    request_id: int,
    outcome: str,
    now: datetime,
    *,
    answer: str = "Ditolak",
    fulfil_by: date | None = None,
    revised_fee: int | None = None,
) -> RequestRecord:
    """The atasan PPID's answer to the open objection."""
    return await answer_objection(
        desk.services,
        desk.superior,
        request_id,
        outcome=outcome,
        answer=answer,
        fulfil_by=fulfil_by,
        revised_fee=revised_fee,
        now=now,
    )


async def refused_and_objected(desk: Desk, *, reason: str = "x") -> int:
    """Filed Mon 30 March 2026, refused that day, objected to on the 31st: the request id."""
    request_id = (await online(desk, wib(2026, 3, 30))).request.id
    await refuse(desk, request_id, wib(2026, 3, 30))
    await object_to(desk, request_id, wib(2026, 3, 31), reason=reason)
    return request_id


async def dispute_filed(desk: Desk) -> int:
    """`refused_and_objected`, the objection rejected on 1 April 2026 and the dispute at the
    Commission filed on 10 April: the request id."""
    request_id = await refused_and_objected(desk)
    await rule_on_objection(desk, request_id, "REJECTED", wib(2026, 4, 1))
    await record_dispute(
        desk.services,
        desk.officer,
        request_id,
        filed_on=date(2026, 4, 10),
        case_number="KI-KALBAR/12/2026",
        now=wib(2026, 4, 10),
    )
    return request_id


def on(day: date) -> datetime:
    """10:00 regency time on `day`."""
    return wib(day.year, day.month, day.day)


async def deliver(
    desk: Desk, request_id: int, day: date, *, form: str = "SOFT_COPY"
) -> RequestRecord:
    """The PPID records, that same day, that the information was given on `day`."""
    return await record_fulfilment(
        desk.services, desk.officer, request_id, delivered_on=day, form=form, now=on(day)
    )


async def commission_decides(
    desk: Desk, request_id: int, outcome: str, day: date, *, received_on: date | None = None
) -> RequestRecord:
    """The PPID records, on the day it was received, the Commission's decision of `day`."""
    return await record_dispute_outcome(
        desk.services,
        desk.officer,
        request_id,
        outcome=outcome,
        decided_on=day,
        received_on=received_on,
        now=on(received_on or day),
    )


async def in_court(
    desk: Desk, request_id: int, form: CourtFiling | CourtDecision, now: datetime
) -> RequestRecord:
    """The PPID records a court case against the Commission's decision, or its decision."""
    return await record_court(desk.services, desk.officer, request_id, form, now=now)
