"""A request with everything its stage depends on, and the facts the rules read from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from opendata.calendar import WorkingCalendar, is_past, regency_date
from opendata.information_requests.deadlines import running
from opendata.information_requests.lifecycle import StageFacts, Status, stage_of
from opendata.information_requests.models import (
    CourtCase,
    Dispute,
    InformationRequest,
    Objection,
    RequestClock,
    RequestEvent,
)
from opendata.information_requests.rules import (
    DECISIONS_GIVING,
    OBJECTION_GROUNDS,
    ClockKind,
    Clocks,
    Decision,
    GroundNotArisen,
    NoticeFacts,
    ObjectionGround,
    ground_arose_on,
)


@dataclass
class RequestRecord:
    """A request with its objections (oldest first), dispute, clocks and timeline."""

    request: InformationRequest
    objections: list[Objection] = field(default_factory=list)
    dispute: Dispute | None = None
    clocks: list[RequestClock] = field(default_factory=list)
    events: list[RequestEvent] = field(default_factory=list)
    court_case: CourtCase | None = None

    @property
    def objection(self) -> Objection | None:
        """The latest objection (the contract's `objection`)."""
        return self.objections[-1] if self.objections else None

    def pending_objections(self) -> list[Objection]:
        return [objection for objection in self.objections if objection.answered_at is None]

    def clock(self, kind: ClockKind, objection_id: int | None = None) -> RequestClock | None:
        """The latest clock of `kind` (for one objection, where given), running or not."""
        found = [
            clock
            for clock in self.clocks
            if clock.kind == kind.value
            and (objection_id is None or clock.objection_id == objection_id)
        ]
        return found[-1] if found else None

    def stage(self) -> Status:
        answered = [o.answered_at for o in self.objections if o.answered_at is not None]
        request = self.request
        return stage_of(
            StageFacts(
                withdrawn=request.withdrawn_at is not None,
                dispute_filed=self.dispute is not None,
                dispute_decided=self.dispute is not None and self.dispute.decided_on is not None,
                objection_pending=bool(self.pending_objections()),
                last_objection_answered_at=max(answered) if answered else None,
                answered_at=request.answered_at,
                extended=request.extended,
                court_filed=self.court_case is not None,
                court_decided=self.court_case is not None
                and self.court_case.decided_on is not None,
            )
        )

    def notice_facts(self) -> NoticeFacts:
        request = self.request
        delivery = self.clock(ClockKind.DELIVERY)
        return NoticeFacts(
            notice_due_on=request.answer_due_on,
            answered_on=request.answered_on,
            answered_late=request.answered_late,
            decision=Decision(request.decision) if request.decision else None,
            fee_charged=bool(request.fee_amount),
            delivery_due_on=delivery.due_on if delivery else None,
            delivered_on=request.delivered_on,
        )

    def raised_grounds(self) -> set[str]:
        return {ground for objection in self.objections for ground in objection.grounds}

    def objection_window_end(
        self, ground: ObjectionGround, calendar: WorkingCalendar, today: date
    ) -> date | None:
        """The last day to object on `ground` (None: any time). Raises GroundNotArisen.

        A window already shown to the requester (the clock started with the notice) is never
        shortened by a later calendar change (kip-rules §1, alaveteli#7292).
        """
        arose_on = ground_arose_on(ground, self.notice_facts(), today)
        if arose_on is None:
            return None
        counted = calendar.add_working_days(arose_on, Clocks.OBJECTION_FILING.working_days)
        shown = self.clock(ClockKind.OBJECTION_FILING)
        if shown is not None and shown.started_on == arose_on:
            return max(counted, shown.due_on)
        return counted

    def open_grounds(self, calendar: WorkingCalendar, now: datetime) -> list[ObjectionGround]:
        """The grounds the requester may object on now: arisen, not yet raised, window open."""
        today = regency_date(now)
        raised = self.raised_grounds()
        grounds: list[ObjectionGround] = []
        for ground in OBJECTION_GROUNDS:
            if ground.value in raised:
                continue
            try:
                window_end = self.objection_window_end(ground, calendar, today)
            except GroundNotArisen:
                continue
            if window_end is None or not is_past(window_end, now):
                grounds.append(ground)
        return grounds

    def fulfilment_open(self) -> bool:
        """Something was ordered given and is not yet recorded as given: a giving notice not
        yet delivered, or a running fulfilment clock (upheld objection, Commission order)."""
        if running(self.clocks, ClockKind.FULFILMENT) or running(self.clocks, ClockKind.DELIVERY):
            return True
        decision = Decision(self.request.decision) if self.request.decision else None
        return decision in DECISIONS_GIVING and self.request.delivered_on is None
