"""The request steps as plain functions: what the resolvers, pages, CLI and tests call.

Each is one line over `steps.run_step`: the lifecycle table (`lifecycle.STEPS`) says who may
act and which clocks move, `steps.py` holds each step's own checks and writes. The two
steps that carry documents (the notice and the fulfilment) are in `attachments.steps`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from opendata.accounts.viewer import Viewer
from opendata.information_requests.court import CourtDecision, CourtFiling
from opendata.information_requests.filing import FilingForm, RequesterDetails, file_request
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.notice import Fee
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.steps import (
    DisputeDecision,
    DisputeFiling,
    Extension,
    ObjectionAnswer,
    ObjectionForm,
    Withdrawal,
    allowed_actions,
    run_step,
)
from opendata.parts import HasCalendar

__all__ = [
    "CourtDecision",
    "CourtFiling",
    "Fee",
    "FilingForm",
    "RequestRecord",
    "RequesterDetails",
    "allowed_actions",
    "answer_objection",
    "extend_request",
    "file_objection",
    "file_request",
    "record_court",
    "record_dispute",
    "record_dispute_outcome",
    "withdraw_request",
]


async def extend_request(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> RequestRecord:
    return await run_step(services, viewer, request_id, Action.EXTEND, Extension(reason), now=now)


async def withdraw_request(
    services: HasCalendar, viewer: Viewer | None, request_id: int, *, now: datetime | None = None
) -> RequestRecord:
    return await run_step(services, viewer, request_id, Action.WITHDRAW, Withdrawal(), now=now)


async def file_objection(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    *,
    grounds: Sequence[str],
    reason: str,
    now: datetime | None = None,
) -> RequestRecord:
    form = ObjectionForm(tuple(grounds), reason)
    return await run_step(services, viewer, request_id, Action.FILE_OBJECTION, form, now=now)


async def answer_objection(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    *,
    outcome: str,
    answer: str,
    objection_number: str | None = None,
    fulfil_by: date | None = None,
    revised_fee: int | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    form = ObjectionAnswer(outcome, answer, objection_number, fulfil_by, revised_fee)
    return await run_step(services, viewer, request_id, Action.ANSWER_OBJECTION, form, now=now)


async def record_dispute(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    *,
    filed_on: date,
    case_number: str | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    form = DisputeFiling(filed_on, case_number)
    return await run_step(services, viewer, request_id, Action.RECORD_DISPUTE, form, now=now)


async def record_dispute_outcome(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    *,
    outcome: str,
    decided_on: date,
    summary: str | None = None,
    received_on: date | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    """`received_on`: the day the decision was received (the court window runs from it);
    the decision date when not given."""
    form = DisputeDecision(outcome, decided_on, summary, received_on)
    return await run_step(
        services, viewer, request_id, Action.RECORD_DISPUTE_OUTCOME, form, now=now
    )


async def record_court(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    form: CourtFiling | CourtDecision,
    *,
    now: datetime | None = None,
) -> RequestRecord:
    """Either court step, by its form: the case either party filed, or the court's decision."""
    action = (
        Action.RECORD_COURT_CASE if isinstance(form, CourtFiling) else Action.RECORD_COURT_DECISION
    )
    return await run_step(services, viewer, request_id, action, form, now=now)
