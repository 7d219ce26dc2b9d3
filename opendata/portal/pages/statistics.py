"""Statistik: the information service per agency and year, as `serviceReport` counts it.

Every figure comes from `dashboard.service_figures` (an adapter over the annual report's
`service_report`), so this page, its CSV, the dashboard and the GraphQL `serviceReport`
cannot disagree. One data function (`statistics_table`) feeds the HTML table and the CSV;
the table sorts on the server (header links), so it works without JavaScript. No figure
here carries a requester's personal data: the report counts requests, never people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from starlette.responses import Response

from opendata.dashboard.service_figures import AgencyService, agency_service, service_figures
from opendata.db.models import Agency
from opendata.errors import BadUserInput
from opendata.information_requests.report import report_years, service_report
from opendata.information_requests.report_formats import csv_text
from opendata.information_requests.report_year import check_year
from opendata.information_requests.rules import EXEMPTION_BASES
from opendata.inputs import is_number
from opendata.portal import api_queries
from opendata.portal.page import ApiLink, Page, page
from opendata.regency_time import regency_today
from opendata.visibility.rules import BASES


def _(message: str) -> str:
    """Marks a label for the message catalog; the page translates it when it renders."""
    return message


Figure = int | float | str | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # English msgid, translated on the page
    value: Callable[[AgencyService], Figure]
    kind: str = "count"  # count, days, rate or text


COLUMNS: tuple[Column, ...] = (
    Column("agency", _("Agency"), lambda a: a.agency_name, "text"),
    Column("received", _("Received"), lambda a: a.received),
    Column("answered", _("Answered"), lambda a: a.answered),
    Column("on_time", _("On time"), lambda a: a.on_time),
    Column("late", _("Answered late"), lambda a: a.late),
    Column("overdue", _("Past deadline, no notice yet"), lambda a: a.overdue_unanswered),
    Column("on_time_rate", _("On-time rate"), lambda a: a.on_time_rate, "rate"),
    Column(
        "median_working_days", _("Median working days"), lambda a: a.median_working_days, "days"
    ),
    Column(
        "p90_working_days", _("90th percentile working days"), lambda a: a.p90_working_days, "days"
    ),
    Column("granted", _("Granted in full"), lambda a: a.decisions["GRANTED"]),
    Column("partially_granted", _("Partially granted"), lambda a: a.decisions["PARTIALLY_GRANTED"]),
    Column("refused", _("Refused"), lambda a: a.decisions["REFUSED"]),
    Column("not_held", _("Not held"), lambda a: a.decisions["NOT_HELD"]),
    Column(
        "not_yet_documented",
        _("Not yet documented"),
        lambda a: a.decisions["NOT_YET_DOCUMENTED"],
    ),
    Column("objections", _("Objections"), lambda a: a.objections),
    Column("objections_upheld", _("Objections upheld"), lambda a: a.objections_upheld),
    Column("objections_rejected", _("Objections rejected"), lambda a: a.objections_rejected),
    Column(
        "objections_pending",
        _("Objections not yet answered"),
        lambda a: a.objections - a.objections_upheld - a.objections_rejected,
    ),
    Column("disputes", _("Disputes"), lambda a: a.disputes),
    Column("disputes_decided", _("Disputes decided"), lambda a: a.disputes_decided),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
DIRECTIONS = ("asc", "desc")


@dataclass
class StatisticsTable:
    year: int
    years: list[int]
    rows: list[AgencyService]
    total: AgencyService
    sort: str
    descending: bool

    @property
    def bases(self) -> list[str]:
        """The refusal bases cited by any agency in the year, in the order of Pasal 17."""
        cited = {basis for row in self.rows for basis, _count in row.refusals_by_basis}
        return [basis for basis in EXEMPTION_BASES if basis in cited]

    def aria_sort(self, key: str) -> str | None:
        if key != self.sort:
            return None
        return "descending" if self.descending else "ascending"


def _year(text: str | None, years: list[int]) -> int:
    if not text:
        return years[0] if years else regency_today().year
    # a non-number is out of range too: one message for both
    return check_year(int(text) if is_number(text) else 0)


def _sort(key: str | None, direction: str | None) -> tuple[str, bool]:
    key = key or "agency"
    direction = direction or "asc"
    if key not in COLUMN_BY_KEY or direction not in DIRECTIONS:
        raise BadUserInput(
            f"Urutan tidak dikenal; kolom: {', '.join(COLUMN_BY_KEY)}; arah: asc atau desc.",
            f"Unknown order; columns: {', '.join(COLUMN_BY_KEY)}; direction: asc or desc.",
            field="sort",
        )
    return key, direction == "desc"


def sorted_rows(rows: list[AgencyService], key: str, descending: bool) -> list[AgencyService]:
    """Rows by one column; agencies without the figure (no answer yet) last either way."""
    column = COLUMN_BY_KEY[key]
    present = [row for row in rows if column.value(row) is not None]
    missing = [row for row in rows if column.value(row) is None]
    present.sort(key=lambda row: (column.value(row), row.agency_name), reverse=descending)
    return present + sorted(missing, key=lambda row: row.agency_name)


async def statistics_table(current: Page) -> StatisticsTable:
    """The year, the sort and the figures the query string asks for."""
    params = current.request.query_params
    services = current.services
    years = await report_years(services)
    year = _year(params.get("year"), years)
    sort, descending = _sort(params.get("sort"), params.get("dir"))
    figures = await service_figures(services, year)
    regency = await service_report(services, year)
    total = agency_service("", current.gettext("Whole regency"), regency)
    return StatisticsTable(
        year=year,
        years=sorted(set(years) | {year}, reverse=True),
        rows=sorted_rows(figures.agencies, sort, descending),
        total=total,
        sort=sort,
        descending=descending,
    )


def _csv_row(row: AgencyService, bases: list[str]) -> list[Figure]:
    refusals = dict(row.refusals_by_basis)
    return [
        row.agency_slug,
        *(column.value(row) for column in COLUMNS),
        *(refusals.get(basis, 0) for basis in bases),
    ]


def statistics_csv(table: StatisticsTable) -> str:
    """The page's table as CSV: one line per agency, the regency total last (slug empty)."""
    bases = table.bases
    header = [
        "year",
        "agency_slug",
        *(column.key for column in COLUMNS),
        *(f"refusals_{basis}" for basis in bases),
    ]
    return csv_text(
        header, ([table.year, *_csv_row(row, bases)] for row in [*table.rows, table.total])
    )


async def acronyms(current: Page) -> dict[str, str]:
    """Each agency's short name (Dinkes), for the sentence that opens its card."""
    async with current.services.database.session() as session:
        found = await session.execute(select(Agency.slug, Agency.acronym))
    return {slug: acronym for slug, acronym in found if acronym}


@page
async def statistics(current: Page) -> Response:
    table = await statistics_table(current)
    return current.render(
        "statistics.html",
        table=table,
        acronyms=await acronyms(current),
        columns=COLUMNS,
        letters={basis: BASES[basis].letter for basis in table.bases},
        csv_url=current.url("statistics_csv", year=table.year),
        api=ApiLink(api_queries.STATISTICS, {"year": table.year}),
    )


@page
async def statistics_download(current: Page) -> Response:
    table = await statistics_table(current)
    return Response(
        statistics_csv(table),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="statistik-{table.year}.csv"',
            "X-Content-Type-Options": "nosniff",
        },
    )
