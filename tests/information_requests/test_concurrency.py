"""Concurrent filings get numbers without gaps or duplicates; concurrent answers, one winner."""

from __future__ import annotations

import asyncio

from opendata.attachments.steps import answer_request
from opendata.errors import InvalidTransition
from opendata.information_requests.service import file_request
from tests.information_requests.helpers import Desk, walk_in, walk_in_form, wib


async def test_fifty_concurrent_filings_get_numbers_one_to_fifty(desk: Desk) -> None:
    received_at = wib(2026, 3, 16)
    records = await asyncio.gather(
        *(
            file_request(desk.services, desk.officer, walk_in_form(received_at), now=received_at)
            for _ in range(50)
        )
    )
    numbers = sorted(record.request.registration_number for record in records)
    assert numbers == [f"DISKOMINFO/2026/{n:06d}" for n in range(1, 51)]


async def test_two_officers_answering_at_once_only_one_succeeds(desk: Desk) -> None:
    request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id

    async def answer(decision: str) -> str:
        try:
            record = await answer_request(
                desk.services,
                desk.officer,
                request_id,
                decision=decision,
                answer=f"Keputusan {decision}",
                held_by="BPS Kabupaten" if decision == "NOT_HELD" else None,
                now=wib(2026, 3, 20),
            )
        except InvalidTransition:
            return "INVALID_TRANSITION"
        return record.request.decision or ""

    for _ in range(5):  # a few rounds on fresh requests, to give the race a chance
        outcomes = await asyncio.gather(answer("GRANTED"), answer("NOT_HELD"))
        assert sorted(outcomes).count("INVALID_TRANSITION") == 1, outcomes
        request_id = (await walk_in(desk, wib(2026, 3, 16))).request.id
