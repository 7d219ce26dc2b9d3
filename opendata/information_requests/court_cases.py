"""Court cases (Pasal 47-50) as the annual report counts them: read from the timeline.

HOOK for the court step. The steps that record a court case (filed, decided, outcome) are
built beside this module; so that the report does not wait for their names, it reads the
timeline generically: every request event whose action names a court (`COURT` in it) is a
court step; one whose detail carries an `outcome` is the decision (its `decidedOn`, else the
day of the event), any other is the filing (its `filedOn`, else the day of the event). The
same shape `RECORD_DISPUTE` and `RECORD_DISPUTE_OUTCOME` write for the Commission. If the
court steps record otherwise, only `court_cases` changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.calendar import regency_date
from opendata.information_requests.models import InformationRequest, RequestEvent

COURT_ACTION_MARK = "COURT"


@dataclass
class CourtCase:
    request_id: int
    filed_on: date
    outcome: str | None = None
    decided_on: date | None = None


def _day(event: RequestEvent, key: str) -> date:
    given = (event.detail or {}).get(key)
    return date.fromisoformat(given) if isinstance(given, str) else regency_date(event.at)


async def court_cases(session: AsyncSession, agency_id: int | None) -> list[CourtCase]:
    """Every court case of the agency's requests (every agency's for None), oldest first."""
    statement = (
        select(RequestEvent)
        .join(InformationRequest, InformationRequest.id == RequestEvent.request_id)
        .where(RequestEvent.action.contains(COURT_ACTION_MARK))
        .order_by(RequestEvent.at, RequestEvent.id)
    )
    if agency_id is not None:
        statement = statement.where(InformationRequest.agency_id == agency_id)
    cases: list[CourtCase] = []
    latest: dict[int, CourtCase] = {}
    for event in (await session.execute(statement)).scalars():
        outcome = (event.detail or {}).get("outcome")
        case = latest.get(event.request_id)
        if outcome is None or case is None:
            case = CourtCase(event.request_id, _day(event, "filedOn"))
            cases.append(case)
            latest[event.request_id] = case
        if outcome is not None:
            case.outcome = str(outcome)
            case.decided_on = _day(event, "decidedOn")
    return cases
