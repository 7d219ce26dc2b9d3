"""Request resolvers: parse arguments, call the information-requests domain, batch reads.

They return domain models and records; the schema types wrap them. Each batch function costs
one query whatever the number of parents.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from opendata.calendar import MAX_WORKING_DAYS, WorkingCalendar, regency_date
from opendata.db.base import utcnow
from opendata.errors import BadUserInput
from opendata.information_requests import queries
from opendata.information_requests import service as domain
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.models import (
    CourtCase,
    Dispute,
    InformationRequest,
    Objection,
    RequestClock,
    RequestEvent,
)
from opendata.information_requests.queries import RequestFilter
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.report import ServiceReport, service_report
from opendata.information_requests.steps import allowed_actions
from opendata.public_ids import from_global_id
from opendata.request_scope import RequestScope
from opendata.resolvers.batching import in_session
from opendata.resolvers.catalogue import OffsetWindow

REQUEST_TYPE = "InformationRequest"


def calendar_of(scope: RequestScope) -> WorkingCalendar:
    return scope.calendar


def request_pk(global_id: str, field: str) -> int:
    return from_global_id(global_id, REQUEST_TYPE, field=field)[1]


# ------------------------------------------------------------------------------ batches


_requests = in_session(queries.requests_by_ids)
_events = in_session(queries.events_by_request_ids)
_objections = in_session(queries.objections_by_request_ids)
_clocks = in_session(queries.clocks_by_request_ids)
_disputes = in_session(queries.disputes_by_request_ids)
_court_cases = in_session(queries.court_cases_by_request_ids)


async def request_by_id(scope: RequestScope, request_id: int) -> InformationRequest | None:
    return await scope.loader("information_request", _requests).load(request_id)


async def timeline_of(scope: RequestScope, request_id: int) -> list[RequestEvent]:
    return await scope.loader("request_events", _events).load(request_id)


async def objections_of(scope: RequestScope, request_id: int) -> list[Objection]:
    return await scope.loader("request_objections", _objections).load(request_id)


async def objection_of(scope: RequestScope, request_id: int) -> Objection | None:
    """The latest objection (the contract's `objection`)."""
    objections = await objections_of(scope, request_id)
    return objections[-1] if objections else None


async def clocks_of(scope: RequestScope, request_id: int) -> list[RequestClock]:
    return await scope.loader("request_clocks", _clocks).load(request_id)


async def dispute_of(scope: RequestScope, request_id: int) -> Dispute | None:
    return await scope.loader("request_dispute", _disputes).load(request_id)


async def court_case_of(scope: RequestScope, request_id: int) -> CourtCase | None:
    return await scope.loader("request_court_case", _court_cases).load(request_id)


def prime(scope: RequestScope, record: RequestRecord) -> InformationRequest:
    """After a mutation, the loaders answer from what the step just wrote."""
    scope.forget_loaders()
    key = record.request.id
    scope.loader("information_request", _requests).prime(key, record.request)
    scope.loader("request_events", _events).prime(key, record.events)
    scope.loader("request_objections", _objections).prime(key, record.objections)
    scope.loader("request_dispute", _disputes).prime(key, record.dispute)
    scope.loader("request_clocks", _clocks).prime(key, record.clocks)
    scope.loader("request_court_case", _court_cases).prime(key, record.court_case)
    return record.request


async def record_of(scope: RequestScope, request: InformationRequest) -> RequestRecord:
    """The request with its objections, dispute and clocks, through the batch loaders."""
    return RequestRecord(
        request,
        await objections_of(scope, request.id),
        await dispute_of(scope, request.id),
        await clocks_of(scope, request.id),
        court_case=await court_case_of(scope, request.id),
    )


async def allowed_actions_on(scope: RequestScope, request: InformationRequest) -> list[Action]:
    viewer = scope.viewer
    if viewer is None:
        return []
    record = await record_of(scope, request)
    return allowed_actions(viewer, record, calendar_of(scope), now())


# ------------------------------------------------------------------------------ reads


async def register_page(
    scope: RequestScope, request_filter: RequestFilter, first: int, after: str | None, kind: str
) -> tuple[OffsetWindow, list[InformationRequest], int]:
    window = OffsetWindow.parse(kind, first, after, scope.settings.limits.page_max)
    async with scope.database.session() as session:
        page, total = await queries.list_requests(
            session, request_filter, regency_date(utcnow()), window.offset, window.limit
        )
    for request in page:
        scope.loader("information_request", _requests).prime(request.id, request)
    return window, page, total


async def request_by_number(
    scope: RequestScope, registration_number: str
) -> InformationRequest | None:
    async with scope.database.session() as session:
        return await queries.request_by_number(session, registration_number.strip())


async def report(scope: RequestScope, year: int, agency_slug: str | None) -> ServiceReport:
    return await service_report(scope, year, agency_slug)


def add_working_days(scope: RequestScope, start: date, days: int) -> date:
    if abs(days) > MAX_WORKING_DAYS:
        raise BadUserInput(
            f"`days` harus antara -{MAX_WORKING_DAYS} dan {MAX_WORKING_DAYS}.",
            f"`days` must be between -{MAX_WORKING_DAYS} and {MAX_WORKING_DAYS}.",
            field="days",
        )
    return calendar_of(scope).add_working_days(start, days)


def is_working_day(scope: RequestScope, day: date) -> bool:
    return calendar_of(scope).is_working_day(day)


# ------------------------------------------------------------------------------ steps


async def file(scope: RequestScope, form: domain.FilingForm) -> InformationRequest:
    record = await domain.file_request(scope, scope.viewer, form)
    return prime(scope, record)


StepAction = Callable[..., Awaitable[RequestRecord]]


async def step(
    scope: RequestScope, action: StepAction, global_id: str, id_field: str, **arguments: Any
) -> InformationRequest:
    """One lifecycle step on an existing request: resolve its ID (the argument named
    `id_field` in errors), run the domain step as the viewer, prime this request's loaders."""
    record = await action(scope, scope.viewer, request_pk(global_id, id_field), **arguments)
    return prime(scope, record)


def now() -> datetime:
    return utcnow()
