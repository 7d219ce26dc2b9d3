"""The fee on the staff forms: the officer states how to pay with the notice (Pasal 22 ayat (7)
huruf g), and the superior who upholds an objection on an unreasonable fee (Pasal 35 ayat (1)
huruf f) sets the revised fee on the objection queue."""

from __future__ import annotations

from sqlalchemy import select

from opendata.db.base import utcnow
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.notice import Fee
from opendata.services import Services
from tests.information_requests.builders import grant, object_to
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import portal_as
from tests.portal.test_staff_act import act_path
from tests.portal.test_staff_more import objected, post_form


async def _request(services: Services, number: str) -> InformationRequest:
    async with services.database.session() as session:
        found = await session.scalar(
            select(InformationRequest).where(InformationRequest.registration_number == number)
        )
    assert found is not None
    return found


async def test_the_officer_states_how_to_pay_with_the_fee(services: Services) -> None:
    desk = await make_desk(services)
    number = (await online(desk, utcnow())).request.registration_number
    async with await portal_as(services, desk.officer) as officer:
        form = await officer.get(act_path(number))
        assert 'name="fee_payment"' in form.text
        answered = await post_form(
            officer,
            act_path(number),
            {
                "action": "answer",
                "decision": "GRANTED",
                "answer": "Salinan disiapkan.",
                "fee_amount": "15.000",
                "fee_basis": "fotokopi 150 lembar",
                "fee_payment": "Tunai di loket PPID, Jl. Arteri Supadio",
            },
        )
    assert answered.status_code == 303, answered.text
    request = await _request(services, number)
    assert (request.fee_amount, request.fee_basis, request.fee_payment) == (
        15_000,
        "fotokopi 150 lembar",
        "Tunai di loket PPID, Jl. Arteri Supadio",
    )


async def test_the_superior_revises_an_unreasonable_fee_on_the_queue(services: Services) -> None:
    desk = await make_desk(services)
    record = await grant(desk, utcnow().date(), fee=Fee(200_000, "salinan"))
    number = record.request.registration_number
    after = await object_to(desk, record.request.id, utcnow(), grounds=("UNREASONABLE_FEE",))
    objection = after.objections[-1].registration_number
    _, other = await objected(desk)  # an objection on another ground offers no fee field
    async with await portal_as(services, desk.superior) as superior:
        queue = await superior.get("/petugas/keberatan")
        assert queue.text.count('name="revised_fee"') == 1
        assert other in queue.text
        refused = await post_form(
            superior,
            "/petugas/keberatan",
            {
                "request": number,
                "objection": objection,
                "outcome": "UPHELD",
                "answer": "Biaya diturunkan.",
                "revised_fee": "dua puluh ribu",
            },
        )
        assert refused.status_code == 400 and "rupiah" in refused.text
        assert 'value="dua puluh ribu"' in refused.text  # what was typed comes back
        answered = await post_form(
            superior,
            "/petugas/keberatan",
            {
                "request": number,
                "objection": objection,
                "outcome": "UPHELD",
                "answer": "Biaya diturunkan.",
                "revised_fee": "20.000",
            },
        )
    assert answered.status_code == 303, answered.text
    request = await _request(services, number)
    assert (request.fee_amount, request.fee_original_amount) == (20_000, 200_000)
