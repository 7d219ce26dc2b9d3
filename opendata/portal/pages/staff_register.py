"""Walk-in, letter, e-mail and phone registration by an officer (`/petugas/permohonan/baru`).

Pasal 22(4): the officer records the requester's name and address with the Pasal 22 fields
and when the request actually arrived. The page calls the same filing function as GraphQL's
`fileInformationRequest` and then opens the new request's act page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.errors import BadUserInput, DomainError
from opendata.information_requests import service
from opendata.information_requests.backdating import earliest_receipt
from opendata.information_requests.rules import (
    RECEIVED_VIA_LABELS,
    DeliveryForm,
    ReceivedVia,
)
from opendata.portal.page import Page, form_texts, page, shown_beside_the_form
from opendata.portal.pages.requests import request_form_context
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.regency_time import REGENCY_TZ, regency_now
from opendata.resolvers import catalogue as catalogue_resolvers
from opendata.resolvers import requests as resolve_requests
from opendata.urls import numbered

# the form's text fields, in the order they appear
FIELDS = (
    "name",
    "address",
    "identity_number",
    "phone",
    "email",
    "received_via",
    "received_at",
    "information_requested",
    "purpose",
    "delivery_form",
)


def _received_at(text: str) -> datetime | None:
    """A `datetime-local` value, read in regency time; empty means now."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadUserInput(
            "Waktu diterima harus berbentuk tanggal dan jam.",
            "The time received must be a date and a time.",
            field="receivedAt",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=REGENCY_TZ)


async def _form(
    current: Page, values: dict[str, str], status: int = 200, problem: Any = None
) -> Response:
    viewer = staff_viewer(current, Role.OFFICER)
    agency = (
        await catalogue_resolvers.agency_by_id(current.scope, viewer.agency_id)
        if viewer.agency_id is not None
        else None
    )
    now = regency_now()
    # how far back the time received may go (backdating.py), for the field's `min` and hint
    earliest = earliest_receipt(now.date(), resolve_requests.calendar_of(current.scope))
    return current.render(
        "staff_register.html",
        status=status,
        agency=agency,
        values=values,
        received_via=RECEIVED_VIA_LABELS,
        now_local=now.strftime("%Y-%m-%dT%H:%M"),
        earliest=earliest,
        earliest_local=f"{earliest.isoformat()}T00:00",
        problem=problem,
        **request_form_context(),
    )


@page
async def staff_register(current: Page) -> Response:
    """The empty form: received now, in person, a soft copy wanted."""
    values = dict.fromkeys(FIELDS, "")
    values.update(
        received_via=ReceivedVia.WALK_IN.value, delivery_form=DeliveryForm.SOFT_COPY.value
    )
    return await _form(current, values)


@page
async def staff_register_post(current: Page) -> Response:
    viewer = staff_viewer(current, Role.OFFICER)
    form = await checked_form(current.request, current.visitor)
    values = form_texts(form, FIELDS)
    agency = (
        await catalogue_resolvers.agency_by_id(current.scope, viewer.agency_id)
        if viewer.agency_id is not None
        else None
    )
    try:
        record = await service.file_request(
            current.services,
            viewer,
            service.FilingForm(
                agency_slug=agency.slug if agency else "",
                information_requested=values["information_requested"],
                purpose=values["purpose"],
                delivery_form=values["delivery_form"],
                requester=service.RequesterDetails(
                    name=values["name"] or None,
                    identity_number=values["identity_number"] or None,
                    address=values["address"] or None,
                    phone=values["phone"] or None,
                    email=values["email"] or None,
                ),
                received_at=_received_at(values["received_at"]),
                received_via=values["received_via"] or None,
            ),
        )
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _form(current, values, status=400, problem=error)
    # the act page of the new request
    act_page = current.url("staff_act", **numbered(record.request.registration_number))
    return current.redirect(act_page)
