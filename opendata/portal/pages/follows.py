"""Follow and be told (issue 24): the "Ikuti" form's answer, the confirmation link, and the
one-click unsubscribe page (RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to
the same address, with no cookie and no CSRF token: the link's secret token is the proof)."""

from __future__ import annotations

from starlette.responses import Response

from opendata.errors import DomainError
from opendata.follows import service
from opendata.follows.models import FollowTarget
from opendata.portal.page import Page, form_texts, page, shown_beside_the_form
from opendata.portal.visitor import checked_form

FOLLOW_FIELDS = ("target", "key", "email", "action")


def _target_kind(text: str | None) -> FollowTarget:
    return FollowTarget(text) if text and text in FollowTarget.__members__ else FollowTarget.DATASET


@page
async def follow_page(current: Page) -> Response:
    """What the follow form did (`done`), or the form itself for a visitor sent here."""
    params = current.request.query_params
    kind = _target_kind(params.get("target"))
    key = params.get("key") or ""
    async with current.services.database.session() as session:
        target = await service.resolve_target(session, kind, key)
    return current.render("follow.html", target=target, key=key, done=params.get("done"))


@page
async def follow_post(current: Page) -> Response:
    form = await checked_form(current.request, current.visitor)
    values = form_texts(form, FOLLOW_FIELDS)
    kind = _target_kind(values["target"])
    viewer = current.visitor.viewer
    try:
        if values["action"] == "unfollow" and viewer is not None:
            await service.unfollow_as(current.services, viewer, kind, values["key"])
            done = "stopped"
        else:
            await service.follow(
                current.services,
                viewer,
                kind,
                values["key"],
                values["email"] or None,
                current.visitor.language,
            )
            # anonymous: the same answer whether or not the address already follows, so
            # nobody learns what someone else's address follows
            done = "following" if viewer is not None else "check-mail"
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        async with current.services.database.session() as session:
            target = await service.resolve_target(session, kind, values["key"])
        return current.render(
            "follow.html", status=400, target=target, key=values["key"], error=error, values=values
        )
    return current.redirect(current.url("follow", target=kind.value, key=values["key"], done=done))


@page
async def confirm_page(current: Page) -> Response:
    """The confirmation mail's link: a button (a mail scanner's GET confirms nothing)."""
    token = current.request.path_params["token"]
    async with current.services.database.session() as session:
        found = await service.followed_by_token(session, token)
    return current.render("follow.html", target=found, key=None, done=None, confirm=token)


@page
async def confirm_post(current: Page) -> Response:
    await checked_form(current.request, current.visitor)
    target = await service.confirm(current.services, current.request.path_params["token"])
    return current.render("follow.html", target=target, key=None, done="following")


@page
async def unfollow_page(current: Page) -> Response:
    """The mail's link: a button (a link scanner's GET unsubscribes nobody)."""
    token = current.request.path_params["token"]
    async with current.services.database.session() as session:
        found = await service.followed_by_token(session, token)
    return current.render("unfollow.html", target=found, token=token, done=False)


@page
async def unfollow_post(current: Page) -> Response:
    """One click: from the page's button or the mail client (RFC 8058)."""
    target = await service.unfollow(current.services, current.request.path_params["token"])
    return current.render("unfollow.html", target=target, token=None, done=True)
