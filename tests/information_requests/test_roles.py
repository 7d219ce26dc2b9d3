"""Who acts: the atasan PPID answers objections, an ADMIN is neither PPID nor superior, and
every step records who acted; `allowed_actions` agrees with the checks (kip-rules §2)."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.attachments.steps import answer_request
from opendata.errors import Forbidden
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.queries import load_record
from opendata.information_requests.service import (
    allowed_actions,
    answer_objection,
    extend_request,
    file_objection,
    record_dispute,
)
from tests.information_requests.builders import refused_and_objected, rule_on_objection
from tests.information_requests.helpers import Desk, online, wib


async def test_an_admin_is_refused_as_superior(desk: Desk) -> None:
    request_id = await refused_and_objected(desk)
    for viewer in (desk.admin, desk.officer, desk.other_superior):
        with pytest.raises(Forbidden):
            await answer_objection(
                desk.services, viewer, request_id, outcome="UPHELD", answer="x", now=wib(2026, 4, 1)
            )


async def test_an_admin_is_refused_as_ppid(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    with pytest.raises(Forbidden):
        await answer_request(
            desk.services,
            desk.admin,
            request_id,
            decision="GRANTED",
            answer="x",
            now=wib(2026, 3, 17),
        )
    with pytest.raises(Forbidden):
        await extend_request(desk.services, desk.admin, request_id, "x", now=wib(2026, 3, 17))


async def test_every_step_records_who_acted(desk: Desk) -> None:
    request_id = await refused_and_objected(desk)
    await rule_on_objection(desk, request_id, "REJECTED", wib(2026, 4, 1))
    record = await record_dispute(
        desk.services, desk.officer, request_id, filed_on=date(2026, 4, 2), now=wib(2026, 4, 2)
    )
    assert [(event.action, event.actor_role, event.actor_user_id) for event in record.events] == [
        ("FILE", "REQUESTER", desk.requester.user_id),
        ("ANSWER", "OFFICER", desk.officer.user_id),
        ("FILE_OBJECTION", "REQUESTER", desk.requester.user_id),
        ("ANSWER_OBJECTION", "SUPERIOR", desk.superior.user_id),
        ("RECORD_DISPUTE", "OFFICER", desk.officer.user_id),
    ]


async def test_allowed_actions_follow_the_step_table(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    calendar = desk.services.calendar

    async def allowed(viewer: object, day: tuple[int, int, int]) -> list[Action]:
        record = await load_record(desk.services, request_id)
        assert record is not None
        return allowed_actions(viewer, record, calendar, wib(*day))  # type: ignore[arg-type]

    assert await allowed(desk.officer, (2026, 3, 17)) == [Action.EXTEND, Action.ANSWER]
    # before the deadline only ground b (any time) is open to the requester
    assert await allowed(desk.requester, (2026, 3, 17)) == [
        Action.WITHDRAW,
        Action.FILE_OBJECTION,
    ]
    for outsider in (desk.admin, desk.superior, desk.other_officer, desk.other_requester, None):
        assert await allowed(outsider, (2026, 3, 17)) == []
    # past the deadline the PPID may no longer extend, but must still answer
    assert await allowed(desk.officer, (2026, 4, 8)) == [Action.ANSWER]

    await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["NOT_RESPONDED"],
        reason="x",
        now=wib(2026, 4, 8),
    )
    assert await allowed(desk.officer, (2026, 4, 8)) == [Action.ANSWER]
    assert await allowed(desk.superior, (2026, 4, 8)) == [Action.ANSWER_OBJECTION]
    assert await allowed(desk.admin, (2026, 4, 8)) == []
    await answer_request(
        desk.services, desk.officer, request_id, decision="GRANTED", answer="x", now=wib(2026, 4, 9)
    )
    # what the buttons offer, the steps accept: the fulfilment of the late grant
    assert await allowed(desk.officer, (2026, 4, 9)) == [Action.RECORD_FULFILMENT]
