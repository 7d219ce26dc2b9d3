"""The request half's queries: the register, one request, the report, the calendar."""

from __future__ import annotations

from datetime import date

import strawberry

from opendata.information_requests.queries import RequestFilter
from opendata.resolvers import requests as resolve
from opendata.schema.info import Info
from opendata.schema.paging import page_size
from opendata.schema.requests.due import WorkingCalendarYear, checked_year
from opendata.schema.requests.inputs import RequestFilterInput
from opendata.schema.requests.report import ServiceReportType
from opendata.schema.requests.types import (
    InformationRequestConnection,
    InformationRequestType,
    request_connection,
)


@strawberry.type
class RequestsQuery:
    @strawberry.field(
        description="The public register of requests (buku register). Personal data of "
        "requesters is never shown here."
    )
    async def information_requests(
        self,
        info: Info,
        filter: RequestFilterInput | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> InformationRequestConnection:
        request_filter = filter.to_domain() if filter else RequestFilter()
        return await request_connection(
            info, request_filter, page_size(info, first), after, "requests"
        )

    @strawberry.field
    async def information_request(
        self, info: Info, registration_number: str
    ) -> InformationRequestType | None:
        model = await resolve.request_by_number(info.context, registration_number)
        return InformationRequestType.build(info, model) if model else None

    @strawberry.field(
        description="The annual public-information service report (laporan layanan "
        "informasi publik)."
    )
    async def service_report(
        self, info: Info, year: int, agency: str | None = None
    ) -> ServiceReportType:
        return ServiceReportType.from_domain(await resolve.report(info.context, year, agency))

    @strawberry.field(
        description="Working-day arithmetic on the official calendar (weekends, national "
        "holidays, cuti bersama): day 1 is the first working day after `start`."
    )
    def add_working_days(self, info: Info, start: date, days: int) -> date:
        return resolve.add_working_days(info.context, start, days)

    @strawberry.field
    def is_working_day(self, info: Info, date: date) -> bool:
        return resolve.is_working_day(info.context, date)

    @strawberry.field(
        description="One year of the official calendar: its weekday holidays in both languages "
        "and whether it is provisional (no joint decree, SKB, entered yet)."
    )
    def working_calendar_year(self, info: Info, year: int) -> WorkingCalendarYear:
        return WorkingCalendarYear.of(resolve.calendar_of(info.context), checked_year(year))
