"""Following and unfollowing: what the portal's "Ikuti" button and GraphQL `follow` call.

A signed-in account follows with its own address, confirmed at once. An anonymous visitor
gives an address and is sent one confirmation mail; nothing else is sent to it until the
link in that mail is opened (so nobody can sign a stranger up for mail). Every follow has a
secret token: the confirmation and the one-click unsubscribe links carry it, no sign-in needed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.service import _checked_email
from opendata.accounts.viewer import Viewer
from opendata.db.base import utcnow
from opendata.db.models import Agency, Dataset
from opendata.errors import BadUserInput, DomainError, not_found
from opendata.follows.models import ALL_AGENCIES, Follow, FollowTarget
from opendata.information_requests.mails import enqueue_mail
from opendata.information_requests.models import InformationRequest
from opendata.parts import HasDatabase
from opendata.urls import numbered, path


@dataclass(frozen=True)
class Followed:
    """What a follow points at, as its mails and pages name it."""

    kind: FollowTarget
    target_id: int
    label: str  # a dataset's or agency's name, a request's number, "DIK ..."
    page_path: str
    agency_name: str


@dataclass(frozen=True)
class FollowOutcome:
    follow: Follow
    target: Followed
    # an anonymous visitor's address: a confirmation mail was sent, nothing else until then
    confirmation_sent: bool


def dik_label(agency_name: str | None) -> str:
    return f"DIK {agency_name}" if agency_name else "DIK (Daftar Informasi yang Dikecualikan)"


async def resolve_target(session: AsyncSession, kind: FollowTarget | str, key: str) -> Followed:
    """The followed thing from its public key: a dataset's or agency's slug, a request's
    registration number, the DIK of an agency (its slug) or of all ("")."""
    try:
        kind = FollowTarget(kind)
    except ValueError:
        raise BadUserInput(
            "Yang diikuti harus DATASET, AGENCY, REQUEST atau DIK.",
            "What is followed must be DATASET, AGENCY, REQUEST or DIK.",
            field="target",
        ) from None
    if kind is FollowTarget.DATASET:
        found = await session.execute(
            select(Dataset.id, Dataset.title, Agency.name)
            .join(Agency, Agency.id == Dataset.agency_id)
            .where(Dataset.slug == key, Dataset.removed_at.is_(None))
        )
        dataset = found.one_or_none()
        if dataset is None:
            raise not_found("Dataset", "Dataset", key, field="key")
        return Followed(kind, dataset[0], dataset[1], path("dataset", slug=key), dataset[2])
    if kind is FollowTarget.REQUEST:
        found = await session.execute(
            select(InformationRequest.id, Agency.name)
            .join(Agency, Agency.id == InformationRequest.agency_id)
            .where(InformationRequest.registration_number == key)
        )
        request = found.one_or_none()
        if request is None:
            raise not_found("Permohonan", "Request", key, field="key")
        return Followed(kind, request[0], key, path("request", **numbered(key)), request[1])
    if kind is FollowTarget.DIK and not key:
        return Followed(kind, ALL_AGENCIES, dik_label(None), path("home"), "")
    agency = await session.scalar(
        select(Agency).where(Agency.slug == key, Agency.removed_at.is_(None))
    )
    if agency is None:
        raise not_found("Instansi", "Agency", key, field="key")
    label = dik_label(agency.name) if kind is FollowTarget.DIK else agency.name
    return Followed(kind, agency.id, label, path("agency", slug=agency.slug), agency.name)


def unsubscribe_path(follow: Follow) -> str:
    return path("unfollow", token=follow.token)


def target_context(follow: Follow, target: Followed) -> dict[str, str]:
    """The keys every follower's mail carries (`mail_catalog.FOLLOW_KEYS` and the common
    ones); `registration_number` names what is followed in the subject."""
    return {
        "registration_number": target.label,
        "agency_name": target.agency_name,
        "request_path": target.page_path,
        "target_label": target.label,
        "unsubscribe_path": unsubscribe_path(follow),
    }


async def follow(
    parts: HasDatabase,
    viewer: Viewer | None,
    kind: FollowTarget | str,
    key: str,
    email: str | None = None,
    language: str = "id",
) -> FollowOutcome:
    """Follow `key`: a signed-in viewer with the account's address (confirmed at once), an
    anonymous one with `email` (a confirmation mail first). Following again is harmless."""
    if viewer is None and not (email or "").strip():
        raise BadUserInput(
            "Isi alamat surel untuk menerima kabar, atau masuk dengan akun Anda.",
            "Give an e-mail address to be told, or sign in with your account.",
            field="email",
        )
    address = _checked_email(viewer.email if viewer is not None else email or "")
    async with parts.database.write() as session:
        target = await resolve_target(session, kind, key)
        row = await session.scalar(
            select(Follow)
            .where(
                Follow.target_kind == target.kind.value,
                Follow.target_id == target.target_id,
                Follow.email == address,
            )
            .with_for_update()
        )
        if row is None:
            row = Follow(
                target_kind=target.kind.value,
                target_id=target.target_id,
                email=address,
                token=secrets.token_urlsafe(32),
                created_at=utcnow(),
            )
            session.add(row)
        elif row.ended_at is not None:  # followed again after unsubscribing: a new link
            row.ended_at = None
            row.token = secrets.token_urlsafe(32)
            row.confirmed_at = None
        row.language = "en" if language == "en" else "id"
        sent = False
        if viewer is not None:
            row.user_id = viewer.user_id
            row.confirmed_at = row.confirmed_at or utcnow()
        elif row.confirmed_at is None:
            await session.flush()
            # once per token: following again before confirming sends no second mail
            sent = (
                await enqueue_mail(
                    session,
                    "follow_confirm",
                    address,
                    {
                        **target_context(row, target),
                        "confirm_path": path("follow_confirm", token=row.token),
                    },
                    dedupe_key=f"follow_confirm:{row.token}",
                )
                is not None
            )
        await session.flush()
        return FollowOutcome(row, target, sent)


async def _by_token(session: AsyncSession, token: str, *, locked: bool = True) -> Follow:
    """The follow a mail's link names (NOT_FOUND otherwise); `locked` for a link that changes it."""
    statement = select(Follow).where(Follow.token == token)
    if locked:
        statement = statement.with_for_update()
    row = await session.scalar(statement) if token else None
    if row is None:
        raise not_found("Tautan", "Link", token[:12], field="token")
    return row


