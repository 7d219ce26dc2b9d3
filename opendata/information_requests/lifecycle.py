"""The request lifecycle as data: the steps, who may take each, and which clocks each moves.

`STEPS` is the one table a lawyer reads: for every step, the stages it may be taken from, the
usual stage after it, who may act, the clocks it starts and the clocks it stops, and its
article. `TRANSITIONS` is derived from it. The checks and writes of each step are small
functions in `steps.py`; the shared skeleton (lock, check, write, timeline) runs them.

The PPID's duties do not end when an objection is filed (kip-rules §2): the notice, the
extension and the fulfilment may be given in every stage before the dispute is decided, and a
request may carry several objections. The status is therefore the furthest stage reached
(`stage_of`), while each duty is a clock of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from opendata.accounts.viewer import Role, Viewer
from opendata.errors import InvalidTransition
from opendata.information_requests.letter_models import LetterKind
from opendata.information_requests.rules import (
    COURT_OUTCOME_LABELS,
    DECISION_LABELS,
    DISPUTE_OUTCOME_LABELS,
    ClockKind,
    CourtOutcome,
    Decision,
    DisputeOutcome,
    ObjectionOutcome,
)
from opendata.statute import Articles, Cited, cite


class Status(StrEnum):
    SUBMITTED = "SUBMITTED"
    EXTENDED = "EXTENDED"
    ANSWERED = "ANSWERED"
    WITHDRAWN = "WITHDRAWN"
    OBJECTION_FILED = "OBJECTION_FILED"
    OBJECTION_ANSWERED = "OBJECTION_ANSWERED"
    DISPUTE_FILED = "DISPUTE_FILED"
    DISPUTE_DECIDED = "DISPUTE_DECIDED"
    COURT_FILED = "COURT_FILED"
    COURT_DECIDED = "COURT_DECIDED"


class Action(StrEnum):
    FILE = "FILE"
    EXTEND = "EXTEND"
    ANSWER = "ANSWER"
    WITHDRAW = "WITHDRAW"
    FILE_OBJECTION = "FILE_OBJECTION"
    ANSWER_OBJECTION = "ANSWER_OBJECTION"
    RECORD_DISPUTE = "RECORD_DISPUTE"
    RECORD_DISPUTE_OUTCOME = "RECORD_DISPUTE_OUTCOME"
    RECORD_FULFILMENT = "RECORD_FULFILMENT"
    RECORD_COURT_CASE = "RECORD_COURT_CASE"
    RECORD_COURT_DECISION = "RECORD_COURT_DECISION"


class Actor(StrEnum):
    """The capacities in which a person acts on a request (kip-rules §2, "Who acts")."""

    # the requester themself; for a walk-in, letter or phone request without an account, the
    # agency's PPID records the requester's steps for them
    REQUESTER = "REQUESTER"
    PPID = "PPID"  # an officer (PPID) of the request's agency
    SUPERIOR = "SUPERIOR"  # the atasan PPID of the request's agency


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.SUBMITTED: ("Permohonan diterima", "Submitted"),
    Status.EXTENDED: ("Waktu diperpanjang", "Extended"),
    Status.ANSWERED: ("Pemberitahuan tertulis diberikan", "Answered"),
    Status.WITHDRAWN: ("Permohonan dicabut", "Withdrawn"),
    Status.OBJECTION_FILED: ("Keberatan diajukan", "Objection filed"),
    Status.OBJECTION_ANSWERED: ("Keberatan ditanggapi", "Objection answered"),
    Status.DISPUTE_FILED: ("Sengketa di Komisi Informasi", "Dispute filed"),
    Status.DISPUTE_DECIDED: ("Sengketa diputus", "Dispute decided"),
    Status.COURT_FILED: ("Gugatan di pengadilan", "Case in court"),
    Status.COURT_DECIDED: ("Diputus pengadilan", "Decided by the court"),
}


@dataclass(frozen=True)
class Step:
    action: Action
    from_states: frozenset[Status]
    to: Status  # the stage after, when no other objection runs beside it (see stage_of)
    actors: frozenset[Actor]
    starts: tuple[ClockKind, ...]  # clocks this step may start
    stops: tuple[ClockKind, ...]  # running clocks this step stops
    article: Cited  # from the one table of articles (opendata/statute.py)
    label_id: str
    label_en: str
    # the letters the step issues, numbered and signed in its transaction (issuing.py)
    letters: tuple[LetterKind, ...] = ()
    # the mails the step sends (keys of `mail_catalog.TEMPLATES`, each to its own audiences)
    mails: tuple[str, ...] = ()
    # the timeline's words for the act done (not the stage reached), Indonesian and English;
    # `timeline_outcomes` words it by the step's outcome (its detail's `outcome`/`decision`)
    timeline_id: str = ""
    timeline_en: str = ""
    timeline_outcomes: tuple[tuple[str, str, str], ...] = ()


def _outcome_words(
    labels: dict[Decision, tuple[str, str]]
    | dict[ObjectionOutcome, tuple[str, str]]
    | dict[DisputeOutcome, tuple[str, str]]
    | dict[CourtOutcome, tuple[str, str]],
    prefix_id: str,
    prefix_en: str,
) -> tuple[tuple[str, str, str], ...]:
    """(value, Indonesian, English) timeline words for each outcome of a labelled list."""
    return tuple(
        (value.value, f"{prefix_id}: {label_id.lower()}", f"{prefix_en}: {label_en.lower()}")
        for value, (label_id, label_en) in labels.items()
    )


_S = Status
_BEFORE_NOTICE = frozenset({_S.SUBMITTED, _S.EXTENDED})
_OBJECTION_STAGES = frozenset({_S.OBJECTION_FILED, _S.OBJECTION_ANSWERED})
# Before the dispute the requester may withdraw or object at any stage (kip-rules §2).
_BEFORE_DISPUTE = _BEFORE_NOTICE | {_S.ANSWERED} | _OBJECTION_STAGES
_COURT_STAGES = frozenset({_S.COURT_FILED, _S.COURT_DECIDED})

STEPS: tuple[Step, ...] = (
    Step(
        Action.FILE,
        frozenset(),  # a new request: registered at once with its number (filing.py)
        _S.SUBMITTED,
        frozenset({Actor.REQUESTER, Actor.PPID}),
        (ClockKind.NOTICE,),
        (),
        cite(Articles.RECORDING, Articles.REGISTRATION_NUMBER),
        "mendaftarkan permohonan",
        "file a request",
        letters=(LetterKind.RECEIPT,),
        mails=("receipt", "new_request"),
        timeline_id="Permohonan didaftarkan",
        timeline_en="Request registered",
    ),
    Step(
        Action.EXTEND,
        # also while an early objection (ground b or c) runs: the notice duty stands
        _BEFORE_NOTICE | _OBJECTION_STAGES,
        _S.EXTENDED,
        frozenset({Actor.PPID}),
        (),
        (),
        Articles.EXTENSION,
        "memperpanjang waktu",
        "extend",
        letters=(LetterKind.EXTENSION,),
        mails=("extension",),
        timeline_id="Waktu pemberitahuan diperpanjang",
        timeline_en="Time for the written notice extended",
    ),
    Step(
        Action.ANSWER,
        _BEFORE_NOTICE | _OBJECTION_STAGES | {_S.DISPUTE_FILED},
        _S.ANSWERED,
        frozenset({Actor.PPID}),
        # a giving notice (GRANTED, PARTIALLY_GRANTED) also starts the delivery clock
        (ClockKind.OBJECTION_FILING, ClockKind.DELIVERY),
        (ClockKind.NOTICE,),
        Articles.NOTICE,
        "memberi pemberitahuan tertulis",
        "answer",
        letters=(LetterKind.NOTICE,),
        mails=("notice",),
        timeline_id="Pemberitahuan tertulis diberikan",
        timeline_en="Written notice given",
        timeline_outcomes=_outcome_words(
            DECISION_LABELS, "Pemberitahuan tertulis", "Written notice"
        ),
    ),
    Step(
        Action.WITHDRAW,
        _BEFORE_DISPUTE,
        _S.WITHDRAWN,
        frozenset({Actor.REQUESTER}),
        (),
        tuple(ClockKind),
        Articles.WITHDRAWAL,
        "mencabut permohonan",
        "withdraw",
        timeline_id="Permohonan dicabut oleh pemohon",
        timeline_en="Request withdrawn by the requester",
    ),
    Step(
        Action.FILE_OBJECTION,
        _BEFORE_DISPUTE,
        _S.OBJECTION_FILED,
        frozenset({Actor.REQUESTER}),
        (ClockKind.OBJECTION_ANSWER,),
        (),
        cite(Articles.OBJECTION_GROUNDS, Articles.OBJECTION_WINDOW),
        "mengajukan keberatan",
        "file an objection",
        letters=(LetterKind.OBJECTION_RECEIPT,),
        mails=("objection_receipt", "new_objection"),
        timeline_id="Keberatan diajukan kepada atasan PPID",
        timeline_en="Objection filed with the PPID's superior",
    ),
    Step(
        Action.ANSWER_OBJECTION,
        frozenset({_S.OBJECTION_FILED}),
        _S.OBJECTION_ANSWERED,
        frozenset({Actor.SUPERIOR}),
        (ClockKind.DISPUTE_FILING, ClockKind.FULFILMENT),
        (ClockKind.OBJECTION_ANSWER,),
        cite(Articles.OBJECTION_ANSWER, Articles.OBJECTION_REASONS),
        "menanggapi keberatan",
        "answer the objection",
        letters=(LetterKind.OBJECTION_ANSWER,),
        mails=("objection_answer", "objection_upheld"),
        timeline_id="Keberatan ditanggapi oleh atasan PPID",
        timeline_en="Objection answered by the PPID's superior",
        timeline_outcomes=(
            (
                ObjectionOutcome.UPHELD.value,
                "Keberatan diterima oleh atasan PPID",
                "Objection upheld by the PPID's superior",
            ),
            (
                ObjectionOutcome.REJECTED.value,
                "Keberatan ditolak oleh atasan PPID",
                "Objection rejected by the PPID's superior",
            ),
        ),
    ),
    Step(
        Action.RECORD_DISPUTE,
        # from OBJECTION_FILED only once the superior's 30 days ran out unanswered; from
        # ANSWERED when a notice came after an answered objection whose window still runs
        _OBJECTION_STAGES | {_S.ANSWERED},
        _S.DISPUTE_FILED,
        frozenset({Actor.PPID}),
        (ClockKind.COMMISSION_SETTLEMENT,),
        (ClockKind.OBJECTION_FILING, ClockKind.OBJECTION_ANSWER, ClockKind.DISPUTE_FILING),
        cite(Articles.DISPUTE, Articles.DISPUTE_WINDOW),
        "mencatat sengketa",
        "record a dispute",
        timeline_id="Sengketa diajukan ke Komisi Informasi",
        timeline_en="Dispute filed with the Information Commission",
    ),
    Step(
        Action.RECORD_DISPUTE_OUTCOME,
        frozenset({_S.DISPUTE_FILED}),
        _S.DISPUTE_DECIDED,
        frozenset({Actor.PPID}),
        (ClockKind.COURT_FILING, ClockKind.FULFILMENT),
        # the Commission's decision settles what is given: it supersedes a notice never given
        (ClockKind.COMMISSION_SETTLEMENT, ClockKind.NOTICE),
        cite(Articles.COMMISSION_DECISION, Articles.COURT_WINDOW),
        "mencatat putusan sengketa",
        "record the dispute outcome",
        timeline_id="Komisi Informasi memutus sengketa",
        timeline_en="The Information Commission decided the dispute",
        timeline_outcomes=_outcome_words(
            DISPUTE_OUTCOME_LABELS, "Putusan Komisi Informasi", "Information Commission decision"
        ),
    ),
    Step(
        Action.RECORD_FULFILMENT,
        # after a giving notice, an UPHELD objection or an ordering Commission decision
        _BEFORE_DISPUTE - _BEFORE_NOTICE | {_S.DISPUTE_FILED, _S.DISPUTE_DECIDED} | _COURT_STAGES,
        _S.ANSWERED,  # the stage does not change: fulfilment is a duty, not a stage
        frozenset({Actor.PPID}),
        (),
        (ClockKind.FULFILMENT, ClockKind.DELIVERY),
        cite(Articles.DELIVERY, Articles.FULFILMENT),
        "mencatat pemberian informasi",
        "record the fulfilment",
        mails=("fulfilment",),
        timeline_id="Informasi diberikan kepada pemohon",
        timeline_en="Information given to the requester",
    ),
    Step(
        Action.RECORD_COURT_CASE,
        # either party took the adjudication decision to court within its 14 days
        frozenset({_S.DISPUTE_DECIDED}),
        _S.COURT_FILED,
        frozenset({Actor.PPID}),
        (),
        # the decision is not final: nothing falls due until the court decides (Pasal 48(1))
        (ClockKind.COURT_FILING, ClockKind.FULFILMENT),
        cite(Articles.COURT, Articles.COURT_WINDOW),
        "mencatat gugatan ke pengadilan",
        "record a court case",
        timeline_id="Gugatan ke pengadilan diajukan",
        timeline_en="Case filed in court",
    ),
    Step(
        Action.RECORD_COURT_DECISION,
        frozenset({_S.COURT_FILED}),
        _S.COURT_DECIDED,
        frozenset({Actor.PPID}),
        (ClockKind.FULFILMENT,),
        (),
        Articles.COURT,
        "mencatat putusan pengadilan",
        "record the court's decision",
        timeline_id="Pengadilan memutus gugatan",
        timeline_en="The court decided the case",
        timeline_outcomes=_outcome_words(
            COURT_OUTCOME_LABELS, "Putusan pengadilan", "Court decision"
        ),
    ),
)

STEP_BY_ACTION: dict[Action, Step] = {step.action: step for step in STEPS}

# (action, from status) -> the usual status after. Anything not listed is INVALID_TRANSITION.
TRANSITIONS: dict[tuple[Action, Status], Status] = {
    (step.action, status): step.to for step in STEPS for status in step.from_states
}


def check_transition(action: Action, current: Status) -> Step:
    """The step, or INVALID_TRANSITION if the current stage forbids it."""
    if (action, current) not in TRANSITIONS:
        raise invalid_transition(action, current)
    return STEP_BY_ACTION[action]


def next_status(action: Action, current: Status) -> Status:
    check_transition(action, current)
    return TRANSITIONS[(action, current)]


def invalid_transition(
    action: Action, current: Status, extra_id: str = "", extra_en: str = ""
) -> InvalidTransition:
    step = STEP_BY_ACTION.get(action)
    verb_id, verb_en = (step.label_id, step.label_en) if step else (action.value, action.value)
    label_id, label_en = STATUS_LABELS[current]
    return InvalidTransition(
        f"Tidak dapat {verb_id} pada tahap '{label_id}'.{extra_id}",
        f"Cannot {verb_en} at stage '{label_en}'.{extra_en}",
    )


@dataclass(frozen=True)
class StageFacts:
    """What the stage depends on; `stage_of` turns it into the status the register shows."""

    withdrawn: bool
    dispute_filed: bool
    dispute_decided: bool
    objection_pending: bool
    last_objection_answered_at: datetime | None
    answered_at: datetime | None
    extended: bool
    court_filed: bool = False
    court_decided: bool = False


def stage_of(facts: StageFacts) -> Status:
    """The furthest stage reached: a pending objection outranks a later notice, and a notice
    given after an answered objection is the newer stage (it opens new grounds)."""
    if facts.withdrawn:
        return Status.WITHDRAWN
    if facts.court_decided:
        return Status.COURT_DECIDED
    if facts.court_filed:
        return Status.COURT_FILED
    if facts.dispute_decided:
        return Status.DISPUTE_DECIDED
    if facts.dispute_filed:
        return Status.DISPUTE_FILED
    if facts.objection_pending:
        return Status.OBJECTION_FILED
    answered_objection = facts.last_objection_answered_at
    if answered_objection is not None and (
        facts.answered_at is None or facts.answered_at < answered_objection
    ):
        return Status.OBJECTION_ANSWERED
    if facts.answered_at is not None:
        return Status.ANSWERED
    return Status.EXTENDED if facts.extended else Status.SUBMITTED


def acts_as(viewer: Viewer, actor: Actor, agency_id: int, requester_user_id: int | None) -> bool:
    """Whether `viewer` may act as `actor` on a request of `agency_id`.

    An ADMIN is neither PPID nor superior of any agency (kip-rules §2: the PPID and the atasan
    PPID act): administrators manage accounts and the catalogue, not requests.
    """
    if actor is Actor.PPID:
        return viewer.role is Role.OFFICER and viewer.agency_id == agency_id
    if actor is Actor.SUPERIOR:
        return viewer.role is Role.SUPERIOR and viewer.agency_id == agency_id
    if requester_user_id is not None:
        return viewer.user_id == requester_user_id
    return viewer.role is Role.OFFICER and viewer.agency_id == agency_id
