"""The request pages: the public register, one request, filing a request, my requests.

The register and a request's page show what the law makes public and never the requester's
personal data (`privacy.can_see_requester` decides, as for the API).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from opendata.catalogue.topics import CATEGORY_LABELS
from opendata.errors import BadUserInput, DomainError
from opendata.follows.models import FollowTarget
from opendata.follows.service import is_following
from opendata.information_requests import service
from opendata.information_requests.deadlines import current_deadline
from opendata.information_requests.due import open_windows
from opendata.information_requests.lifecycle import STATUS_LABELS, STEP_BY_ACTION, Action, Status
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.queries import RequestFilter
from opendata.information_requests.recalculation import moved_of
from opendata.information_requests.rules import (
    DECISION_LABELS,
    DELIVERY_FORM_LABELS,
    OBJECTION_GROUNDS,
    Clocks,
    Decision,
    DeliveryForm,
)
from opendata.information_requests.timeline import event_words, recorded_later
from opendata.inputs import is_number
from opendata.portal import api_queries
from opendata.portal.next_steps import requester_next_steps
from opendata.portal.page import ApiLink, Page, form_texts, page, shown_beside_the_form
from opendata.portal.pages.catalogue import after_cursor, page_number
from opendata.portal.pages.deadline import STATUTORY_CLOCKS
from opendata.portal.visitor import checked_form
from opendata.resolvers import accounts as account_resolvers
from opendata.resolvers import attachments as attachment_resolvers
from opendata.resolvers import catalogue as catalogue_resolvers
from opendata.resolvers import requests as resolve
from opendata.urls import numbered

REQUESTS_PER_PAGE = 20
LABELS: dict[str, Any] = {
    "status": {status.value: label for status, label in STATUS_LABELS.items()},
    "decision": {decision.value: label for decision, label in DECISION_LABELS.items()},
    "delivery": {form.value: label for form, label in DELIVERY_FORM_LABELS.items()},
    # a timeline entry's words (the act, not the stage) and, if backdated, when it was written
    "event": event_words,
    "recorded_later": recorded_later,
    # a calendar change's entry lists the deadlines it moved
    "moved": moved_of,
}


def request_form_context() -> dict[str, Any]:
    """What the request form reads (the `request_fields` macro, the notice clock), whether
    the requester files it or an officer registers it."""
    return {
        "delivery_forms": list(DeliveryForm),
        "labels": LABELS,
        "notice_clock": Clocks.NOTICE,
        "file_step": STEP_BY_ACTION[Action.FILE],
    }


def register_filter(params: Any) -> RequestFilter:
    year_text = params.get("year") or ""
    if year_text and not (is_number(year_text) and len(year_text) == 4):
        raise BadUserInput("Tahun harus 4 angka.", "The year must be 4 digits.", field="year")
    statuses = tuple(params.getlist("status"))
    for status in statuses:
        if status not in Status.__members__:
            raise BadUserInput("Status tidak dikenal.", "Unknown status.", field="status")
    return RequestFilter(
        agency_slug=params.get("agency") or None,
        statuses=statuses,
        year=int(year_text) if year_text else None,
    )


async def deadlines_of(current: Page, requests: list[Any]) -> dict[int, Any]:
    """Each request's most urgent window now, from its running clocks (one batched read),
    not from the stored columns, which a lapsed duty leaves behind."""
    calendar = resolve.calendar_of(current.scope)
    now = resolve.now()
    clocks = await asyncio.gather(*(resolve.clocks_of(current.scope, r.id) for r in requests))
    return {r.id: current_deadline(c, calendar, now) for r, c in zip(requests, clocks, strict=True)}


async def agency_names(current: Page, ids: set[int]) -> dict[int, Any]:
    scope = current.scope
    loaded = [await catalogue_resolvers.agency_by_id(scope, agency_id) for agency_id in ids]
    return {agency.id: agency for agency in loaded if agency is not None}


@page
async def register(current: Page) -> Response:
    """The public register: number, agency, subject, status, decision, due date, overdue."""
    params = current.request.query_params
    request_filter = register_filter(params)
    number = page_number(params.get("page"))
    _, listed, total = await resolve.register_page(
        current.scope,
        request_filter,
        REQUESTS_PER_PAGE,
        after_cursor("requests", (number - 1) * REQUESTS_PER_PAGE),
        "requests",
    )
    _, agencies, _ = await catalogue_resolvers.agencies_page(current.scope, 100, None)
    variables: dict[str, Any] = {"first": REQUESTS_PER_PAGE}
    chosen = {
        "agency": request_filter.agency_slug,
        "status": list(request_filter.statuses) or None,
        "year": request_filter.year,
    }
    if any(chosen.values()):
        variables["filter"] = {k: v for k, v in chosen.items() if v}
    return current.render(
        "register.html",
        requests=listed,
        total=total,
        page_count=max(1, -(-total // REQUESTS_PER_PAGE)),
        page_number=number,
        deadlines=await deadlines_of(current, listed),
        agencies=agencies,
        agency_by_id={a.id: a for a in agencies},
        request_filter=request_filter,
        labels=LABELS,
        statuses=list(Status),
        api=ApiLink(api_queries.REGISTER, variables),
    )


async def _load_request(current: Page) -> Any:
    params = current.request.path_params
    number = f"{params['agency']}/{params['year']}/{params['number']}"
    found = await resolve.request_by_number(current.scope, number)
    if found is None:
        from opendata.errors import not_found

        raise not_found("Permohonan", "Request", number, field="number")
    return found


async def _render_request(current: Page, found: Any, status: int = 200, **extra: Any) -> Response:
    scope = current.scope
    calendar = resolve.calendar_of(scope)
    now = resolve.now()
    agency = await catalogue_resolvers.agency_by_id(scope, found.agency_id)
    return current.render(
        "request.html",
        status=status,
        request=found,
        agency=agency,
        # what is due, for whom, until when: from the running clocks, not the stored columns
        windows=open_windows(
            await resolve.clocks_of(scope, found.id),
            await resolve.objections_of(scope, found.id),
            calendar,
            now,
        ),
        timeline=await resolve.timeline_of(scope, found.id),
        objection=await resolve.objection_of(scope, found.id),
        dispute=await resolve.dispute_of(scope, found.id),
        shows_requester=can_see_requester(current.visitor.viewer, found),
        steps=await requester_next_steps(scope, found),
        # public documents to everyone; private ones to the requester and the agency's staff
        attachments=await attachment_resolvers.attachments_of(scope, found.id),
        clocks=STATUTORY_CLOCKS,
        labels=LABELS,
        following=await is_following(
            current.services, current.visitor.viewer, FollowTarget.REQUEST, found.id
        ),
        numbered=numbered(found.registration_number),
        api=ApiLink(api_queries.REQUEST, {"number": found.registration_number}),
        **extra,
    )


@page
async def request_page(current: Page) -> Response:
    """A request: its clocks, the timeline, and to its requester the next lawful step."""
    return await _render_request(current, await _load_request(current))


@page
async def request_action(current: Page) -> Response:
    """The requester's steps from the request page: withdraw, or object on open grounds."""
    found = await _load_request(current)
    form = await checked_form(current.request, current.visitor)
    viewer = current.visitor.viewer
    action = form.get("action")
    try:
        if action == "withdraw" and form.get("confirmed") != "yes":
            return await _confirm_withdrawal(current, found)
        if action == "withdraw":
            await service.withdraw_request(current.services, viewer, found.id)
        elif action == "object":
            grounds = [g for g in form.getlist("grounds") if isinstance(g, str)]
            reason = form.get("reason")
            await service.file_objection(
                current.services,
                viewer,
                found.id,
                grounds=grounds,
                reason=reason if isinstance(reason, str) else "",
            )
        else:
            raise BadUserInput("Tindakan tidak dikenal.", "Unknown action.", field="action")
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _render_request(current, found, status=400, problem=error)
    return current.redirect(current.request.url.path)


