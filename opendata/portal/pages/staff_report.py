"""`/petugas/laporan`: the admin writes the annual report's narrative parts (Perki 1/2021
Pasal 56(2)(a), (b), (e), (f)) for a year, for an agency or the whole regency.

The figures are counted from the requests; this form only holds the text no table has. The
same domain call (`save_narrative`) as GraphQL's `setReportNarrative`; the printable report
(`/reports/<year>.html`) shows the result beside the figures.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.errors import DomainError
from opendata.information_requests.report_narrative import (
    NARRATIVE_FIELDS,
    NARRATIVE_PARTS,
    narrative_for,
    save_narrative,
)
from opendata.inputs import is_number
from opendata.portal.page import Page, form_texts, page, shown_beside_the_form
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.regency_time import regency_today
from opendata.resolvers import catalogue as catalogue_resolvers


def _year(text: str) -> int:
    """The year typed (a malformed one is refused by the domain as out of range)."""
    return int(text) if is_number(text) else (0 if text else regency_today().year)


async def _form(current: Page, year: int, agency: str, status: int = 200, **extra: Any) -> Response:
    _, agencies, _ = await catalogue_resolvers.agencies_page(current.scope, 100, None)
    texts = extra.pop("values", None)
    if texts is None:
        stored = await narrative_for(current.services, year, agency or None)
        texts = {field: stored.text_of(field) or "" for field in NARRATIVE_FIELDS}
    return current.render(
        "staff_report.html",
        status=status,
        year=year,
        agency=agency,
        agencies=agencies,
        parts=NARRATIVE_PARTS,
        texts=texts,
        report_url=current.url("report", year=year, format="html", agency=agency or None),
        **extra,
    )


@page
async def staff_report(current: Page) -> Response:
    """The narrative of the year (and agency) asked for, ready to edit."""
    staff_viewer(current, Role.ADMIN)
    params = current.request.query_params
    return await _form(
        current,
        _year(params.get("year") or ""),
        params.get("agency") or "",
        saved=params.get("saved"),
    )


@page
async def staff_report_post(current: Page) -> Response:
    viewer = staff_viewer(current, Role.ADMIN)
    form = await checked_form(current.request, current.visitor)
    values = form_texts(form, ("year", "agency", *NARRATIVE_FIELDS))
    year, agency = _year(values["year"]), values["agency"]
    texts = {field: values[field] for field in NARRATIVE_FIELDS}
    try:
        await save_narrative(current.services, viewer, year, agency or None, dict(texts))
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _form(current, year, agency, status=400, problem=error, values=texts)
    return current.redirect(current.url("staff_report", year=year, agency=agency or None, saved=1))
