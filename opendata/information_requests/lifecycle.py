"""The request lifecycle as an explicit state machine: which step is allowed from which status.

Only the table below says what may follow what; the service checks every step against it
before anything else (and again after locking the request row).
"""

from __future__ import annotations

from enum import StrEnum

from opendata.errors import InvalidTransition


class Status(StrEnum):
    SUBMITTED = "SUBMITTED"
    EXTENDED = "EXTENDED"
    ANSWERED = "ANSWERED"
    WITHDRAWN = "WITHDRAWN"
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_ANSWERED = "OBJECTION_ANSWERED"
    DISPUTE_FILED = "DISPUTE_FILED"
    DISPUTE_DECIDED = "DISPUTE_DECIDED"


class Action(StrEnum):
    FILE = "FILE"
    EXTEND = "EXTEND"
    ANSWER = "ANSWER"
    WITHDRAW = "WITHDRAW"
    FILE_OBJECTION = "FILE_OBJECTION"
    ANSWER_OBJECTION = "ANSWER_OBJECTION"
    RECORD_DISPUTE = "RECORD_DISPUTE"
    RECORD_DISPUTE_OUTCOME = "RECORD_DISPUTE_OUTCOME"


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.SUBMITTED: ("Permohonan diterima", "Submitted"),
    Status.EXTENDED: ("Waktu diperpanjang", "Extended"),
    Status.ANSWERED: ("Pemberitahuan tertulis diberikan", "Answered"),
    Status.WITHDRAWN: ("Permohonan dicabut", "Withdrawn"),
    Status.OBJECTION_FILED: ("Keberatan diajukan", "Objection filed"),
    Status.OBJECTION_ANSWERED: ("Keberatan ditanggapi", "Objection answered"),
    Status.DISPUTE_FILED: ("Sengketa di Komisi Informasi", "Dispute filed"),
    Status.DISPUTE_DECIDED: ("Sengketa diputus", "Dispute decided"),
}

# Before the dispute the requester may withdraw at any stage (kip-rules §2, "Withdrawal").
_BEFORE_DISPUTE = (
    Status.SUBMITTED,
    Status.EXTENDED,
    Status.ANSWERED,
    Status.OBJECTION_FILED,
    Status.OBJECTION_ANSWERED,
)

# (action, from status) -> status after. Anything not listed is INVALID_TRANSITION.
TRANSITIONS: dict[tuple[Action, Status], Status] = {
    (Action.EXTEND, Status.SUBMITTED): Status.EXTENDED,
    (Action.ANSWER, Status.SUBMITTED): Status.ANSWERED,
    (Action.ANSWER, Status.EXTENDED): Status.ANSWERED,
    **{(Action.WITHDRAW, status): Status.WITHDRAWN for status in _BEFORE_DISPUTE},
    # NOT_RESPONDED (after the deadline) and PERIODIC_INFORMATION_NOT_PUBLISHED need no notice
    (Action.FILE_OBJECTION, Status.SUBMITTED): Status.OBJECTION_FILED,
    (Action.FILE_OBJECTION, Status.EXTENDED): Status.OBJECTION_FILED,
    (Action.FILE_OBJECTION, Status.ANSWERED): Status.OBJECTION_FILED,
    (Action.ANSWER_OBJECTION, Status.OBJECTION_FILED): Status.OBJECTION_ANSWERED,
    (Action.RECORD_DISPUTE, Status.OBJECTION_ANSWERED): Status.DISPUTE_FILED,
    # only once the superior's 30 working days ran out unanswered (checked by the service)
    (Action.RECORD_DISPUTE, Status.OBJECTION_FILED): Status.DISPUTE_FILED,
    (Action.RECORD_DISPUTE_OUTCOME, Status.DISPUTE_FILED): Status.DISPUTE_DECIDED,
}

_ACTION_NAMES: dict[Action, tuple[str, str]] = {
    Action.EXTEND: ("memperpanjang waktu", "extend"),
    Action.ANSWER: ("memberi pemberitahuan tertulis", "answer"),
    Action.WITHDRAW: ("mencabut permohonan", "withdraw"),
    Action.FILE_OBJECTION: ("mengajukan keberatan", "file an objection"),
    Action.ANSWER_OBJECTION: ("menanggapi keberatan", "answer the objection"),
    Action.RECORD_DISPUTE: ("mencatat sengketa", "record a dispute"),
    Action.RECORD_DISPUTE_OUTCOME: ("mencatat putusan sengketa", "record the dispute outcome"),
}


def next_status(action: Action, current: Status) -> Status:
    """The status after `action`, or INVALID_TRANSITION if the current stage forbids it."""
    after = TRANSITIONS.get((action, current))
    if after is None:
        raise invalid_transition(action, current)
    return after


def invalid_transition(
    action: Action, current: Status, extra_id: str = "", extra_en: str = ""
) -> InvalidTransition:
    verb_id, verb_en = _ACTION_NAMES.get(action, (action.value, action.value))
    label_id, label_en = STATUS_LABELS[current]
    return InvalidTransition(
        f"Tidak dapat {verb_id} pada tahap '{label_id}'.{extra_id}",
        f"Cannot {verb_en} at stage '{label_en}'.{extra_en}",
    )
