"""Each step's own checks and writes, as small functions run by one skeleton (`run_step`).

Checks run in a fixed order: who you are (UNAUTHENTICATED, FORBIDDEN: `lifecycle.STEPS`
says who may act), whether the stage allows the step (INVALID_TRANSITION: `TRANSITIONS` and
the step's precondition), then the step function: whether the input is complete
(BAD_USER_INPUT) and whether the window is still open (DEADLINE_PASSED). `allowed_actions`
reads the same table and preconditions, so buttons and checks agree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.calendar import WorkingCalendar, is_past
from opendata.calendar_store import refreshed_calendar
from opendata.db.models import Agency
from opendata.errors import BadUserInput, DeadlinePassed, DomainError, Forbidden
from opendata.information_requests.court import (
    CourtDecision,
    CourtFiling,
    can_record_court_case,
    record_court_case,
    record_court_decision,
    window_closed,
)
from opendata.information_requests.deadlines import lapsed_objection_window, running
from opendata.information_requests.fee_revision import revise_fee
from opendata.information_requests.lifecycle import (
    STEP_BY_ACTION,
    STEPS,
    Action,
    Status,
    Step,
    acts_as,
    check_transition,
    invalid_transition,
)
from opendata.information_requests.mails import ActedOn, MailDocument, step_mails
from opendata.information_requests.models import (
    Dispute,
    InformationRequest,
    Objection,
    ObjectionCounter,
)
from opendata.information_requests.notice import Notice, checked_notice
from opendata.information_requests.numbering import format_objection_number, next_sequence
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import (
    DECISIONS_GIVING,
    DISPUTE_OUTCOMES_OPEN_TO_COURT,
    DISPUTE_OUTCOMES_ORDERING_DISCLOSURE,
    OBJECTION_GROUNDS,
    OBJECTION_OUTCOMES_ORDERING_DISCLOSURE,
    ClockKind,
    Clocks,
    DeliveryForm,
    DisputeOutcome,
    GroundNotArisen,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.information_requests.skeleton import (
    StepContext,
    StepOutcome,
    checked_now,
    finish_step,
    load_record,
    require_viewer,
)
from opendata.information_requests.validation import (
    date_between,
    not_given,
    one_of,
    optional_text,
    required_text,
)
from opendata.parts import HasCalendar
from opendata.statute import Articles

# What a package built on this one does in a step's transaction once the step is recorded
# (opendata.follows tells a request's followers): it registers here, so this package never
# imports what is built on it (as catalogue.extras does for the dashboard).
StepListener = Callable[[AsyncSession, InformationRequest], Awaitable[object]]
_STEP_LISTENERS: dict[str, StepListener] = {}


def register_step_listener(name: str, listener: StepListener) -> None:
    """Called once by the listener's own module (registering again replaces it)."""
    _STEP_LISTENERS[name] = listener

# ------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class Extension:
    reason: str


@dataclass(frozen=True)
class Withdrawal:
    pass


@dataclass(frozen=True)
class ObjectionForm:
    grounds: Sequence[str]
    reason: str


@dataclass(frozen=True)
class ObjectionAnswer:
    outcome: str
    answer: str
    # which pending objection (its register number); None: the oldest pending one
    objection_number: str | None = None
    # UPHELD: the day by which the PPID must give the information, if the superior sets one
    fulfil_by: date | None = None
    # UPHELD on ground f: the fee that may be charged instead (0: none; fee_revision.py)
    revised_fee: int | None = None


@dataclass(frozen=True)
class DisputeFiling:
    filed_on: date
    case_number: str | None = None


@dataclass(frozen=True)
class DisputeDecision:
    outcome: str
    decided_on: date
    summary: str | None = None
    # the day the decision was received: the court window counts from it (Pasal 48(1));
    # when not given, the decision date is taken as the day it was received
    received_on: date | None = None


@dataclass(frozen=True)
class Fulfilment:
    delivered_on: date
    form: str
    note: str | None = None