# the request form's fields: what is asked (public) and who asks (private, Pasal 22(3))
REQUEST_FIELDS = ("agency", "information_requested", "purpose", "delivery_form", "dataset")
REQUESTER_FIELDS = ("address", "identity_number", "phone")


async def _confirm_withdrawal(current: Page, found: Any) -> Response:
    """The second page of withdrawing (no script needed): what it means, then a button that
    withdraws and a link that keeps the request. Only the requester who may withdraw sees it;
    anyone else gets the step's own refusal."""
    steps = await requester_next_steps(current.scope, found)
    if not steps.may_withdraw:
        await service.withdraw_request(current.services, current.visitor.viewer, found.id)
    return withdrawal_page(current, found)


def withdrawal_page(current: Page, found: Any, *, by_staff: bool = False) -> Response:
    """What withdrawing means, with the button that posts it again confirmed (`confirmed=yes`)
    to the page it came from, and the way back; the requester's page and the staff page."""
    return current.render(
        "request_withdraw.html",
        request=found,
        notice_clock=Clocks.NOTICE,
        by_staff=by_staff,
        back_to=current.request.url.path,
    )


async def _form_defaults(current: Page) -> dict[str, str]:
    """Prefilled from a dataset (`?dataset=`) or a failed search (`?q=`), and with what the
    requester's account keeps from an earlier request (address, NIK, phone)."""
    params = current.request.query_params
    account = await account_resolvers.own_account(current.scope)
    kept = {key: (getattr(account, key, None) or "") for key in REQUESTER_FIELDS}
    return {
        "agency": params.get("agency") or "",
        "information_requested": params.get("information_requested") or "",
        "purpose": params.get("purpose") or "",
        "delivery_form": params.get("delivery_form") or DeliveryForm.SOFT_COPY.value,
        "dataset": params.get("dataset") or "",
        **kept,
    }


