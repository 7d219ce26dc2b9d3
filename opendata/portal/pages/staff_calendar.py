"""The working calendar for admins (`/petugas/kalender`): what `opendata calendar` does.

The regional holidays and late decrees, the national holidays given back as working days,
and the years whose SKB is entered; a form for each change. A change is stored in the
database and moves the running deadlines in one transaction
(`information_requests.recalculation.change_calendar`), and every server counts on it from
its next request (`calendar_store.refresh_calendar`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.errors import BadUserInput
from opendata.information_requests.recalculation import CalendarChange, change_calendar
from opendata.inputs import text_problem
from opendata.portal.page import Page, page
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form

MAX_NAME = 200
MAX_REFERENCE = 300


@page
async def staff_calendar(current: Page) -> Response:
    """The overrides, the decreed years, and the forms that change them."""
    staff_viewer(current, Role.ADMIN)
    calendar = current.services.calendar  # refreshed by `page` before the handler runs
    params = current.request.query_params
    return current.render(
        "staff_calendar.html",
        holidays=sorted(calendar.added_days.items()),
        working_days=sorted(calendar.removed_days),
        decreed=sorted(calendar.decreed.items()),
        version=calendar.version,
        moved=params.get("moved"),
    )


def _day(form: FormData) -> date:
    try:
        return date.fromisoformat(str(form.get("day") or ""))
    except ValueError:
        raise BadUserInput(
            "Tanggal harus berbentuk TTTT-BB-HH.", "The date must be YYYY-MM-DD.", field="day"
        ) from None


def _text(form: FormData, name: str, longest: int) -> str:
    value = str(form.get(name) or "").strip()
    problem = text_problem(value, multiline=False)
    if problem is not None:
        raise problem
    if not value or len(value) > longest:
        raise BadUserInput(
            f"Isian '{name}' wajib diisi, paling banyak {longest} karakter.",
            f"The field '{name}' is required, at most {longest} characters.",
            field=name,
        )
    return value


def _change(form: FormData) -> CalendarChange:
    action = form.get("action")
    if action == "holiday":
        return CalendarChange(holidays={_day(form): _text(form, "name", MAX_NAME)})
    if action == "working":
        return CalendarChange(working_days=frozenset({_day(form)}))
    if action == "drop":
        return CalendarChange(dropped=frozenset({_day(form)}))
    if action == "decree":
        year = str(form.get("year") or "")
        if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
            raise BadUserInput(
                "Tahun harus antara 2000 dan 2100.", "The year must be 2000 to 2100.", field="year"
            )
        return CalendarChange(decreed={int(year): _text(form, "reference", MAX_REFERENCE)})
    raise BadUserInput("Tindakan tidak dikenal.", "Unknown action.", field="action")


@page
async def staff_calendar_post(current: Page) -> Response:
    """One change, stored and applied to the running deadlines at once."""
    staff_viewer(current, Role.ADMIN)
    form = await checked_form(current.request, current.visitor)
    moved = await change_calendar(current.services, _change(form))
    return current.redirect(current.url("staff_calendar") + "?" + urlencode({"moved": len(moved)}))
