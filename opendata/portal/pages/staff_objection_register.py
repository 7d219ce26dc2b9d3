"""`/petugas/keberatan/register`: the objection register (buku register keberatan) of a year.

For the PPID and the atasan PPID of an agency (their own agency) and for admins (any agency,
or all). Every objection of the year with its number, request, grounds, the superior's answer
and outcome, the dates and whether an upheld answer was carried out; the domain
(`objection_register`) decides who reads it and whose names it shows (never to admins).
"""

from __future__ import annotations

from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.db.models import Agency
from opendata.information_requests.objection_register import (
    OBJECTION_STAFF,
    OBJECTION_STATE_LABELS,
    ObjectionState,
    objection_register,
)
from opendata.information_requests.rules import OBJECTION_OUTCOME_LABELS, ObjectionOutcome
from opendata.inputs import is_number
from opendata.portal.page import ApiLink, Page, page
from opendata.portal.pages.staff_objections import GROUND_LABELS
from opendata.portal.staff import staff_viewer
from opendata.regency_time import regency_today
from opendata.resolvers import catalogue as catalogue_resolvers
from opendata.resolvers.requests import now

# the page's data for programs (with a staff bearer token)
REGISTER_QUERY = """query ObjectionRegister($year: Int!, $agency: String) {
  objectionRegister(year: $year, agency: $agency) {
    year agency { slug name }
    entries {
      registrationNumber requestNumber agency { slug name } state grounds reason
      filedOn dueOn outcome answer answeredOn answeredLate implementedOn requesterName
    }
  }
}"""


@page
async def staff_objection_register(current: Page) -> Response:
    """Every objection of the year: pending, answered, lapsed."""
    viewer = staff_viewer(current, *OBJECTION_STAFF)
    params = current.request.query_params
    given = params.get("year") or ""
    # a malformed year is the domain's refusal too (out of range), in both languages
    year = int(given) if is_number(given) else (0 if given else regency_today().year)
    agency = (params.get("agency") or None) if viewer.role is Role.ADMIN else None
    register = await objection_register(current.services, viewer, year, agency, now=now())
    agencies: list[Agency] = []
    if viewer.role is Role.ADMIN:
        _, agencies, _ = await catalogue_resolvers.agencies_page(current.scope, 100, None)
    return current.render(
        "staff_objection_register.html",
        register=register,
        agencies=agencies,
        chosen_agency=agency or "",
        counts=[(state, register.count(state)) for state in ObjectionState],
        states=OBJECTION_STATE_LABELS,
        grounds=GROUND_LABELS,
        outcomes={o.value: OBJECTION_OUTCOME_LABELS[o] for o in ObjectionOutcome},
        api=ApiLink(REGISTER_QUERY, {"year": register.year, "agency": agency}),
    )
