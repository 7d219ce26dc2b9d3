"""What the written notice must say (Pasal 22(7)), its fee (Pasal 21) and refusal period (Pasal 20)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from opendata.attachments.steps import answer_request
from opendata.errors import BadUserInput
from opendata.information_requests.service import Fee, file_objection
from tests.information_requests.helpers import Desk, online, wib


async def _answer(desk: Desk, request_id: int, **notice: Any) -> Any:
    return await answer_request(
        desk.services,
        desk.officer,
        request_id,
        answer="Pemberitahuan",
        now=wib(2026, 3, 17),
        **notice,
    )


async def test_a_fee_is_recorded_and_opens_the_unreasonable_fee_ground(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    record = await _answer(
        desk, request_id, decision="GRANTED", fee=Fee(45_000, "Fotokopi 300 lembar")
    )
    assert (record.request.fee_amount, record.request.fee_basis) == (45_000, "Fotokopi 300 lembar")
    assert record.events[-1].detail["fee"] == 45_000
    objected = await file_objection(
        desk.services,
        desk.requester,
        request_id,
        grounds=["UNREASONABLE_FEE"],
        reason="Rp150 per lembar terlalu mahal",
        now=wib(2026, 3, 18),
    )
    assert objected.objection is not None and objected.objection.grounds == ["UNREASONABLE_FEE"]


async def test_no_fee_no_unreasonable_fee_ground_and_no_fee_on_a_refusal(desk: Desk) -> None:
    free = (await online(desk, wib(2026, 3, 16))).request.id
    await _answer(desk, free, decision="GRANTED")
    with pytest.raises(BadUserInput) as error:
        await file_objection(
            desk.services,
            desk.requester,
            free,
            grounds=["UNREASONABLE_FEE"],
            reason="x",
            now=wib(2026, 3, 18),
        )
    assert error.value.field == "grounds"
    refused = (await online(desk, wib(2026, 3, 16))).request.id
    with pytest.raises(BadUserInput) as error:  # nothing given, nothing to copy or deliver
        await _answer(
            desk,
            refused,
            decision="REFUSED",
            exemptions=["PASAL_17H"],
            consequence_test="x",
            fee=Fee(10_000, "Fotokopi"),
        )
    assert error.value.field == "fee"
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, refused, decision="GRANTED", fee=Fee(-5, "Fotokopi"))
    assert error.value.field == "fee.amount"


async def test_not_held_without_held_by_is_refused(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, request_id, decision="NOT_HELD")
    assert error.value.field == "heldBy"
    with pytest.raises(BadUserInput) as error:  # heldBy belongs to NOT_HELD only
        await _answer(desk, request_id, decision="GRANTED", held_by="Dinas Kesehatan")
    assert error.value.field == "heldBy"
    record = await _answer(
        desk, request_id, decision="NOT_HELD", held_by="Badan Pusat Statistik Kabupaten"
    )
    assert record.request.held_by == "Badan Pusat Statistik Kabupaten"


async def test_not_yet_documented_gives_the_expected_date(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, request_id, decision="NOT_YET_DOCUMENTED")
    assert error.value.field == "expectedOn"
    with pytest.raises(BadUserInput):  # not in the past
        await _answer(desk, request_id, decision="NOT_YET_DOCUMENTED", expected_on=date(2026, 3, 1))
    record = await _answer(
        desk, request_id, decision="NOT_YET_DOCUMENTED", expected_on=date(2026, 6, 30)
    )
    assert record.request.expected_on == date(2026, 6, 30)


async def test_a_17a_refusal_without_a_period_is_refused(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    refusal = {
        "decision": "REFUSED",
        "exemptions": ["PASAL_17A"],
        "consequence_test": "Penyidikan masih berjalan",
    }
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, request_id, **refusal)
    assert error.value.field == "exemptionExpiresOn"
    with pytest.raises(BadUserInput) as error:
        await _answer(desk, request_id, exemption_expires_on=date(2027, 3, 31), **refusal)
    assert error.value.field == "decisionReference"
    record = await _answer(
        desk,
        request_id,
        exemption_expires_on=date(2027, 3, 31),
        decision_reference="SK PPID 07/2026",
        **refusal,
    )
    assert (record.request.exemption_expires_on, record.request.decision_reference) == (
        date(2027, 3, 31),
        "SK PPID 07/2026",
    )


async def test_a_17h_refusal_may_be_open_ended(desk: Desk) -> None:
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    record = await _answer(
        desk,
        request_id,
        decision="PARTIALLY_GRANTED",
        exemptions=["PASAL_17H"],
        consequence_test="Nama pasien",
    )
    assert record.request.exemption_expires_on is None
