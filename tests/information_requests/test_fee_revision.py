"""An upheld objection on ground f (an unreasonable fee, Pasal 35(1)(f)) revises the fee: the
request's fee is the revised one wherever it is read (the report too); the notice's is kept."""

from __future__ import annotations

from datetime import date

import pytest

from opendata.errors import BadUserInput
from opendata.information_requests.notice import Fee
from opendata.information_requests.report import service_report
from tests.information_requests.builders import grant, object_to, rule_on_objection
from tests.information_requests.helpers import Desk, wib


async def _fee_objected(desk: Desk, grounds: tuple[str, ...] = ("UNREASONABLE_FEE",)) -> int:
    """Granted on 17 March 2026 for Rp50.000 of copies, objected to the 18th."""
    granted = await grant(desk, date(2026, 3, 17), fee=Fee(50_000, "Fotokopi 500 lembar"))
    request_id = granted.request.id
    await object_to(desk, request_id, wib(2026, 3, 18), grounds=grounds, reason="Terlalu mahal")
    return request_id


async def _answer(desk: Desk, request_id: int, outcome: str, revised_fee: int | None) -> None:
    await rule_on_objection(desk, request_id, outcome, wib(2026, 3, 20), revised_fee=revised_fee)


async def test_an_upheld_fee_objection_revises_the_fee_everywhere(desk: Desk) -> None:
    request_id = await _fee_objected(desk)
    with pytest.raises(BadUserInput) as above:  # a revision cannot raise the fee
        await _answer(desk, request_id, "UPHELD", 60_000)
    assert above.value.field == "revisedFee"
    record = await rule_on_objection(
        desk, request_id, "UPHELD", wib(2026, 3, 20), answer="Tanpa biaya", revised_fee=0
    )
    request = record.request
    assert (request.fee_amount, request.fee_original_amount) == (0, 50_000)
    assert record.objections[-1].revised_fee == 0
    assert record.events[-1].detail["revisedFee"] == 0
    # the report counts the revised fee: nothing is charged any more
    report = await service_report(desk.services, 2026, "diskominfo", now=wib(2026, 3, 21))
    assert (report.fees_charged, report.fees_total) == (0, 0)


async def test_a_revised_fee_belongs_only_to_an_upheld_fee_objection(desk: Desk) -> None:
    fee_request = await _fee_objected(desk)
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, fee_request, "REJECTED", 10_000)
    assert error.value.field == "revisedFee"
    other_ground = await _fee_objected(desk, grounds=("RESPONDED_NOT_AS_REQUESTED",))
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, other_ground, "UPHELD", 10_000)
    assert error.value.field == "revisedFee"
    # a partial revision: the fee is now Rp10.000, the notice's Rp50.000 kept for the record
    await _answer(desk, fee_request, "UPHELD", 10_000)
    report = await service_report(desk.services, 2026, "diskominfo", now=wib(2026, 3, 21))
    assert report.fees_total == 10_000 + 50_000  # the revised one and the other request's
