"""What each timeline entry says: the act done, in words, not the stage the request reached.

A step's words come from its row in `lifecycle.STEPS` (`timeline_id`/`timeline_en`, worded by
its outcome where `timeline_outcomes` says so): "Keberatan ditolak oleh atasan PPID", not the
stage "Keberatan diajukan" that a second, pending objection keeps the request in. Entries that
are not steps (a calendar change moving deadlines) name their words in `OTHER_EVENTS`; a new
kind of entry adds one line there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from opendata.information_requests.lifecycle import STATUS_LABELS, STEP_BY_ACTION, Action, Status
from opendata.information_requests.models import RequestEvent
from opendata.information_requests.recalculation import CALENDAR_CHANGE

# the detail key of an entry dated by when the act happened (a request received on paper) that
# was written into the system later: the real time it was written (filing.py)
RECORDED_AT = "registeredAt"

# timeline entries written by something other than a lifecycle step: action -> (id, en)
OTHER_EVENTS: dict[str, tuple[str, str]] = {
    CALENDAR_CHANGE: (
        "Batas waktu dihitung ulang karena kalender hari kerja berubah",
        "Deadlines recomputed because the working-day calendar changed",
    ),
}


def timeline_words(action: str, status: str, detail: Mapping[str, Any] | None) -> tuple[str, str]:
    """(Indonesian, English) for one entry; an entry nobody named falls back to its stage."""
    if action in OTHER_EVENTS:
        return OTHER_EVENTS[action]
    step = STEP_BY_ACTION.get(Action(action)) if action in Action.__members__ else None
    if step is None or not step.timeline_id:
        return STATUS_LABELS[Status(status)]
    given = detail or {}
    outcome = given.get("outcome") or given.get("decision")
    for value, words_id, words_en in step.timeline_outcomes:
        if value == outcome:
            return words_id, words_en
    return step.timeline_id, step.timeline_en


def event_words(event: RequestEvent) -> tuple[str, str]:
    """`timeline_words` of a stored entry (a `RequestEvent` row), for the pages."""
    return timeline_words(event.action, event.status, event.detail)


def recorded_later(event: RequestEvent) -> datetime | None:
    """When an entry dated in the past was really written, if not at its own time."""
    written = (event.detail or {}).get(RECORDED_AT)
    if not written:
        return None
    moment = datetime.fromisoformat(written)
    return moment if moment != event.at else None
