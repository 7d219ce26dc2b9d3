"""Tenggat: working days on the official calendar, as `addWorkingDays` computes them."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.responses import Response

from opendata.errors import BadUserInput
from opendata.information_requests.due import DUTY_LABELS, PARTY_LABELS
from opendata.information_requests.rules import CLOCK_RULES, Clocks
from opendata.inputs import MAX_INT32, parse_int
from opendata.portal import api_queries
from opendata.portal.page import ApiLink, Page, form_date, page
from opendata.regency_time import regency_today
from opendata.resolvers import requests as resolve

# The clocks a person is shown, here and on each request's page: the extension, then every
# clock of the statute table (a new clock appears here by being added to `CLOCK_RULES`).
STATUTORY_CLOCKS = tuple(
    dict.fromkeys([Clocks.NOTICE, Clocks.EXTENSION, *(r.clock for r in CLOCK_RULES.values())])
)
# Who must or may act on each clock, and whether it is a duty or a right.
CLOCK_PARTIES = {
    rule.clock: (PARTY_LABELS[rule.party], DUTY_LABELS[rule.is_duty])
    for rule in CLOCK_RULES.values()
}


def _start(text: str | None) -> date:
    return form_date(text, "start") or regency_today()


def _days(text: str | None) -> int:
    if not text:
        return Clocks.NOTICE.working_days
    try:
        return parse_int(text.strip(), "days", minimum=-MAX_INT32)
    except BadUserInput:
        raise BadUserInput(
            "Jumlah hari kerja harus angka.",
            "The number of working days must be a number.",
            field="days",
        ) from None


@page
async def deadline(current: Page) -> Response:
    params = current.request.query_params
    start = _start(params.get("start"))
    days = _days(params.get("days"))
    due = resolve.add_working_days(current.scope, start, days)
    calendar = resolve.calendar_of(current.scope)
    # the weekday holidays the count stepped over, so a person can check it
    first, last = min(start, due), max(start, due)
    holidays = [
        (day, names)
        for day in (first + timedelta(days=n) for n in range(1, (last - first).days + 1))
        if day.weekday() < 5 and (names := calendar.holiday_names(day))
    ]
    # a year with no SKB entered: its dates are estimates, never shown as final
    provisional = [
        year for year in range(first.year, last.year + 1) if calendar.is_provisional(year)
    ]
    return current.render(
        "deadline.html",
        start=start,
        days=days,
        due=due,
        holidays=holidays,
        provisional=provisional,
        clocks=STATUTORY_CLOCKS,
        clock_parties=CLOCK_PARTIES,
        api=ApiLink(api_queries.DEADLINE, {"start": start.isoformat(), "days": days}),
    )
