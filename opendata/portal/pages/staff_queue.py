"""`/petugas`: the PPID officer's queue, soonest due first (the domain's `officer_queue`).

An officer sees their own agency's queue, an admin every agency's; a superior sees their
agency's queue too and the way to the objections that wait for them.
"""

from __future__ import annotations

from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.information_requests.deadlines import FIRST_REMINDER
from opendata.information_requests.lifecycle import Status
from opendata.information_requests.queue import QUEUE_LIMIT, queue_agency
from opendata.portal.page import ApiLink, Page, page
from opendata.portal.pages.requests import LABELS, agency_names
from opendata.portal.staff import staff_viewer
from opendata.resolvers.queue import queue_of_viewer
from opendata.urls import numbered, path

# the page's data for programs (with a staff bearer token)
QUEUE_QUERY = """query OfficerQueue {
  officerQueue {
    waiting overdue dueSoon
    counts { status count }
    items {
      duty dueOn workingDaysLeft overdue dueSoon
      request { registrationNumber informationRequested status agency { slug name } }
    }
    toRecord { registrationNumber decision answeredAt }
  }
}"""


def staff_path(registration_number: str) -> str:
    """The act page of a request."""
    return path("staff_act", **numbered(registration_number))


def has_route(current: Page, name: str) -> bool:
    """Whether the app has a page (another staff page may not be installed)."""
    return any(getattr(route, "name", None) == name for route in current.request.app.routes)


@page
async def queue(current: Page) -> Response:
    """What the agency owes, soonest first, with overdue and due-soon marked."""
    viewer = staff_viewer(current)
    agency_id = queue_agency(viewer)
    services = current.services
    waiting = await queue_of_viewer(current.scope)
    shown_agencies = {item.request.agency_id for item in waiting.items}
    agencies = await agency_names(current, shown_agencies | ({agency_id} if agency_id else set()))
    return current.render(
        "staff_queue.html",
        queue=waiting,
        agency=agencies.get(agency_id) if agency_id else None,
        agency_by_id=agencies,
        statuses=[status for status in Status if waiting.counts.get(status)],
        labels=LABELS,
        staff_path=staff_path,
        soon_days=FIRST_REMINDER,
        queue_limit=QUEUE_LIMIT,
        objections_url=(
            current.url("staff_objections")
            if viewer.role is Role.SUPERIOR and has_route(current, "staff_objections")
            else None
        ),
        mail_configured=bool(services.settings.mail.smtp_url),
        api=ApiLink(QUEUE_QUERY),
    )
