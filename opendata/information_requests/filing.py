"""Registering a request: its number at once, the requester as registered, the PPID's clock.

Pasal 22(2)-(4): every request gets a registration number at once and records the
requester's name and address, the information requested, its purpose and the form wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import User
from opendata.accounts.viewer import Role, Viewer
from opendata.calendar import regency_date
from opendata.calendar_store import refreshed_calendar
from opendata.db.models import Agency, Dataset
from opendata.errors import BadUserInput, Forbidden, Unauthenticated, not_found
from opendata.information_requests.backdating import checked_receipt
from opendata.information_requests.contact import Contact
from opendata.information_requests.lifecycle import (
    STEP_BY_ACTION,
    Action,
    Actor,
    Status,
    Step,
    acts_as,
)
from opendata.information_requests.mails import step_mails
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.numbering import format_registration_number, next_sequence
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.rules import ClockKind, DeliveryForm, ReceivedVia
from opendata.information_requests.skeleton import (
    StepContext,
    StepOutcome,
    checked_now,
    finish_step,
    require_viewer,
)
from opendata.information_requests.timeline import RECORDED_AT
from opendata.information_requests.validation import one_of, optional_text, required_text
from opendata.parts import HasCalendar

NIK_PATTERN = re.compile(r"[0-9]{16}\Z")  # ASCII digits: `\d` also takes "١٢٣"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RequesterDetails(Contact):
    """The person who came or wrote in (walk-in), or a requester's own first-request details."""

    name: str | None = None


@dataclass(frozen=True)
class FilingForm:
    agency_slug: str
    information_requested: str
    purpose: str
    delivery_form: str
    requester: RequesterDetails | None = None
    received_at: datetime | None = None
    # officers: walk-in, letter, e-mail or phone (None: not said)
    received_via: str | None = None
    # the dataset the request came from (its page's "ask for it"); public (issue 24)
    dataset_slug: str | None = None


# ------------------------------------------------------------------------------ filing


async def file_request(
    services: HasCalendar, viewer: Viewer | None, form: FilingForm, *, now: datetime | None = None
) -> RequestRecord:
    """Register a request and give it its number at once (the FILE row of `lifecycle.STEPS`).

    Filing runs through the same skeleton as every other step: the row says who may file,
    which clocks start, its article and its timeline words; `finish_step` starts the clocks and
    writes the timeline entry, and `step_mails` sends what the step sends. What a new request
    has that no other step has (no record yet to lock, its number) stays here.
    """
    acting = require_viewer(viewer)
    moment = checked_now(now)
    step = STEP_BY_ACTION[Action.FILE]
    async with services.database.write() as session:
        calendar = await refreshed_calendar(services, session)  # as every server now counts
        agency = (
            await session.execute(
                select(Agency).where(Agency.slug == form.agency_slug, Agency.removed_at.is_(None))
            )
        ).scalar_one_or_none()
        if agency is None:
            raise not_found("Badan publik", "Public body", form.agency_slug, field="agency")
        actor = _filing_actor(acting, step, agency.id)
        information_requested = required_text(form.information_requested, "informationRequested")
        purpose = required_text(form.purpose, "purpose")
        delivery_form = one_of(
            DeliveryForm, form.delivery_form, "deliveryForm", "Bentuk informasi", "delivery form"
        )

        if actor is Actor.REQUESTER:
            _officers_only(form)
            received_at = moment
            received_via: str | None = None
            user = await session.get(User, acting.user_id)
            if user is None:
                raise Unauthenticated("Akun tidak ditemukan.", "The account no longer exists.")
            details = _requester_for_account(user, form.requester)
            requester_user_id: int | None = user.id
            channel = "ONLINE"
        else:
            received_at = checked_receipt(form.received_at, moment, calendar)
            received_via = (
                one_of(
                    ReceivedVia,
                    form.received_via,
                    "receivedVia",
                    "Cara penerimaan permohonan",
                    "way the request was received",
                ).value
                if form.received_via is not None
                else None
            )
            details = _walk_in_requester(form.requester)
            requester_user_id = None
            channel = "OFFICER"

        received_on = regency_date(received_at)
        year = received_on.year
        sequence = await next_sequence(session, agency.id, year)
        request = InformationRequest(
            agency_id=agency.id,
            registration_year=year,
            sequence=sequence,
            registration_number=format_registration_number(agency, year, sequence),
            requester_user_id=requester_user_id,
            requester_name=details.name or "",
            requester_email=details.email,
            requester_phone=details.phone,
            requester_address=details.address,
            requester_identity_number=details.identity_number,
            information_requested=information_requested,
            purpose=purpose,
            delivery_form=delivery_form.value,
            channel=channel,
            status=Status.SUBMITTED.value,
            received_at=received_at,
            received_on=received_on,
            registered_at=moment,
            answer_due_on=received_on,  # set from its clock below
            extended=False,
            exemptions_cited=[],
            answered_late=False,
            dataset_id=await asked_about(session, form.dataset_slug, agency.id),
        )
        session.add(request)
        await session.flush()
        note = (
            "Diajukan daring / Filed online"
            if channel == "ONLINE"
            else "Didaftarkan oleh petugas (langsung, surat, telepon atau surel) / "
            "Registered by an officer (walk-in, letter, phone or email)"
        )
        outcome = StepOutcome(note=note, detail={"channel": channel})
        context = StepContext(session, RequestRecord(request), acting, moment, calendar)
        # day 1 is the first working day after receipt, whatever day receipt was (§1)
        for kind in step.starts:
            clock = outcome.start(context, kind, received_on)
            if kind is ClockKind.NOTICE:
                request.answer_due_on = clock.due_on
                outcome.detail["dueOn"] = clock.due_on.isoformat()
        if received_via is not None:
            outcome.detail["receivedVia"] = received_via
        # dated by receipt, written now: the timeline keeps both (backdating.py)
        outcome.detail[RECORDED_AT] = moment.isoformat()
        record = await finish_step(context, step, outcome, at=received_at)
        # the receipt and the officers' notice go to the outbox in this same transaction
        await step_mails(session, record.request, step.action)
        return record


