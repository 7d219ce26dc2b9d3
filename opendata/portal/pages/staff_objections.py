"""The superior's queue (`/petugas/keberatan`): objections waiting for the atasan PPID.

Each objection shows its due date on the official calendar (working days left, overdue
marked) and, where the lifecycle lets this viewer answer it (`allowed_actions`), the answer
form; the answer is the same domain step GraphQL's `answerObjection` runs.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.errors import DomainError, not_found
from opendata.information_requests import service
from opendata.information_requests.deadlines import deadline_view
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.objection_queue import waiting_objections
from opendata.information_requests.rules import (
    OBJECTION_GROUNDS,
    OBJECTION_OUTCOME_LABELS,
    Clocks,
    ObjectionOutcome,
    Party,
)
from opendata.portal.page import (
    Page,
    form_date,
    form_rupiah,
    form_texts,
    page,
    shown_beside_the_form,
)
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.resolvers import catalogue as catalogue_resolvers
from opendata.resolvers import requests as resolve

GROUND_LABELS = {
    ground.value: (rule.letter, rule.label_id, rule.label_en)
    for ground, rule in OBJECTION_GROUNDS.items()
}


async def _queue(current: Page, status: int = 200, **extra: Any) -> Response:
    scope = current.scope
    waiting = await waiting_objections(current.services, current.visitor.viewer)
    calendar = resolve.calendar_of(scope)
    now = resolve.now()
    # gathered, so the batch loaders read every request's record in one query per table
    allowed = await asyncio.gather(
        *(resolve.allowed_actions_on(scope, item.request) for item in waiting)
    )
    answerable = {
        item.objection.id
        for item, actions in zip(waiting, allowed, strict=True)
        if Action.ANSWER_OBJECTION in actions
    }
    agencies = {
        agency_id: await catalogue_resolvers.agency_by_id(scope, agency_id)
        for agency_id in {item.request.agency_id for item in waiting}
    }
    return current.render(
        "staff_objections.html",
        status=status,
        waiting=waiting,
        answerable=answerable,
        agencies=agencies,
        deadlines={
            item.objection.id: deadline_view(
                item.objection.due_on, Party.SUPERIOR.value, calendar, now
            )
            for item in waiting
        },
        grounds=GROUND_LABELS,
        outcomes=[(o.value, OBJECTION_OUTCOME_LABELS[o]) for o in ObjectionOutcome],
        answer_clock=Clocks.OBJECTION_ANSWER,
        fulfilment_clock=Clocks.FULFILMENT,
        **extra,
    )


@page
async def staff_objections(current: Page) -> Response:
    """The queue: objections of the viewer's agency (admins: every agency), earliest due; the
    PPID officer reads what its superior must still answer."""
    staff_viewer(current)
    answered = current.request.query_params.get("answered")
    return await _queue(current, answered=answered)


@page
async def staff_objections_post(current: Page) -> Response:
    """The superior's written answer to one objection (UU KIP Pasal 36)."""
    viewer = staff_viewer(current, Role.SUPERIOR, Role.ADMIN)
    form = await checked_form(current.request, current.visitor)
    values = form_texts(
        form, ("request", "objection", "outcome", "answer", "fulfil_by", "revised_fee")
    )
    found = await resolve.request_by_number(current.scope, values["request"])
    # another agency's request answers exactly like a missing one: nothing is learnt
    if found is None or not viewer.acts_for(found.agency_id):
        raise not_found("Permohonan", "Request", values["request"], field="request")
    try:
        await service.answer_objection(
            current.services,
            viewer,
            found.id,
            outcome=values["outcome"],
            answer=values["answer"],
            objection_number=values["objection"] or None,
            fulfil_by=form_date(values["fulfil_by"], "fulfilBy"),
            revised_fee=form_rupiah(values["revised_fee"], "revisedFee"),
        )
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _queue(
            current, status=400, problem=error, problem_for=values["objection"], values=values
        )
    done = urlencode({"answered": values["objection"]})
    return current.redirect(current.url("staff_objections") + "?" + done)
