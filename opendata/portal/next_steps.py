"""What the law lets a requester do next on their request, for the request page's forms.

Thin on purpose: `allowed_actions` (the step table and each step's preconditions) decides
which steps are open, and the request record which objection grounds have arisen and are
still within their 30 working days, so the page's buttons and the service always agree.
An objection is offered only once the request's clocks say the time for one has come
(`due.open_windows`): the written notice came (its objection window runs) or its deadline
passed unanswered; never right after filing, while the agency still has its 10 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opendata.information_requests.due import DueWindow, open_windows
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.rules import (
    OBJECTION_GROUNDS,
    ClockKind,
    GroundRule,
    ObjectionGround,
)
from opendata.request_scope import RequestScope
from opendata.resolvers import requests as resolve


@dataclass
class NextSteps:
    may_withdraw: bool = False
    # the objection grounds that have arisen, are not yet raised and whose window is open
    objection_grounds: list[tuple[ObjectionGround, GroundRule]] = field(default_factory=list)


def objection_time_has_come(windows: list[DueWindow]) -> bool:
    """The objection window runs, or the agency let its notice deadline pass."""
    return any(
        w.kind is ClockKind.OBJECTION_FILING or (w.kind is ClockKind.NOTICE and w.overdue)
        for w in windows
    )


async def requester_next_steps(scope: RequestScope, request: InformationRequest) -> NextSteps:
    """The requester's own steps (officers act from the staff pages)."""
    viewer = scope.viewer
    if viewer is None or viewer.user_id != request.requester_user_id:
        return NextSteps()
    allowed = await resolve.allowed_actions_on(scope, request)
    steps = NextSteps(may_withdraw=Action.WITHDRAW in allowed)
    windows = open_windows(
        await resolve.clocks_of(scope, request.id),
        await resolve.objections_of(scope, request.id),
        resolve.calendar_of(scope),
        resolve.now(),
    )
    if Action.FILE_OBJECTION in allowed and objection_time_has_come(windows):
        record = await resolve.record_of(scope, request)
        open_grounds = record.open_grounds(resolve.calendar_of(scope), resolve.now())
        steps.objection_grounds = [(g, OBJECTION_GROUNDS[g]) for g in open_grounds]
    return steps
