"""Registering a request: its number at once, the requester as registered, the PPID's clock.

Pasal 22(2)-(4): every request gets a registration number at once and records the
requester's name and address, the information requested, its purpose and the form wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from opendata.accounts.models import User
from opendata.accounts.viewer import Role, Viewer
from opendata.calendar import regency_date
from opendata.calendar_store import refreshed_calendar
from opendata.db.models import Agency
from opendata.errors import BadUserInput, Forbidden, Unauthenticated, not_found
from opendata.information_requests.lifecycle import STEP_BY_ACTION, Action, Actor, Status, acts_as
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
from opendata.information_requests.validation import one_of, optional_text, required_text
from opendata.parts import HasCalendar

# An officer's clock may run a little ahead of ours; a receipt further in the future is a typo.
RECEIPT_CLOCK_SKEW = timedelta(minutes=5)
NIK_PATTERN = re.compile(r"[0-9]{16}\Z")  # ASCII digits: `\d` also takes "١٢٣"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RequesterDetails:
    """The person who came or wrote in (walk-in), or a requester's own first-request details."""

    name: str | None = None
    identity_number: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


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


# ------------------------------------------------------------------------------ filing


async def file_request(
    services: HasCalendar, viewer: Viewer | None, form: FilingForm, *, now: datetime | None = None
) -> RequestRecord:
    """Register a request and give it its number at once (Pasal 22(2)-(4))."""
    viewer = require_viewer(viewer)
    moment = checked_now(now)
    if viewer.role is Role.SUPERIOR:
        raise Forbidden(
            "Atasan PPID tidak mendaftarkan permohonan; itu tugas PPID.",
            "A PPID superior does not register requests; that is the officer's task.",
        )
    async with services.database.write() as session:
        calendar = await refreshed_calendar(services, session)  # as every server now counts
        agency = (
            await session.execute(
                select(Agency).where(Agency.slug == form.agency_slug, Agency.removed_at.is_(None))
            )
        ).scalar_one_or_none()
        if agency is None:
            raise not_found("Badan publik", "Public body", form.agency_slug, field="agency")
        information_requested = required_text(form.information_requested, "informationRequested")
        purpose = required_text(form.purpose, "purpose")
        delivery_form = one_of(
            DeliveryForm, form.delivery_form, "deliveryForm", "Bentuk informasi", "delivery form"
        )

        if viewer.role is Role.REQUESTER:
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
            received_at = moment
            received_via: str | None = None
            user = await session.get(User, viewer.user_id)
            if user is None:
                raise Unauthenticated("Akun tidak ditemukan.", "The account no longer exists.")
            details = _requester_for_account(user, form.requester)
            requester_user_id: int | None = user.id
            channel = "ONLINE"
        else:
            # only the agency's own PPID registers for it; an ADMIN is not a PPID
            if not acts_as(viewer, Actor.PPID, agency.id, None):
                raise Forbidden(
                    "Anda tidak berwenang untuk permohonan di badan publik ini.",
                    "You may not act on requests of this public body.",
                )
            received_at = _received_at(form.received_at, moment)
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
            answer_due_on=received_on,  # set from its clock below
            extended=False,
            exemptions_cited=[],
            answered_late=False,
        )
        session.add(request)
        await session.flush()
        note = (
            "Diajukan daring / Filed online"
            if channel == "ONLINE"
            else "Didaftarkan oleh petugas (langsung, surat, telepon atau surel) / "
            "Registered by an officer (walk-in, letter, phone or email)"
        )
        outcome = StepOutcome(note=note)
        context = StepContext(session, RequestRecord(request), viewer, moment, calendar)
        # day 1 is the first working day after receipt, whatever day receipt was (§1)
        clock = outcome.start(context, ClockKind.NOTICE, received_on)
        request.answer_due_on = clock.due_on
        outcome.detail = {"channel": channel, "dueOn": clock.due_on.isoformat()}
        if received_via is not None:
            outcome.detail["receivedVia"] = received_via
        record = await finish_step(context, STEP_BY_ACTION[Action.FILE], outcome, at=received_at)
        # the receipt and the officers' notice go to the outbox in this same transaction
        await step_mails(session, record.request, Action.FILE)
        return record


def _received_at(given: datetime | None, now: datetime) -> datetime:
    if given is None:
        return now
    if given.tzinfo is None:
        raise BadUserInput(
            "`receivedAt` harus memuat zona waktu.",
            "`receivedAt` must include a time zone offset.",
            field="receivedAt",
        )
    if given > now + RECEIPT_CLOCK_SKEW:
        raise BadUserInput(
            "`receivedAt` tidak boleh di masa depan.",
            "`receivedAt` cannot be in the future.",
            field="receivedAt",
        )
    return given


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
    """NIK, address and phone are asked for on the first request and kept on the account (§2).

    Our rule: they are asked for, not demanded; the contract lets a requester file with the
    account's name and email alone, and the registration snapshot records what is known.
    """
    details = _checked_identity(_clean_details(given))
    user.identity_number = details.identity_number or user.identity_number
    user.address = details.address or user.address
    user.phone = details.phone or user.phone
    return RequesterDetails(
        name=user.name,
        identity_number=user.identity_number,
        address=user.address,
        phone=user.phone,
        email=user.email,
    )


def _walk_in_requester(given: RequesterDetails | None) -> RequesterDetails:
    """A walk-in, letter or phone request records the requester's name and address (Pasal 22(4))."""
    if given is None:
        raise BadUserInput(
            "Petugas wajib mengisi data pemohon.",
            "An officer must give the requester's details.",
            field="requester",
        )
    details = _checked_identity(_clean_details(given))
    if not details.name:
        raise BadUserInput(
            "Nama pemohon wajib diisi.", "The requester's name is required.", field="requester.name"
        )
    if not details.address:
        raise BadUserInput(
            "Alamat pemohon wajib diisi.",
            "The requester's address is required.",
            field="requester.address",
        )
    return details
