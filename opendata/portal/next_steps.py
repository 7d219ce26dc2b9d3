"""What the law lets a requester do next on their request, for the request page's forms.

Thin on purpose: the transition table (`lifecycle.TRANSITIONS`) and the service's own ground
check decide; this only asks them. TODO(merge): replace with the statute helper's
`allowed_actions(viewer, request)` once it lands, so buttons and checks share one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from opendata.accounts.viewer import Viewer
from opendata.calendar import WorkingCalendar, is_past
from opendata.errors import BadUserInput
from opendata.information_requests import service
from opendata.information_requests.lifecycle import TRANSITIONS, Action, Status
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.rules import (
    OBJECTION_GROUNDS,
    Clocks,
    GroundRule,
    ObjectionGround,
)


@dataclass
class NextSteps:
    may_withdraw: bool = False
    # the objection grounds that have arisen and whose 30 working days are still open
    objection_grounds: list[tuple[ObjectionGround, GroundRule]] = field(default_factory=list)


def requester_next_steps(
    viewer: Viewer | None,
    request: InformationRequest,
    calendar: WorkingCalendar,
    now: datetime,
) -> NextSteps:
    steps = NextSteps()
    if viewer is None or viewer.user_id != request.requester_user_id:
        return steps
    status = Status(request.status)
    steps.may_withdraw = (Action.WITHDRAW, status) in TRANSITIONS
    if (Action.FILE_OBJECTION, status) not in TRANSITIONS:
        return steps
    for ground, rule in OBJECTION_GROUNDS.items():
        try:
            arose_on = service._ground_arose_on(ground, request, now)
        except BadUserInput:
            continue  # not arisen
        if arose_on is not None:
            window_end = calendar.add_working_days(arose_on, Clocks.OBJECTION_FILING.working_days)
            if is_past(window_end, now):
                continue
        steps.objection_grounds.append((ground, rule))
    return steps
