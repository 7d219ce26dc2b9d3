"""Every step of a request: one database transaction, checked, and written to the timeline.

Each step takes the request row's lock (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite writers
are already serialised by `BEGIN IMMEDIATE`) and checks the state machine again after
locking, so two officers answering at once cannot both succeed. Checks run in a fixed order:
who you are (UNAUTHENTICATED, FORBIDDEN), whether the stage allows the step
(INVALID_TRANSITION), whether the input is complete (BAD_USER_INPUT), whether the window is
still open (DEADLINE_PASSED). Messages never carry personal data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.models import User
from opendata.accounts.viewer import Role, Viewer
from opendata.calendar import WorkingCalendar, is_past, regency_date
from opendata.db.base import utcnow
from opendata.db.models import Agency
from opendata.errors import (
    BadUserInput,
    DeadlinePassed,
    Forbidden,
    NotFound,
    Unauthenticated,
    not_found,
)
from opendata.information_requests.deadlines import store_expectation
from opendata.information_requests.lifecycle import (
    Action,
    Status,
    invalid_transition,
    next_status,
)
from opendata.information_requests.models import (
    Dispute,
    InformationRequest,
    Objection,
    RequestEvent,
)
from opendata.information_requests.numbering import format_registration_number, next_sequence
from opendata.information_requests.rules import (
    DECISIONS_WITHHOLDING,
    EXEMPTION_BASES,
    OBJECTION_GROUNDS,
    Clocks,
    Decision,
    DeliveryForm,
    GroundArises,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.services import Services

MAX_TEXT = 10_000
MAX_SHORT_TEXT = 500
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


@dataclass
class RequestRecord:
    """A request with everything its stage depends on, as the step left it."""

    request: InformationRequest
    objection: Objection | None = None
    dispute: Dispute | None = None
    events: list[RequestEvent] = field(default_factory=list)


def _calendar(services: Services) -> WorkingCalendar:
    return services.calendar


def _now(now: datetime | None) -> datetime:
    if now is None:
        return utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given as `now`")
    return now


def _require_viewer(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise Unauthenticated(
            "Silakan masuk terlebih dahulu.", "Please sign in first (a bearer token is needed)."
        )
    return viewer


def _text(value: str | None, field_name: str, *, limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise BadUserInput(
            f"`{field_name}` wajib diisi.", f"`{field_name}` is required.", field=field_name
        )
    if len(cleaned) > limit:
        raise BadUserInput(
            f"`{field_name}` terlalu panjang (maksimum {limit} karakter).",
            f"`{field_name}` is too long (at most {limit} characters).",
            field=field_name,
        )
    return cleaned


def _optional_text(
    value: str | None, field_name: str, *, limit: int = MAX_SHORT_TEXT
) -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, field_name, limit=limit)


def _forbidden_for_agency() -> Forbidden:
    return Forbidden(
        "Anda tidak berwenang untuk permohonan di badan publik ini.",
        "You may not act on requests of this public body.",
    )


async def _locked_record(session: AsyncSession, request_id: int) -> RequestRecord:
    """The request row, locked for this transaction, with its objection and dispute."""
    request = (
        await session.execute(
            select(InformationRequest)
            .where(InformationRequest.id == request_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if request is None:
        raise NotFound(
            "Permohonan informasi tidak ditemukan.",
            "The information request was not found.",
            field="id",
        )
    objection = (
        await session.execute(select(Objection).where(Objection.request_id == request_id))
    ).scalar_one_or_none()
    dispute = (
        await session.execute(select(Dispute).where(Dispute.request_id == request_id))
    ).scalar_one_or_none()
    return RequestRecord(request, objection, dispute)


async def _finish(
    session: AsyncSession,
    record: RequestRecord,
    calendar: WorkingCalendar,
    *,
    action: Action,
    status: Status,
    viewer: Viewer,
    at: datetime,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
) -> RequestRecord:
    """Set the new status and due date, and append the timeline event, in the same transaction."""
    record.request.status = status.value
    store_expectation(record.request, record.objection, record.dispute, calendar)
    session.add(
        RequestEvent(
            request_id=record.request.id,
            at=at,
            action=action.value,
            status=status.value,
            note=note,
            actor_role=viewer.role.value,
            actor_user_id=viewer.user_id,
            detail=detail or {},
        )
    )
    await session.flush()
    record.events = list(
        (
            await session.execute(
                select(RequestEvent)
                .where(RequestEvent.request_id == record.request.id)
                .order_by(RequestEvent.at, RequestEvent.id)
            )
        ).scalars()
    )
    return record


# ------------------------------------------------------------------------------ filing


async def file_request(
    services: Services, viewer: Viewer | None, form: FilingForm, *, now: datetime | None = None
) -> RequestRecord:
    """Register a request and give it its number at once (Pasal 22(2)-(4))."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    if viewer.role is Role.SUPERIOR:
        raise Forbidden(
            "Atasan PPID tidak mendaftarkan permohonan; itu tugas PPID.",
            "A PPID superior does not register requests; that is the officer's task.",
        )
    async with services.database.write() as session:
        agency = (
            await session.execute(
                select(Agency).where(Agency.slug == form.agency_slug, Agency.removed_at.is_(None))
            )
        ).scalar_one_or_none()
        if agency is None:
            raise not_found("Badan publik", "Public body", form.agency_slug, field="agency")
        information_requested = _text(form.information_requested, "informationRequested")
        purpose = _text(form.purpose, "purpose")
        delivery_form = _delivery_form(form.delivery_form)

        if viewer.role is Role.REQUESTER:
            if form.received_at is not None:
                raise Forbidden(
                    "Hanya petugas yang dapat mengisi `receivedAt`.",
                    "Only officers may give `receivedAt`.",
                    field="receivedAt",
                )
            received_at = moment
            user = await session.get(User, viewer.user_id)
            if user is None:
                raise Unauthenticated("Akun tidak ditemukan.", "The account no longer exists.")
            details = _requester_for_account(user, form.requester)
            requester_user_id: int | None = user.id
            channel = "ONLINE"
        else:
            if not viewer.is_officer_of(agency.id):
                raise _forbidden_for_agency()
            received_at = _received_at(form.received_at, moment)
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
            # day 1 is the first working day after receipt, whatever day receipt was (§1)
            answer_due_on=calendar.add_working_days(received_on, Clocks.NOTICE.working_days),
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
        return await _finish(
            session,
            RequestRecord(request),
            calendar,
            action=Action.FILE,
            status=Status.SUBMITTED,
            viewer=viewer,
            at=received_at,
            note=note,
            detail={"channel": channel, "dueOn": request.answer_due_on.isoformat()},
        )


