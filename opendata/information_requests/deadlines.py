"""Who is expected to act next on a request, by when, and how many working days are left.

The due date is fixed when a step is taken (the law counts from that step), and stored on
the request so the register can filter overdue requests in SQL. The requester's own windows
(objection, dispute) are rights, not duties: once one closes, nobody is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from opendata.calendar import WorkingCalendar, is_past, regency_date
from opendata.information_requests.lifecycle import Status
from opendata.information_requests.models import Dispute, InformationRequest, Objection
from opendata.information_requests.rules import Clocks


class Party(StrEnum):
    OFFICER = "OFFICER"  # the PPID: written notice
    REQUESTER = "REQUESTER"  # may object, or take the case to the Commission
    SUPERIOR = "SUPERIOR"  # atasan PPID: answers the objection
    COMMISSION = "COMMISSION"  # Komisi Informasi: settles the dispute


# Parties whose missed deadline is a breach (shown as overdue); the requester's are rights.
DUTY_BEARERS = (Party.OFFICER, Party.SUPERIOR, Party.COMMISSION)


@dataclass(frozen=True)
class Expectation:
    party: Party | None
    due_on: date | None


def expected_next(
    request: InformationRequest,
    objection: Objection | None,
    dispute: Dispute | None,
    calendar: WorkingCalendar,
) -> Expectation:
    """The party expected to act after the request's current step, and its last day."""
    status = Status(request.status)
    if status in (Status.SUBMITTED, Status.EXTENDED):
        return Expectation(Party.OFFICER, request.answer_due_on)
    if status is Status.ANSWERED and request.answered_on is not None:
        # grounds arising on the notice (a, d, e, f, g) open a window from the notice date
        return Expectation(
            Party.REQUESTER,
            calendar.add_working_days(request.answered_on, Clocks.OBJECTION_FILING.working_days),
        )
    if status is Status.OBJECTION_FILED and objection is not None:
        return Expectation(Party.SUPERIOR, objection.due_on)
    if status is Status.OBJECTION_ANSWERED and objection and objection.answered_on:
        return Expectation(
            Party.REQUESTER,
            calendar.add_working_days(objection.answered_on, Clocks.DISPUTE_FILING.working_days),
        )
    if status is Status.DISPUTE_FILED and dispute is not None:
        return Expectation(
            Party.COMMISSION,
            calendar.add_working_days(dispute.filed_on, Clocks.COMMISSION_SETTLEMENT.working_days),
        )
    return Expectation(None, None)


def store_expectation(
    request: InformationRequest,
    objection: Objection | None,
    dispute: Dispute | None,
    calendar: WorkingCalendar,
) -> None:
    expectation = expected_next(request, objection, dispute, calendar)
    request.due_party = expectation.party.value if expectation.party else None
    request.due_on = expectation.due_on


@dataclass(frozen=True)
class DeadlineView:
    """What `dueOn`, `workingDaysLeft` and `overdue` show now."""

    party: Party | None
    due_on: date | None
    working_days_left: int | None
    overdue: bool


def deadline_view(
    due_on: date | None, due_party: str | None, calendar: WorkingCalendar, now: datetime
) -> DeadlineView:
    """0 working days left on the due day, negative once overdue (at least -1)."""
    if due_on is None or due_party is None:
        return DeadlineView(None, None, None, False)
    party = Party(due_party)
    passed = is_past(due_on, now)
    if passed and party not in DUTY_BEARERS:
        # the requester's window closed: nobody is expected to act any more
        return DeadlineView(None, None, None, False)
    today = regency_date(now)
    if passed:
        left = -max(1, calendar.working_days_between(due_on, today))
    else:
        left = calendar.working_days_between(today, due_on)
    return DeadlineView(party, due_on, left, passed)
