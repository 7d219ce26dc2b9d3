"""A request's page: its clock, and to its requester exactly the steps the law allows now."""

from __future__ import annotations

import re

from opendata.db.base import utcnow
from opendata.information_requests.rules import Clocks
from opendata.services import Services
from tests.information_requests.builders import refuse
from tests.information_requests.helpers import NIK, make_desk, online
from tests.portal.conftest import csrf_of, portal_as

GROUND_INPUT = re.compile(r'name="grounds" value="([A-Z_]+)"')


async def test_after_a_refusal_the_requester_is_offered_only_the_grounds_that_have_arisen(
    services: Services,
) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    await refuse(desk, record.request.id, utcnow())
    number = record.request.registration_number
    path = f"/permohonan/{number}"
    async with await portal_as(services) as anyone:
        public = await anyone.get(path)
    assert public.status_code == 200 and "Ditolak" in public.text
    assert 'name="grounds"' not in public.text and NIK not in public.text
    assert "wartawan" not in public.text  # the requester's name

    async with await portal_as(services, desk.requester) as requester:
        page = await requester.get(path)
        offered = set(GROUND_INPUT.findall(page.text))
        # a (refused under Pasal 17), b (any time), d (on any notice); not c (answered in
        # time), e (nothing granted), f (no fee charged) or g (not late)
        assert offered == {
            "REFUSED_UNDER_EXEMPTION",
            "PERIODIC_INFORMATION_NOT_PUBLISHED",
            "RESPONDED_NOT_AS_REQUESTED",
        }
        token = csrf_of(page.text)
        filed = await requester.post(
            path,
            data={
                "csrf_token": token,
                "action": "object",
                "grounds": "REFUSED_UNDER_EXEMPTION",
                "reason": "Data agregat tidak memuat data pribadi.",
            },
        )
        assert filed.status_code == 303 and filed.headers["location"] == path
        after = await requester.get(path)
    assert "Keberatan diajukan" in after.text
    assert Clocks.OBJECTION_ANSWER.label_id in after.text
    assert 'value="REFUSED_UNDER_EXEMPTION"' not in after.text  # a ground is raised once


async def test_another_requester_sees_no_step_and_cannot_post_one(services: Services) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    path = f"/permohonan/{record.request.registration_number}"
    async with await portal_as(services, desk.other_requester) as other:
        page = await other.get(path)
        assert "Cabut permohonan ini" not in page.text
        token = csrf_of(page.text)
        refused = await other.post(path, data={"csrf_token": token, "action": "withdraw"})
    assert refused.status_code == 403
    assert "Anda tidak berwenang" in refused.text