async def _new_request_form(
    current: Page, values: dict[str, str], status: int = 200, error: Any = None
) -> Response:
    _, agencies, _ = await catalogue_resolvers.agencies_page(current.scope, 100, None)
    return current.render(
        "request_new.html",
        status=status,
        values=values,
        agencies=agencies,
        problem=error,
        **request_form_context(),
    )


@page
async def new_request(current: Page) -> Response:
    """The Pasal 22 form; prefilled from a dataset or from a search that found nothing."""
    values = await _form_defaults(current)
    params = current.request.query_params
    dataset_slug = params.get("dataset")
    if dataset_slug and not values["information_requested"]:
        found = await catalogue_resolvers.dataset_by_slug(current.scope, dataset_slug)
        if found is not None:
            agency = await catalogue_resolvers.agency_by_id(current.scope, found.agency_id)
            values["agency"] = agency.slug if agency else values["agency"]
            values["dataset"] = found.slug  # counted as asked about (issue 24)
            title = current.visitor.formats.pick(found.title, found.title_en)
            values["information_requested"] = current.gettext(
                "The data of the dataset \u201c%(title)s\u201d (/dataset/%(slug)s), "
                "including the parts not published.",
                title=title,
                slug=found.slug,
            )
    elif params.get("q"):
        values["information_requested"] = current.gettext(
            "Data about: %(query)s", query=params.get("q", "")[:200]
        )
    return await _new_request_form(current, values)


@page
async def file_request(current: Page) -> Response:
    form = await checked_form(current.request, current.visitor)
    # everything typed comes back on an error (a wrong NIK empties nothing)
    values = form_texts(form, REQUEST_FIELDS + REQUESTER_FIELDS)
    if current.visitor.viewer is None:
        # a visitor signs in (or up) first and comes back to the form as they typed it; only
        # what is asked travels in the address, never anything about the person
        typed = {key: values[key] for key in REQUEST_FIELDS if values[key]}
        back = current.url("new_request") + ("?" + urlencode(typed) if typed else "")
        return current.redirect(current.url("sign_in", next=back))
    details = service.RequesterDetails(
        identity_number=values["identity_number"] or None,
        address=values["address"] or None,
        phone=values["phone"] or None,
    )
    try:
        record = await service.file_request(
            current.services,
            current.visitor.viewer,
            service.FilingForm(
                agency_slug=values["agency"],
                information_requested=values["information_requested"],
                purpose=values["purpose"],
                delivery_form=values["delivery_form"],
                requester=details,
                dataset_slug=values["dataset"] or None,
            ),
        )
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _new_request_form(current, values, status=400, error=error)
    return current.redirect(current.url("request", **numbered(record.request.registration_number)))


@page
async def my_requests(current: Page) -> Response:
    """Saya: the signed-in requester's requests with countdowns and next steps."""
    viewer = current.visitor.viewer
    if viewer is None:
        return current.redirect(current.url("sign_in", next=current.url("my_requests")))
    _, listed, total = await resolve.register_page(
        current.scope,
        RequestFilter(requester_user_id=viewer.user_id),
        100,
        None,
        f"my-requests:{viewer.user_id}",
    )
    agencies = await agency_names(current, {r.agency_id for r in listed})
    return current.render(
        "my_requests.html",
        requests=listed,
        total=total,
        deadlines=await deadlines_of(current, listed),
        agency_by_id=agencies,
        labels=LABELS,
        decision_labels=DECISION_LABELS,
        grounds=OBJECTION_GROUNDS,
        category_labels=CATEGORY_LABELS,
        decisions=Decision,
    )
