"""Reading requests: the register with its filters, and batch loads for DataLoaders.

Every batch function costs one query whatever the number of keys, so a page of N requests
with their timelines, objections and disputes costs a constant number of statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, exists, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from opendata.db.models import Agency
from opendata.information_requests.deadlines import OVERDUE_KINDS
from opendata.information_requests.models import (
    CourtCase,
    Dispute,
    InformationRequest,
    Objection,
    RequestClock,
    RequestEvent,
)
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.skeleton import load_record as load_locked_record
from opendata.parts import HasDatabase


@dataclass(frozen=True)
class RequestFilter:
    agency_slug: str | None = None
    statuses: tuple[str, ...] = ()
    overdue: bool | None = None
    year: int | None = None
    requester_user_id: int | None = None


def _filtered(request_filter: RequestFilter, today: date) -> Select[InformationRequest]:
    statement = select(InformationRequest)
    if request_filter.agency_slug is not None:
        statement = statement.join(Agency, Agency.id == InformationRequest.agency_id).where(
            Agency.slug == request_filter.agency_slug
        )
    if request_filter.statuses:
        statement = statement.where(InformationRequest.status.in_(request_filter.statuses))
    if request_filter.year is not None:
        statement = statement.where(InformationRequest.registration_year == request_filter.year)
    if request_filter.requester_user_id is not None:
        statement = statement.where(
            InformationRequest.requester_user_id == request_filter.requester_user_id
        )
    if request_filter.overdue is not None:
        # a running duty clock past its day: the PPID's notice or fulfilment, the Commission
        late = exists().where(
            RequestClock.request_id == InformationRequest.id,
            RequestClock.stopped_at.is_(None),
            RequestClock.kind.in_([kind.value for kind in OVERDUE_KINDS]),
            RequestClock.due_on < today,
        )
        statement = statement.where(late if request_filter.overdue else not_(late))
    return statement


async def list_requests(
    session: AsyncSession,
    request_filter: RequestFilter,
    today: date,
    offset: int,
    limit: int,
) -> tuple[list[InformationRequest], int]:
    """A page of the register, newest receipt first, and the total matching."""
    statement = _filtered(request_filter, today)
    total = (
        await session.execute(select(func.count()).select_from(statement.subquery()))
    ).scalar_one()
    page = (
        await session.execute(
            statement.order_by(InformationRequest.received_at.desc(), InformationRequest.id.desc())
            .offset(offset)
            .limit(limit)
        )
    ).scalars()
    return list(page), int(total)


async def request_by_number(
    session: AsyncSession, registration_number: str
) -> InformationRequest | None:
    return (
        await session.execute(
            select(InformationRequest).where(
                InformationRequest.registration_number == registration_number
            )
        )
    ).scalar_one_or_none()


async def requests_by_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[InformationRequest | None]:
    found = {
        request.id: request
        for request in (
            await session.execute(
                select(InformationRequest).where(InformationRequest.id.in_(list(ids)))
            )
        ).scalars()
    }
    return [found.get(key) for key in ids]


_Child = TypeVar("_Child", RequestEvent, Objection, RequestClock)


async def _grouped_by_request(
    session: AsyncSession,
    model: type[_Child],
    ids: Sequence[int],
    *order_by: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> list[list[_Child]]:
    """Each request's rows of `model` in `order_by` order, in one query for all `ids`."""
    grouped: dict[int, list[_Child]] = {key: [] for key in ids}
    rows = await session.execute(
        select(model).where(model.request_id.in_(list(ids))).order_by(*order_by)
    )
    for row in rows.scalars():
        grouped[row.request_id].append(row)
    return [grouped[key] for key in ids]


async def events_by_request_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[RequestEvent]]:
    return await _grouped_by_request(session, RequestEvent, ids, RequestEvent.at, RequestEvent.id)


async def objections_by_request_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Objection]]:
    """Each request's objections, oldest first."""
    return await _grouped_by_request(session, Objection, ids, Objection.filed_at, Objection.id)


async def clocks_by_request_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[RequestClock]]:
    return await _grouped_by_request(session, RequestClock, ids, RequestClock.id)


_Single = TypeVar("_Single", Dispute, CourtCase)


async def _one_per_request(
    session: AsyncSession, model: type[_Single], ids: Sequence[int]
) -> list[_Single | None]:
    """Each request's one row of `model` (or None), in one query for all `ids`."""
    rows = await session.execute(select(model).where(model.request_id.in_(list(ids))))
    found = {row.request_id: row for row in rows.scalars()}
    return [found.get(key) for key in ids]


async def disputes_by_request_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[Dispute | None]:
    return await _one_per_request(session, Dispute, ids)


async def court_cases_by_request_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[CourtCase | None]:
    return await _one_per_request(session, CourtCase, ids)


async def load_record(services: HasDatabase, request_id: int) -> RequestRecord | None:
    """A request with its objections, dispute, clocks and timeline (for pages, CLI, tests)."""
    async with services.database.session() as session:
        (request,) = await requests_by_ids(session, [request_id])
        if request is None:
            return None
        record = await load_locked_record(session, request_id)
        (record.events,) = await events_by_request_ids(session, [request_id])
    return record