def _delivery_form(value: str) -> DeliveryForm:
    try:
        return DeliveryForm(value)
    except ValueError:
        raise BadUserInput(
            "Bentuk informasi tidak dikenal.", "Unknown delivery form.", field="deliveryForm"
        ) from None


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
        name=_optional_text(given.name, "requester.name", limit=200),
        identity_number=_optional_text(given.identity_number, "requester.identityNumber", limit=40),
        address=_optional_text(given.address, "requester.address"),
        phone=_optional_text(given.phone, "requester.phone", limit=40),
        email=_optional_text(given.email, "requester.email", limit=320),
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


# ------------------------------------------------------------------------------ PPID steps


async def extend_request(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> RequestRecord:
    """Once, with a written reason, before the 10 days run out: +7 on the deadline (Pasal 22(8))."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        request = record.request
        if not viewer.is_officer_of(request.agency_id):
            raise _forbidden_for_agency()
        after = next_status(Action.EXTEND, Status(request.status))
        written_reason = _text(reason, "reason")
        if is_past(request.answer_due_on, moment):
            raise DeadlinePassed(
                f"Batas 10 hari kerja sudah lewat ({request.answer_due_on.isoformat()}); "
                "perpanjangan harus diberikan sebelumnya.",
                f"The 10 working days ended on {request.answer_due_on.isoformat()}; "
                "an extension must be given before then.",
            )
        request.answer_due_on = calendar.add_working_days(
            request.answer_due_on, Clocks.EXTENSION.working_days
        )
        request.extended = True
        request.extension_reason = written_reason
        return await _finish(
            session,
            record,
            calendar,
            action=Action.EXTEND,
            status=after,
            viewer=viewer,
            at=moment,
            note=written_reason,
            detail={"dueOn": request.answer_due_on.isoformat()},
        )


async def answer_request(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    decision: str,
    answer: str,
    exemptions: Sequence[str] = (),
    consequence_test: str | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    """The written notice (Pasal 22(7)); withholding cites Pasal 17 and a consequence test."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        request = record.request
        if not viewer.is_officer_of(request.agency_id):
            raise _forbidden_for_agency()
        after = next_status(Action.ANSWER, Status(request.status))
        try:
            chosen = Decision(decision)
        except ValueError:
            raise BadUserInput(
                "Keputusan tidak dikenal.", "Unknown decision.", field="decision"
            ) from None
        notice = _text(answer, "answer")
        bases = _exemption_bases(exemptions)
        test: str | None = None
        if chosen in DECISIONS_WITHHOLDING:
            if not bases:
                raise BadUserInput(
                    "Penolakan (seluruh atau sebagian) wajib menyebut dasar Pasal 17.",
                    "A refusal or partial grant must cite its Pasal 17 bases.",
                    field="exemptions",
                )
            test = _text(consequence_test, "consequenceTest")
        elif bases:
            raise BadUserInput(
                "Dasar pengecualian hanya untuk keputusan ditolak atau diberikan sebagian.",
                "Exemption bases belong only to a refusal or a partial grant.",
                field="exemptions",
            )
        late = is_past(request.answer_due_on, moment)
        request.decision = chosen.value
        request.answer = notice
        request.exemptions_cited = list(bases)
        request.consequence_test = test
        request.answered_at = moment
        request.answered_on = regency_date(moment)
        request.answered_late = late
        return await _finish(
            session,
            record,
            calendar,
            action=Action.ANSWER,
            status=after,
            viewer=viewer,
            at=moment,
            note=notice,
            detail={"decision": chosen.value, "exemptions": list(bases), "late": late},
        )


def _exemption_bases(given: Sequence[str]) -> list[str]:
    bases: list[str] = []
    for basis in given:
        if basis not in EXEMPTION_BASES:
            raise BadUserInput(
                "Dasar pengecualian tidak dikenal (PASAL_17A sampai PASAL_17J).",
                "Unknown exemption basis (PASAL_17A to PASAL_17J).",
                field="exemptions",
            )
        if basis not in bases:
            bases.append(basis)
    return bases


async def withdraw_request(
    services: Services, viewer: Viewer | None, request_id: int, *, now: datetime | None = None
) -> RequestRecord:
    """The requester may withdraw at any stage before the dispute; the record stays."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        _require_requester_side(viewer, record.request)
        after = next_status(Action.WITHDRAW, Status(record.request.status))
        record.request.withdrawn_at = moment
        return await _finish(
            session,
            record,
            calendar,
            action=Action.WITHDRAW,
            status=after,
            viewer=viewer,
            at=moment,
            note="Dicabut oleh pemohon / Withdrawn by the requester",
        )


def _require_requester_side(viewer: Viewer, request: InformationRequest) -> None:
    """The requester themself; for a walk-in without an account, an officer records it for them."""
    if request.requester_user_id is not None:
        if viewer.user_id == request.requester_user_id:
            return
    elif viewer.is_officer_of(request.agency_id):
        return
    raise Forbidden(
        "Hanya pemohon yang dapat melakukan ini.",
        "Only the requester may do this.",
    )


# ------------------------------------------------------------------------------ objection


async def file_objection(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    grounds: Sequence[str],
    reason: str,
    now: datetime | None = None,
) -> RequestRecord:
    """The keberatan (Pasal 35): every ground must have arisen, and its window be open."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        request = record.request
        _require_requester_side(viewer, request)
        after = next_status(Action.FILE_OBJECTION, Status(request.status))
        chosen = _objection_grounds(grounds)
        written_reason = _text(reason, "reason")
        for ground in chosen:
            arose_on = _ground_arose_on(ground, request, moment)
            if arose_on is None:
                continue  # ANY_TIME: no window (our rule)
            window_end = calendar.add_working_days(arose_on, Clocks.OBJECTION_FILING.working_days)
            if is_past(window_end, moment):
                raise DeadlinePassed(
                    f"Batas 30 hari kerja untuk keberatan berakhir {window_end.isoformat()}.",
                    f"The 30 working days to object ended on {window_end.isoformat()}.",
                    field="grounds",
                )
        filed_on = regency_date(moment)
        record.objection = Objection(
            request_id=request.id,
            grounds=[ground.value for ground in chosen],
            reason=written_reason,
            filed_at=moment,
            filed_on=filed_on,
            due_on=calendar.add_working_days(filed_on, Clocks.OBJECTION_ANSWER.working_days),
        )
        session.add(record.objection)
        await session.flush()
        return await _finish(
            session,
            record,
            calendar,
            action=Action.FILE_OBJECTION,
            status=after,
            viewer=viewer,
            at=moment,
            note=written_reason,
            detail={"grounds": [ground.value for ground in chosen]},
        )


def _objection_grounds(given: Sequence[str]) -> list[ObjectionGround]:
    chosen: list[ObjectionGround] = []
    for value in given:
        try:
            ground = ObjectionGround(value)
        except ValueError:
            raise BadUserInput(
                "Alasan keberatan tidak dikenal.", "Unknown objection ground.", field="grounds"
            ) from None
        if ground not in chosen:
            chosen.append(ground)
    if not chosen:
        raise BadUserInput(
            "Sebutkan sedikitnya satu alasan keberatan (Pasal 35 ayat 1).",
            "Give at least one objection ground (Pasal 35(1)).",
            field="grounds",
        )
    return chosen


def _ground_arose_on(
    ground: ObjectionGround, request: InformationRequest, now: datetime
) -> date | None:
    """The day the ground arose (its window counts from the next working day).

    None for a ground that may be raised at any time; BAD_USER_INPUT if it has not arisen.
    """
    rule = OBJECTION_GROUNDS[ground]
    if rule.arises is GroundArises.ANY_TIME:
        return None
    if rule.arises is GroundArises.ON_NOTICE:
        decision = Decision(request.decision) if request.decision else None
        if (
            request.answered_on is not None
            and decision is not None
            and (rule.decisions is None or decision in rule.decisions)
        ):
            return request.answered_on
    elif rule.arises is GroundArises.ON_DEADLINE_MISSED:
        # our rule: the ground arises with the end of the due day, so the window's day 1 is
        # the first working day after the missed deadline
        if (request.answered_at is None or request.answered_late) and is_past(
            request.answer_due_on, now
        ):
            return request.answer_due_on
    elif rule.arises is GroundArises.ON_LATE_NOTICE and request.answered_late:
        return request.answered_on
    raise BadUserInput(
        f"Alasan keberatan '{rule.label_id}' (Pasal 35 ayat 1 huruf {rule.letter}) belum timbul.",
        f"The objection ground '{rule.label_en}' (Pasal 35(1)({rule.letter})) has not arisen.",
        field="grounds",
    )


async def answer_objection(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    outcome: str,
    answer: str,
    now: datetime | None = None,
) -> RequestRecord:
    """The superior's written answer (Pasal 36): upheld, or rejected with reasons."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        request = record.request
        superior = viewer.role in (Role.SUPERIOR, Role.ADMIN) and viewer.acts_for(request.agency_id)
        if not superior:
            raise Forbidden(
                "Hanya atasan PPID badan publik ini yang menanggapi keberatan.",
                "Only the PPID's superior of this public body answers an objection.",
            )
        after = next_status(Action.ANSWER_OBJECTION, Status(request.status))
        try:
            chosen = ObjectionOutcome(outcome)
        except ValueError:
            raise BadUserInput(
                "Hasil keberatan tidak dikenal.", "Unknown objection outcome.", field="outcome"
            ) from None
        written_answer = _text(answer, "answer")
        objection = record.objection
        assert objection is not None  # OBJECTION_FILED always has its objection
        objection.outcome = chosen.value
        objection.answer = written_answer
        objection.answered_at = moment
        objection.answered_on = regency_date(moment)
        return await _finish(
            session,
            record,
            calendar,
            action=Action.ANSWER_OBJECTION,
            status=after,
            viewer=viewer,
            at=moment,
            note=written_answer,
            detail={"outcome": chosen.value, "late": is_past(objection.due_on, moment)},
        )


# ------------------------------------------------------------------------------ dispute


async def record_dispute(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    filed_on: date,
    case_number: str | None = None,
    now: datetime | None = None,
) -> RequestRecord:
    """An officer records the requester's dispute at the Komisi Informasi (Pasal 37)."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        request = record.request
        if not viewer.is_officer_of(request.agency_id):
            raise _forbidden_for_agency()
        current = Status(request.status)
        after = next_status(Action.RECORD_DISPUTE, current)
        objection = record.objection
        assert objection is not None  # both allowed stages come after an objection
        if current is Status.OBJECTION_FILED:
            if not is_past(objection.due_on, moment):
                raise invalid_transition(
                    Action.RECORD_DISPUTE,
                    current,
                    f" Atasan PPID masih dapat menanggapi sampai {objection.due_on.isoformat()}.",
                    f" The superior may still answer until {objection.due_on.isoformat()}.",
                )
            window_start = objection.due_on
        else:
            assert objection.answered_on is not None
            window_start = objection.answered_on
        if filed_on > regency_date(moment) or filed_on < window_start:
            raise BadUserInput(
                "Tanggal pengajuan sengketa harus setelah tanggapan atasan (atau batasnya) dan "
                "tidak di masa depan.",
                "The dispute's filing date must fall after the superior's answer (or its "
                "deadline) and not in the future.",
                field="filedOn",
            )
        window_end = calendar.add_working_days(window_start, Clocks.DISPUTE_FILING.working_days)
        if filed_on > window_end:
            raise DeadlinePassed(
                f"Batas 14 hari kerja untuk sengketa berakhir {window_end.isoformat()}.",
                f"The 14 working days to file a dispute ended on {window_end.isoformat()}.",
                field="filedOn",
            )
        record.dispute = Dispute(
            request_id=request.id,
            filed_on=filed_on,
            case_number=_optional_text(case_number, "caseNumber", limit=120),
            recorded_at=moment,
        )
        session.add(record.dispute)
        await session.flush()
        return await _finish(
            session,
            record,
            calendar,
            action=Action.RECORD_DISPUTE,
            status=after,
            viewer=viewer,
            at=moment,
            note=record.dispute.case_number,
            detail={"filedOn": filed_on.isoformat()},
        )


async def record_dispute_outcome(
    services: Services,
    viewer: Viewer | None,
    request_id: int,
    *,
    outcome: str,
    decided_on: date,
    now: datetime | None = None,
) -> RequestRecord:
    """An officer records the Commission's decision (mediation or adjudication)."""
    viewer = _require_viewer(viewer)
    moment = _now(now)
    calendar = _calendar(services)
    async with services.database.write() as session:
        record = await _locked_record(session, request_id)
        request = record.request
        if not viewer.is_officer_of(request.agency_id):
            raise _forbidden_for_agency()
        after = next_status(Action.RECORD_DISPUTE_OUTCOME, Status(request.status))
        written_outcome = _text(outcome, "outcome")
        dispute = record.dispute
        assert dispute is not None  # DISPUTE_FILED always has its dispute
        if decided_on < dispute.filed_on or decided_on > regency_date(moment):
            raise BadUserInput(
                "Tanggal putusan harus antara tanggal pengajuan sengketa dan hari ini.",
                "The decision date must fall between the dispute's filing and today.",
                field="decidedOn",
            )
        dispute.outcome = written_outcome
        dispute.decided_on = decided_on
        return await _finish(
            session,
            record,
            calendar,
            action=Action.RECORD_DISPUTE_OUTCOME,
            status=after,
            viewer=viewer,
            at=moment,
            note=written_outcome,
            detail={"decidedOn": decided_on.isoformat()},
        )