async def confirm(parts: HasDatabase, token: str) -> Followed:
    """The link of the confirmation mail: the follow starts (an ended one stays ended)."""
    async with parts.database.write() as session:
        row = await _by_token(session, token)
        if row.ended_at is None and row.confirmed_at is None:
            row.confirmed_at = utcnow()
        return await _followed(session, row)


async def followed_by_token(session: AsyncSession, token: str) -> Followed:
    """What the unsubscribe link's follow points at (its page names it before the click)."""
    return await _followed(session, await _by_token(session, token, locked=False))


async def unfollow(parts: HasDatabase, token: str) -> Followed:
    """One-click unsubscribe (the mail's link and its List-Unsubscribe header)."""
    async with parts.database.write() as session:
        row = await _by_token(session, token)
        row.ended_at = row.ended_at or utcnow()
        return await _followed(session, row)


async def unfollow_as(
    parts: HasDatabase, viewer: Viewer, kind: FollowTarget | str, key: str
) -> Followed:
    """A signed-in account stops following `key` (its own follow only)."""
    address = _checked_email(viewer.email)
    async with parts.database.write() as session:
        target = await resolve_target(session, kind, key)
        row = await session.scalar(
            select(Follow).where(
                Follow.target_kind == target.kind.value,
                Follow.target_id == target.target_id,
                Follow.email == address,
            )
        )
        if row is not None:
            row.ended_at = row.ended_at or utcnow()
        return target


async def is_following(
    parts: HasDatabase, viewer: Viewer | None, kind: FollowTarget, target_id: int
) -> bool:
    """Whether the signed-in viewer follows this (the page shows "Berhenti mengikuti")."""
    if viewer is None:
        return False
    async with parts.database.session() as session:
        row = await session.scalar(
            select(Follow).where(
                Follow.target_kind == kind.value,
                Follow.target_id == target_id,
                Follow.email == viewer.email.strip().lower(),
            )
        )
        return row is not None and row.active


async def _followed(session: AsyncSession, row: Follow) -> Followed:
    """What a stored follow points at (for the page that answers its link)."""
    kind = FollowTarget(row.target_kind)
    if kind is FollowTarget.DIK and row.target_id == ALL_AGENCIES:
        return Followed(kind, ALL_AGENCIES, dik_label(None), path("home"), "")
    key: str | None
    if kind is FollowTarget.DATASET:
        key = await session.scalar(select(Dataset.slug).where(Dataset.id == row.target_id))
    elif kind is FollowTarget.REQUEST:
        key = await session.scalar(
            select(InformationRequest.registration_number).where(
                InformationRequest.id == row.target_id
            )
        )
    else:
        key = await session.scalar(select(Agency.slug).where(Agency.id == row.target_id))
    try:
        if key is None:
            raise not_found("Tautan", "Link", row.token[:12], field="token")
        return await resolve_target(session, kind, key)
    except DomainError:  # removed since: the link still unsubscribes
        return Followed(kind, row.target_id, key or "", path("home"), "")
