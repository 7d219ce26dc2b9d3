"""The annual service report (laporan layanan informasi publik, kip-rules §5).

Computed from the timeline, not from the requests' current columns, so the figures say what
happened and when. The cohort is the requests received in the year (regency time); their
objections and disputes are counted with them whenever they were filed. Received requests
split exactly into answered (by decision), withdrawn before any answer, and pending.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from opendata.calendar import WorkingCalendar, regency_date
from opendata.db.models import Agency
from opendata.errors import not_found
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.models import InformationRequest, RequestEvent
from opendata.information_requests.rules import EXEMPTION_BASES, Clocks, Decision
from opendata.services import Services


@dataclass
class ServiceReport:
    year: int
    agency: Agency | None
    requests_received: int = 0
    granted: int = 0
    partially_granted: int = 0
    refused: int = 0
    not_held: int = 0
    not_yet_documented: int = 0
    withdrawn: int = 0
    pending: int = 0
    average_working_days_to_answer: float | None = None
    answered_late: int = 0
    refusals_by_basis: list[tuple[str, int]] = field(default_factory=list)
    objections: int = 0
    objections_upheld: int = 0
    objections_rejected: int = 0
    disputes: int = 0
    disputes_decided: int = 0


_DECISION_FIELDS = {
    Decision.GRANTED: "granted",
    Decision.PARTIALLY_GRANTED: "partially_granted",
    Decision.REFUSED: "refused",
    Decision.NOT_HELD: "not_held",
    Decision.NOT_YET_DOCUMENTED: "not_yet_documented",
}


async def service_report(
    services: Services, year: int, agency_slug: str | None = None
) -> ServiceReport:
    """Figures per agency (`agency_slug`) or for the whole regency (None)."""
    calendar = services.calendar
    async with services.database.session() as session:
        agency: Agency | None = None
        statement = select(RequestEvent).join(
            InformationRequest, InformationRequest.id == RequestEvent.request_id
        )
        if agency_slug is not None:
            agency = (
                await session.execute(select(Agency).where(Agency.slug == agency_slug))
            ).scalar_one_or_none()
            if agency is None:
                raise not_found("Badan publik", "Public body", agency_slug, field="agency")
            statement = statement.where(InformationRequest.agency_id == agency.id)
        statement = statement.where(InformationRequest.registration_year == year).order_by(
            RequestEvent.request_id, RequestEvent.at, RequestEvent.id
        )
        events = list((await session.execute(statement)).scalars())

    timelines: dict[int, list[RequestEvent]] = {}
    for event in events:
        timelines.setdefault(event.request_id, []).append(event)

    report = ServiceReport(year=year, agency=agency, requests_received=len(timelines))
    bases: Counter[str] = Counter()
    days_to_answer: list[int] = []
    for timeline in timelines.values():
        _count_request(report, timeline, calendar, bases, days_to_answer)
    if days_to_answer:
        report.average_working_days_to_answer = round(sum(days_to_answer) / len(days_to_answer), 2)
    report.refusals_by_basis = [(basis, bases[basis]) for basis in EXEMPTION_BASES if bases[basis]]
    return report


def _count_request(
    report: ServiceReport,
    timeline: list[RequestEvent],
    calendar: WorkingCalendar,
    bases: Counter[str],
    days_to_answer: list[int],
) -> None:
    by_action: dict[str, RequestEvent] = {}
    for event in timeline:
        by_action.setdefault(event.action, event)
    filed = by_action.get(Action.FILE.value)
    answered = by_action.get(Action.ANSWER.value)
    withdrawn = by_action.get(Action.WITHDRAW.value)
    if answered is not None and filed is not None:
        decision = Decision(answered.detail["decision"])
        setattr(report, _DECISION_FIELDS[decision], getattr(report, _DECISION_FIELDS[decision]) + 1)
        bases.update(answered.detail.get("exemptions", []))
        received_on = regency_date(filed.at)
        answered_on = regency_date(answered.at)
        days_to_answer.append(calendar.working_days_between(received_on, answered_on))
        due_on = calendar.add_working_days(received_on, Clocks.NOTICE.working_days)
        extension = by_action.get(Action.EXTEND.value)
        if extension is not None and extension.at <= answered.at:
            due_on = calendar.add_working_days(due_on, Clocks.EXTENSION.working_days)
        if answered_on > due_on:
            report.answered_late += 1
    elif withdrawn is not None:
        report.withdrawn += 1
    else:
        report.pending += 1
    if Action.FILE_OBJECTION.value in by_action:
        report.objections += 1
    objection_answer = by_action.get(Action.ANSWER_OBJECTION.value)
    if objection_answer is not None:
        if objection_answer.detail.get("outcome") == "UPHELD":
            report.objections_upheld += 1
        else:
            report.objections_rejected += 1
    if Action.RECORD_DISPUTE.value in by_action:
        report.disputes += 1
    if Action.RECORD_DISPUTE_OUTCOME.value in by_action:
        report.disputes_decided += 1