async def asked_about(session: AsyncSession, slug: str | None, agency_id: int) -> int | None:
    """The id of the dataset a request names, which must be the agency's own."""
    if not slug:
        return None
    dataset_id = await session.scalar(
        select(Dataset.id).where(
            Dataset.slug == slug, Dataset.agency_id == agency_id, Dataset.removed_at.is_(None)
        )
    )
    if dataset_id is None:
        raise BadUserInput(
            "Dataset itu tidak ada pada badan publik yang dituju.",
            "That dataset is not one of the chosen public body's.",
            field="dataset",
        )
    return dataset_id


def _filing_actor(viewer: Viewer, step: Step, agency_id: int) -> Actor:
    """The capacity in which `viewer` files (the step's `actors`): a requester for themself,
    or the agency's own PPID for a walk-in, letter or phone request; nobody else (a superior
    or an administrator is not a PPID)."""
    if viewer.role is Role.REQUESTER and Actor.REQUESTER in step.actors:
        return Actor.REQUESTER
    if Actor.PPID in step.actors and acts_as(viewer, Actor.PPID, agency_id, None):
        return Actor.PPID
    raise Forbidden(
        f"Anda tidak berwenang untuk {step.label_id} di badan publik ini; itu tugas PPID-nya "
        "atau pemohon sendiri.",
        f"You may not {step.label_en} for this public body; its PPID or the requester does.",
    )


def _officers_only(form: FilingForm) -> None:
    """What only an officer registering a request may say about its arrival."""
    if form.received_at is not None:
        raise Forbidden(
            "Hanya petugas yang dapat mengisi `receivedAt`.",
            "Only officers may give `receivedAt`.",
            field="receivedAt",
        )
    if form.received_via is not None:
        raise Forbidden(
            "Hanya petugas yang mencatat cara permohonan diterima.",
            "Only officers record how a request was received.",
            field="receivedVia",
        )


def _checked_identity(details: RequesterDetails) -> RequesterDetails:
    """Validate without echoing the value: personal data never goes into a message."""
    if details.identity_number is not None and not NIK_PATTERN.match(details.identity_number):
        raise BadUserInput(
            "NIK harus 16 angka.",
            "The identity number (NIK) must be 16 digits.",
            field="requester.identityNumber",
        )
    if details.email is not None and not EMAIL_PATTERN.match(details.email):
        raise BadUserInput(
            "Alamat surel tidak valid.", "Not a valid email address.", field="requester.email"
        )
    return details


def _clean_details(given: RequesterDetails | None) -> RequesterDetails:
    if given is None:
        return RequesterDetails()
    return RequesterDetails(
        name=optional_text(given.name, "requester.name", limit=200),
        identity_number=optional_text(given.identity_number, "requester.identityNumber", limit=40),
        address=optional_text(given.address, "requester.address"),
        phone=optional_text(given.phone, "requester.phone", limit=40),
        email=optional_text(given.email, "requester.email", limit=320),
    )


def _requester_for_account(user: User, given: RequesterDetails | None) -> RequesterDetails:
    """The account's name and e-mail with the NIK, address and phone given now or kept on the
    account from an earlier request (§2); what is given now is kept for the next one.

    The address is required (`_recorded`); NIK and phone are asked for, not demanded (our
    rule: UU KIP names only name and address, and the account's e-mail is the contact).
    """
    details = _checked_identity(_clean_details(given))
    recorded = _recorded(
        RequesterDetails(
            name=user.name,
            identity_number=details.identity_number or user.identity_number,
            address=details.address or user.address,
            phone=details.phone or user.phone,
            email=user.email,
        )
    )
    user.identity_number = recorded.identity_number
    user.address = recorded.address
    user.phone = recorded.phone
    return recorded


def _walk_in_requester(given: RequesterDetails | None) -> RequesterDetails:
    """A walk-in, letter or phone request: the officer writes down who asked."""
    if given is None:
        raise BadUserInput(
            "Petugas wajib mengisi data pemohon.",
            "An officer must give the requester's details.",
            field="requester",
        )
    return _recorded(_checked_identity(_clean_details(given)))


def _recorded(details: RequesterDetails) -> RequesterDetails:
    """Pasal 22(3): the agency records the requester's name and address, so both are required
    however the request arrives (the article is the FILE step's)."""
    article = STEP_BY_ACTION[Action.FILE].article
    if not details.name:
        raise BadUserInput(
            f"Nama pemohon wajib diisi ({article}).",
            f"The requester's name is required ({article}).",
            field="requester.name",
        )
    if not details.address:
        raise BadUserInput(
            f"Alamat pemohon wajib diisi ({article}).",
            f"The requester's address is required ({article}).",
            field="requester.address",
        )
    return details