# ------------------------------------------------------------------------------ preconditions
# Stage-level conditions beyond TRANSITIONS: they raise INVALID_TRANSITION (or DEADLINE_PASSED
# where only time forbids the step) and are what `allowed_actions` asks too.


def _notice_not_given(record: RequestRecord, action: Action) -> None:
    if record.request.answered_at is not None:
        raise invalid_transition(
            action,
            Status(record.request.status),
            " Pemberitahuan tertulis sudah diberikan.",
            " The written notice was already given.",
        )


def _can_extend(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    _notice_not_given(record, Action.EXTEND)
    if record.request.extended:
        raise invalid_transition(
            Action.EXTEND,
            Status(record.request.status),
            f" Perpanjangan hanya sekali ({Articles.EXTENSION.pasal_text}).",
            f" The time may be extended only once ({Articles.EXTENSION.pasal_text}).",
        )
    due_on = record.request.answer_due_on
    if is_past(due_on, now):
        raise DeadlinePassed(
            f"Perpanjangan harus sebelum batas {Clocks.NOTICE.working_days} hari kerja "
            f"({due_on.isoformat()}).",
            f"An extension must come before the {Clocks.NOTICE.working_days} working days end "
            f"({due_on.isoformat()}).",
        )


def _can_answer(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    _notice_not_given(record, Action.ANSWER)


def _can_object(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    if not record.open_grounds(calendar, now):
        raise invalid_transition(
            Action.FILE_OBJECTION,
            Status(record.request.status),
            f" Tidak ada alasan keberatan ({Articles.OBJECTION_GROUNDS.pasal_text}) yang terbuka "
            "saat ini.",
            f" No objection ground ({Articles.OBJECTION_GROUNDS.pasal_text}) is open now.",
        )


def _dispute_windows(
    record: RequestRecord, calendar: WorkingCalendar, now: datetime
) -> list[tuple[date, date]]:
    """(first day, last day) to go to the Commission, per answered or lapsed objection."""
    windows: list[tuple[date, date]] = []
    for objection in record.objections:
        if objection.answered_on is not None:
            shown = record.clock(ClockKind.DISPUTE_FILING, objection.id)
            start = objection.answered_on
            end = calendar.add_working_days(start, Clocks.DISPUTE_FILING.working_days)
            windows.append((start, max(end, shown.due_on) if shown else end))
        elif is_past(objection.due_on, now):
            windows.append((objection.due_on, lapsed_objection_window(objection.due_on, calendar)))
    return windows


def _can_record_dispute(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    if _dispute_windows(record, calendar, now):
        return
    pending = record.pending_objections()
    due_on = min(objection.due_on for objection in pending) if pending else None
    raise invalid_transition(
        Action.RECORD_DISPUTE,
        Status(record.request.status),
        f" Atasan PPID masih dapat menanggapi sampai {due_on.isoformat()}." if due_on else "",
        f" The superior may still answer until {due_on.isoformat()}." if due_on else "",
    )


def _can_fulfil(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    if not record.fulfilment_open():
        raise invalid_transition(
            Action.RECORD_FULFILMENT,
            Status(record.request.status),
            " Tidak ada pemberian informasi yang diperintahkan dan belum dicatat.",
            " Nothing was ordered given that is not yet recorded as given.",
        )


def _always(record: RequestRecord, calendar: WorkingCalendar, now: datetime) -> None:
    return None


Precondition = Callable[[RequestRecord, WorkingCalendar, datetime], None]
# something written with a step, in its transaction: a failure undoes the step too; it
# returns the documents it wrote, which the step's mails carry
AlsoWrite = Callable[[AsyncSession, Viewer, RequestRecord], Awaitable[Sequence[MailDocument]]]

# ------------------------------------------------------------------------------ step functions


async def extend(context: StepContext, form: Extension) -> StepOutcome:
    """Once, with a written reason, before the 10 days run out: +7 (Pasal 22(8))."""
    reason = required_text(form.reason, "reason")
    request = context.request
    (notice,) = running(context.record.clocks, ClockKind.NOTICE)
    notice.working_days += Clocks.EXTENSION.working_days
    notice.due_on = context.calendar.add_working_days(notice.started_on, notice.working_days)
    request.extended = True
    request.extension_reason = reason
    request.answer_due_on = notice.due_on
    return StepOutcome(note=reason, detail={"dueOn": notice.due_on.isoformat()})


async def answer(context: StepContext, form: Notice) -> StepOutcome:
    """The written notice (Pasal 22(7)) with what its decision requires (notice.py)."""
    notice = checked_notice(form, context.today)
    fee = notice.fee
    request = context.request
    late = is_past(request.answer_due_on, context.now)
    request.decision = notice.decision.value
    request.answer = notice.text
    request.exemptions_cited = list(notice.bases)
    request.consequence_test = notice.consequence_test
    request.exemption_expires_on = notice.exemption_expires_on
    request.decision_reference = notice.decision_reference
    request.held_by = notice.held_by
    request.expected_on = notice.expected_on
    request.fee_amount = fee.amount if fee else None
    request.fee_basis = fee.basis if fee else None
    request.fee_payment = fee.payment if fee else None
    request.answered_at = context.now
    request.answered_on = context.today
    request.answered_late = late
    outcome = StepOutcome(
        note=notice.text,
        detail={
            "decision": notice.decision.value,
            "exemptions": list(notice.bases),
            "late": late,
            "fee": fee.amount if fee else 0,
        },
    )
    # grounds arising on the notice (a, d, f, g) open the requester's 30 days (Pasal 35(2))
    window = outcome.start(context, ClockKind.OBJECTION_FILING, context.today)
    if notice.decision in DECISIONS_GIVING:
        # what the notice gives must then be given: missing its day opens ground e
        deliver_by = delivery_day(form.deliver_by, context.today, window.due_on)
        outcome.start(context, ClockKind.DELIVERY, context.today, fixed_due_on=deliver_by)
    else:
        not_given(form.deliver_by, "deliverBy", *NOTHING_TO_DELIVER)
    return outcome


NOTHING_TO_DELIVER = ("hanya bila informasi diberikan", "only when the information is given")


def delivery_day(given: date | None, today: date, objection_window_ends: date) -> date | None:
    """The delivery day the notice states ("unless the notice states another date"), kept as
    stated (a fixed clock: a calendar change does not move it). Our bounds: not before the
    notice, and not after the requester's objection window on the notice closes, so the
    information is due while its form, fee and date can still be objected to."""
    if given is None:
        return None
    return date_between(
        given,
        today,
        objection_window_ends,
        "deliverBy",
        "Tanggal penyerahan informasi (`deliverBy`)",
        "The delivery date (`deliverBy`)",
    )


async def withdraw(context: StepContext, form: Withdrawal) -> StepOutcome:
    """The requester may withdraw at any stage before the dispute; the record stays."""
    context.request.withdrawn_at = context.now
    return StepOutcome(note="Dicabut oleh pemohon / Withdrawn by the requester")


async def file_objection(context: StepContext, form: ObjectionForm) -> StepOutcome:
    """The keberatan (Pasal 35): each ground arisen, not raised before, its window open; it
    gets its own register number and the superior's 30 days (Pasal 36(1))."""
    record = context.record
    grounds = _objection_grounds(form.grounds)
    reason = required_text(form.reason, "reason")
    raised = record.raised_grounds()
    for ground in grounds:
        rule = OBJECTION_GROUNDS[ground]
        if ground.value in raised:
            raise BadUserInput(
                f"Alasan '{rule.label_id}' (huruf {rule.letter}) sudah diajukan dalam keberatan "
                "sebelumnya.",
                f"The ground '{rule.label_en}' ({rule.letter}) was raised in an earlier objection.",
                field="grounds",
            )
        try:
            window_end = record.objection_window_end(ground, context.calendar, context.today)
        except GroundNotArisen:
            raise BadUserInput(
                f"Alasan keberatan '{rule.label_id}' ({rule.article.pasal_text}) belum timbul.",
                f"The objection ground '{rule.label_en}' ({rule.article.pasal_text}) has not "
                "arisen.",
                field="grounds",
            ) from None
        if window_end is not None and is_past(window_end, context.now):
            raise DeadlinePassed(
                f"Batas {Clocks.OBJECTION_FILING.working_days} hari kerja untuk keberatan "
                f"berakhir {window_end.isoformat()}.",
                f"The {Clocks.OBJECTION_FILING.working_days} working days to object ended on "
                f"{window_end.isoformat()}.",
                field="grounds",
            )
    request = context.request
    year = context.today.year
    sequence = await next_sequence(context.session, request.agency_id, year, ObjectionCounter)
    agency = await context.session.get(Agency, request.agency_id)
    assert agency is not None  # foreign key
    objection = Objection(
        request_id=request.id,
        agency_id=request.agency_id,
        registration_year=year,
        sequence=sequence,
        registration_number=format_objection_number(agency, year, sequence),
        grounds=[ground.value for ground in grounds],
        reason=reason,
        filed_at=context.now,
        filed_on=context.today,
        due_on=context.today,  # set from its clock below
    )
    context.session.add(objection)
    await context.session.flush()
    record.objections.append(objection)
    outcome = StepOutcome(
        note=reason,
        detail={
            "grounds": objection.grounds,
            "objection": objection.registration_number,
        },
        objection_id=objection.id,
    )
    clock = outcome.start(
        context, ClockKind.OBJECTION_ANSWER, context.today, objection_id=objection.id
    )
    objection.due_on = clock.due_on
    return outcome


def _objection_grounds(given: Sequence[str]) -> list[ObjectionGround]:
    chosen: list[ObjectionGround] = []
    for value in given:
        ground = one_of(ObjectionGround, value, "grounds", "Alasan keberatan", "objection ground")
        if ground not in chosen:
            chosen.append(ground)
    if not chosen:
        raise BadUserInput(
            f"Sebutkan sedikitnya satu alasan keberatan ({Articles.OBJECTION_GROUNDS.pasal_text}).",
            f"Give at least one objection ground ({Articles.OBJECTION_GROUNDS.pasal_text}).",
            field="grounds",
        )
    return chosen


async def answer_objection(context: StepContext, form: ObjectionAnswer) -> StepOutcome:
    """The superior's written answer (Pasal 36): UPHELD orders the information given (the
    PPID's fulfilment clock starts); REJECTED gives reasons. Either opens the 14 days to go to
    the Commission (Pasal 37(2))."""
    objection = _pending_objection(context.record, form.objection_number)
    outcome_value = one_of(
        ObjectionOutcome, form.outcome, "outcome", "Hasil keberatan", "objection outcome"
    )
    text = required_text(form.answer, "answer")
    orders = outcome_value in OBJECTION_OUTCOMES_ORDERING_DISCLOSURE
    if not orders:
        not_given(form.fulfil_by, "fulfilBy", "hanya untuk UPHELD", "only for UPHELD")
    elif form.fulfil_by is not None and form.fulfil_by < context.today:
        raise BadUserInput(
            "`fulfilBy` tidak boleh sebelum hari ini.",
            "`fulfilBy` cannot be before today.",
            field="fulfilBy",
        )
    revise_fee(context.request, objection, outcome_value, form.revised_fee)
    objection.outcome = outcome_value.value
    objection.answer = text
    objection.answered_at = context.now
    objection.answered_on = context.today
    outcome = StepOutcome(
        note=text,
        detail={
            "outcome": outcome_value.value,
            "objection": objection.registration_number,
            "late": is_past(objection.due_on, context.now),
            **({} if form.revised_fee is None else {"revisedFee": form.revised_fee}),
        },
        objection_id=objection.id,
    )
    outcome.start(context, ClockKind.DISPUTE_FILING, context.today, objection_id=objection.id)
    if orders:
        outcome.start(
            context,
            ClockKind.FULFILMENT,
            context.today,
            objection_id=objection.id,
            fixed_due_on=form.fulfil_by,
        )
    return outcome


def _pending_objection(record: RequestRecord, number: str | None) -> Objection:
    pending = record.pending_objections()
    if number is None:
        return pending[0]  # the stage OBJECTION_FILED guarantees one
    for objection in pending:
        if objection.registration_number == number.strip():
            return objection
    raise BadUserInput(
        "Keberatan dengan nomor itu tidak ada atau sudah ditanggapi.",
        "No pending objection has that number.",
        field="objectionNumber",
    )


async def record_dispute(context: StepContext, form: DisputeFiling) -> StepOutcome:
    """The requester's dispute at the Komisi Informasi (Pasal 37), recorded by the PPID."""
    windows = _dispute_windows(context.record, context.calendar, context.now)
    filed_on = form.filed_on
    earliest = min(start for start, _ in windows)
    if filed_on > context.today or filed_on < earliest:
        raise BadUserInput(
            "Tanggal pengajuan sengketa harus setelah tanggapan atasan (atau batasnya) dan "
            "tidak di masa depan.",
            "The dispute's filing date must fall after the superior's answer (or its "
            "deadline) and not in the future.",
            field="filedOn",
        )
    if not any(start <= filed_on <= end for start, end in windows):
        last = max(end for _, end in windows)
        raise window_closed(Clocks.DISPUTE_FILING, last, "mengajukan sengketa", "file a dispute")
    dispute = Dispute(
        request_id=context.request.id,
        filed_on=filed_on,
        case_number=optional_text(form.case_number, "caseNumber", limit=120),
        recorded_at=context.now,
    )
    context.session.add(dispute)
    context.record.dispute = dispute
    outcome = StepOutcome(note=dispute.case_number, detail={"filedOn": filed_on.isoformat()})
    outcome.start(context, ClockKind.COMMISSION_SETTLEMENT, filed_on)
    return outcome


async def record_dispute_outcome(context: StepContext, form: DisputeDecision) -> StepOutcome:
    """The Commission's decision (Pasal 38-46): an order to give opens the PPID's fulfilment
    clock; an adjudication decision opens 14 working days to go to court (Pasal 47-48)."""
    decision = one_of(DisputeOutcome, form.outcome, "outcome", "Putusan sengketa", "outcome")
    summary = optional_text(form.summary, "summary", limit=10_000)
    dispute = context.record.dispute
    assert dispute is not None  # DISPUTE_FILED always has its dispute
    date_between(
        form.decided_on,
        dispute.filed_on,
        context.today,
        "decidedOn",
        "Tanggal putusan",
        "The decision date",
    )
    received_on = form.received_on or form.decided_on
    date_between(
        received_on,
        form.decided_on,
        context.today,
        "receivedOn",
        "Tanggal putusan diterima",
        "The day the decision was received",
    )
    dispute.outcome = decision.value
    dispute.summary = summary
    dispute.decided_on = form.decided_on
    dispute.received_on = received_on
    outcome = StepOutcome(
        note=summary,
        detail={
            "outcome": decision.value,
            "decidedOn": form.decided_on.isoformat(),
            "receivedOn": received_on.isoformat(),
        },
    )
    # an order to give is carried out once final: a mediation agreement at once; an
    # adjudication decision after either party's 14 days to go to court (Pasal 48(1))
    final_on = form.decided_on
    if decision in DISPUTE_OUTCOMES_OPEN_TO_COURT:
        final_on = outcome.start(context, ClockKind.COURT_FILING, received_on).due_on
    if decision in DISPUTE_OUTCOMES_ORDERING_DISCLOSURE:
        outcome.start(context, ClockKind.FULFILMENT, final_on)
    return outcome


async def record_fulfilment(context: StepContext, form: Fulfilment) -> StepOutcome:
    """The day the information was actually given, and in which form (register: delivered)."""
    given_form = one_of(DeliveryForm, form.form, "form", "Bentuk informasi", "delivery form")
    note = optional_text(form.note, "note", limit=10_000)
    request = context.request
    date_between(
        form.delivered_on,
        request.received_on,
        context.today,
        "deliveredOn",
        "Tanggal pemberian",
        "The delivery date",
    )
    request.delivered_on = form.delivered_on
    request.delivered_form = given_form.value
    return StepOutcome(
        note=note,
        detail={"deliveredOn": form.delivered_on.isoformat(), "form": given_form.value},
    )


# ------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class StepCode:
    precondition: Precondition
    run: Callable[[StepContext, Any], Awaitable[StepOutcome]]
    form: type[Any]


STEP_CODE: dict[Action, StepCode] = {
    Action.EXTEND: StepCode(_can_extend, extend, Extension),
    Action.ANSWER: StepCode(_can_answer, answer, Notice),
    Action.WITHDRAW: StepCode(_always, withdraw, Withdrawal),
    Action.FILE_OBJECTION: StepCode(_can_object, file_objection, ObjectionForm),
    Action.ANSWER_OBJECTION: StepCode(_always, answer_objection, ObjectionAnswer),
    Action.RECORD_DISPUTE: StepCode(_can_record_dispute, record_dispute, DisputeFiling),
    Action.RECORD_DISPUTE_OUTCOME: StepCode(_always, record_dispute_outcome, DisputeDecision),
    Action.RECORD_FULFILMENT: StepCode(_can_fulfil, record_fulfilment, Fulfilment),
    Action.RECORD_COURT_CASE: StepCode(can_record_court_case, record_court_case, CourtFiling),
    Action.RECORD_COURT_DECISION: StepCode(_always, record_court_decision, CourtDecision),
}


def _forbidden(step: Step) -> Forbidden:
    return Forbidden(
        f"Anda tidak berwenang untuk {step.label_id} pada permohonan ini.",
        f"You may not {step.label_en} on this request.",
    )


def may_act(viewer: Viewer, step: Step, record: RequestRecord) -> bool:
    request = record.request
    return any(
        acts_as(viewer, actor, request.agency_id, request.requester_user_id)
        for actor in step.actors
    )


async def run_step(
    services: HasCalendar,
    viewer: Viewer | None,
    request_id: int,
    action: Action,
    form: object,
    *,
    now: datetime | None = None,
    also: AlsoWrite | None = None,
) -> RequestRecord:
    """The one skeleton: who, stage, precondition, the step's own function, then clocks,
    stage and timeline (skeleton.finish_step), in one transaction; `also` writes what
    belongs to the step in that same transaction (e.g. the notice's attachments)."""
    acting = require_viewer(viewer)
    moment = checked_now(now)
    step = STEP_BY_ACTION[action]
    code = STEP_CODE[action]
    assert isinstance(form, code.form)
    async with services.database.write() as session:
        calendar = await refreshed_calendar(services, session)  # as every server now counts
        record = await load_record(session, request_id, lock=True)
        if not may_act(acting, step, record):
            raise _forbidden(step)
        check_transition(action, Status(record.request.status))
        code.precondition(record, calendar, moment)
        context = StepContext(session, record, acting, moment, calendar)
        outcome = await code.run(context, form)
        record = await finish_step(context, step, outcome)
        documents = await also(session, acting, record) if also is not None else ()
        # the step's mails go to the outbox in this same transaction (none if it sends none)
        acted_on = ActedOn(outcome.objection_id, tuple(documents))
        await step_mails(session, record.request, action, acted_on)
        for listener in tuple(_STEP_LISTENERS.values()):  # e.g. the request's followers
            await listener(session, record.request)
        return record


def allowed_actions(
    viewer: Viewer | None, record: RequestRecord, calendar: WorkingCalendar, now: datetime
) -> list[Action]:
    """The steps `viewer` may take on the request now: the same table and preconditions the
    steps check, so the page's buttons and the service agree (style.md)."""
    if viewer is None:
        return []
    status = Status(record.request.status)
    allowed: list[Action] = []
    for step in STEPS:
        if status not in step.from_states or not may_act(viewer, step, record):
            continue
        try:
            STEP_CODE[step.action].precondition(record, calendar, now)
        except DomainError:
            continue
        allowed.append(step.action)
    return allowed
