"""`/petugas/permohonan/<AGENCY>/<YEAR>/<NUMBER>`: an officer acts on one request.

The page offers a form for exactly the steps `allowed_actions` gives this viewer now, posts
them to the same domain functions GraphQL calls, and redirects (POST-redirect-GET). Domain
refusals of the input come back on the page in the officer's language, with what they typed;
refusals of the person (another agency, a requester, nobody signed in) are the staff guard's
401/403 and show nothing of the request. The official letters are PDFs for the agency's staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from opendata.accounts.viewer import Viewer
from opendata.attachments import steps as attachment_steps
from opendata.attachments.models import AttachmentStage
from opendata.attachments.rules import (
    FILE_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_FILES_PER_UPLOAD,
    MAX_UPLOAD_BYTES,
)
from opendata.attachments.service import UploadedFile
from opendata.calendar import regency_date
from opendata.errors import BadUserInput, DomainError, Forbidden, not_found
from opendata.information_requests import service
from opendata.information_requests.deadlines import deadline_view
from opendata.information_requests.lifecycle import Action
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.privacy import can_see_requester
from opendata.information_requests.rules import (
    COURT_FILER_LABELS,
    COURT_OUTCOME_LABELS,
    DECISION_LABELS,
    DECISIONS_GIVING,
    DELIVERY_FORM_LABELS,
    DISPUTE_OUTCOME_LABELS,
    NOTICE_CONTENTS,
    OBJECTION_GROUNDS,
    OBJECTION_OUTCOME_LABELS,
    Clocks,
    Decision,
)
from opendata.letters.documents import Letter
from opendata.letters.render import filename, letter_pdf_async
from opendata.letters.service import LetterKind, letter_for, letters_of
from opendata.portal import api_queries
from opendata.portal.page import (
    ApiLink,
    Page,
    form_date,
    form_rupiah,
    form_text,
    page,
    shown_beside_the_form,
)
from opendata.portal.pages.requests import LABELS, withdrawal_page
from opendata.portal.pages.staff_queue import has_route
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.public_ids import to_global_id
from opendata.resolvers import attachments as resolve_attachments
from opendata.resolvers import catalogue as catalogue_resolvers
from opendata.resolvers import requests as resolve
from opendata.urls import numbered, path
from opendata.visibility.rules import BASES
from opendata.web.attachments import content_disposition

LETTER_LABELS = {
    LetterKind.RECEIPT: ("Tanda bukti penerimaan permohonan", "Request receipt"),
    LetterKind.EXTENSION: ("Pemberitahuan perpanjangan waktu", "Extension notice"),
    LetterKind.NOTICE: ("Surat pemberitahuan tertulis", "Written notice"),
    LetterKind.OBJECTION_RECEIPT: ("Tanda bukti penerimaan keberatan", "Objection receipt"),
    LetterKind.OBJECTION_ANSWER: ("Tanggapan atas keberatan", "Answer to the objection"),
}
STAGE_LABELS = {
    AttachmentStage.REQUEST.value: ("Permohonan", "Request"),
    AttachmentStage.NOTICE.value: ("Pemberitahuan tertulis", "Written notice"),
    AttachmentStage.FULFILMENT.value: ("Pemberian informasi", "Fulfilment"),
    AttachmentStage.OBJECTION_ANSWER.value: ("Tanggapan keberatan", "Objection answer"),
}
# the form fields a domain error's `field` names, so the page can say which one to fix
FIELD_LABELS = {
    "reason": ("Alasan", "Reason"),
    "decision": ("Keputusan", "Decision"),
    "answer": ("Isi pemberitahuan", "Text of the notice"),
    "exemptions": ("Dasar Pasal 17", "Pasal 17 basis"),
    "consequenceTest": ("Uji konsekuensi", "Consequence test"),
    "exemptionExpiresOn": ("Dikecualikan sampai", "Withheld until"),
    "decisionReference": ("Nomor keputusan PPID", "PPID decision reference"),
    "fee": ("Biaya", "Fee"),
    "fee.amount": ("Biaya", "Fee"),
    "fee.basis": ("Dasar biaya", "What the fee pays for"),
    "heldBy": ("Badan publik yang menguasai", "Body that holds it"),
    "expectedOn": ("Tersedia pada", "Available on"),
    "deliverBy": ("Diserahkan paling lambat", "To be delivered by"),
    "attachments": ("Lampiran", "Attachments"),
    "files": ("Lampiran", "Attachments"),
    "deliveredOn": ("Tanggal pemberian", "Date given"),
    "form": ("Bentuk informasi", "Form given"),
    "filedOn": ("Tanggal pengajuan sengketa", "Date the dispute was filed"),
    "decidedOn": ("Tanggal putusan", "Date of the decision"),
    "outcome": ("Putusan", "Outcome"),
    "receivedOn": ("Tanggal putusan diterima", "Date the decision was received"),
    "filedBy": ("Penggugat", "Party filing"),
    "court": ("Pengadilan", "Court"),
    "caseNumber": ("Nomor perkara", "Case number"),
}
# what each POSTed `action` is called after it succeeded (`?done=`), for the message shown
DONE = {
    "extend",
    "answer",
    "fulfil",
    "dispute",
    "dispute_outcome",
    "publish",
    "withdraw",
    "object",
    "court_case",
    "court_decision",
}


# the steps this page has a form for (ANSWER_OBJECTION: a link to the objections page)
FORMS_HERE = frozenset(
    {
        Action.ANSWER,
        Action.EXTEND,
        Action.RECORD_FULFILMENT,
        Action.RECORD_DISPUTE,
        Action.RECORD_DISPUTE_OUTCOME,
        Action.WITHDRAW,
        Action.FILE_OBJECTION,
        Action.RECORD_COURT_CASE,
        Action.RECORD_COURT_DECISION,
    }
)
# what the forms offer: the law's tables and the attachments' limits, the same for every page
FORM_OPTIONS: dict[str, Any] = {
    "stage_labels": STAGE_LABELS,
    "labels": LABELS,
    "decisions": list(Decision),
    "decision_labels": DECISION_LABELS,
    "bases": list(BASES.values()),
    "delivery_labels": DELIVERY_FORM_LABELS,
    "dispute_outcomes": DISPUTE_OUTCOME_LABELS,
    "objection_outcomes": OBJECTION_OUTCOME_LABELS,
    "court_filers": COURT_FILER_LABELS,
    "court_outcomes": COURT_OUTCOME_LABELS,
    "extension_days": Clocks.EXTENSION.working_days,
    "accept": ",".join("." + extension for extension in FILE_TYPES),
    "file_types": ", ".join(sorted(FILE_TYPES)),
    "max_file_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
    "max_files": MAX_FILES_PER_UPLOAD,
}


def registration_number(current: Page) -> str:
    params = current.request.path_params
    return f"{params['agency']}/{params['year']}/{params['number']}"


async def _load(current: Page) -> tuple[Viewer, InformationRequest]:
    """The request, for staff who act for its agency (admins read it, without personal data)."""
    viewer = staff_viewer(current)
    number = registration_number(current)
    found = await resolve.request_by_number(current.scope, number)
    if found is None:
        raise not_found("Permohonan", "Request", number, field="number")
    if not viewer.acts_for(found.agency_id):
        raise Forbidden(
            "Permohonan ini milik badan publik lain.",
            "This request belongs to another public body.",
        )
    return viewer, found


async def _render(
    current: Page,
    found: InformationRequest,
    status: int = 200,
    problem: DomainError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    scope = current.scope
    calendar = resolve.calendar_of(scope)
    objections = await resolve.objections_of(scope, found.id)
    allowed = await resolve.allowed_actions_on(scope, found)
    done = current.request.query_params.get("done")
    # a walk-in or letter requester without an account: the PPID records their objection
    open_grounds = (
        (await resolve.record_of(scope, found)).open_grounds(calendar, resolve.now())
        if Action.FILE_OBJECTION in allowed
        else []
    )
    # the superior answers objections on their own page (another module), when the app has it
    objections_url = (
        current.url("staff_objections")
        if Action.ANSWER_OBJECTION in allowed and has_route(current, "staff_objections")
        else None
    )
    return current.render(
        "staff_act.html",
        status=status,
        request=found,
        agency=await catalogue_resolvers.agency_by_id(scope, found.agency_id),
        deadline=deadline_view(found.due_on, found.due_party, calendar, resolve.now()),
        timeline=await resolve.timeline_of(scope, found.id),
        objections=objections,
        dispute=await resolve.dispute_of(scope, found.id),
        shows_requester=can_see_requester(current.visitor.viewer, found),
        attachments=await resolve_attachments.attachments_of(scope, found.id),
        attachment_id=lambda attachment: to_global_id(
            resolve_attachments.ATTACHMENT_TYPE, attachment.id
        ),
        may_publish=_is_officer(current, found),
        allowed={action.value for action in allowed if action in FORMS_HERE or objections_url},
        objection_grounds=[(ground, OBJECTION_GROUNDS[ground]) for ground in open_grounds],
        objections_url=objections_url,
        letters=letter_links(found, objections)
        if can_see_requester(current.visitor.viewer, found)
        else [],
        **FORM_OPTIONS,
        today=regency_date(resolve.now()).isoformat(),
        problem=problem,
        problem_field=FIELD_LABELS.get(problem.field or "") if problem else None,
        values=values or {},
        done=done if done in DONE else None,
        path=current.request.url.path,
        api=ApiLink(api_queries.REQUEST, {"number": found.registration_number}),
    )


def _is_officer(current: Page, found: InformationRequest) -> bool:
    viewer = current.visitor.viewer
    return viewer is not None and viewer.is_officer_of(found.agency_id)


@page
async def act_page(current: Page) -> Response:
    """The request with the requester's details and the forms of the steps open now."""
    _, found = await _load(current)
    return await _render(current, found)


# ------------------------------------------------------------------------------ the POST


def _optional(form: FormData, name: str) -> str | None:
    return form_text(form, name) or None


def _date(form: FormData, name: str, field: str, required: bool = False) -> date | None:
    raw = form_text(form, name)
    if not raw and required:
        raise BadUserInput("Tanggal wajib diisi.", "The date is required.", field=field)
    return form_date(raw, field)


def _required_date(form: FormData, name: str, field: str) -> date:
    given = _date(form, name, field, required=True)
    assert given is not None
    return given


def _fee(form: FormData) -> service.Fee | None:
    amount = form_rupiah(form_text(form, "fee_amount"), "fee")
    if not amount:
        return None
    payment = form_text(form, "fee_payment") or None
    return service.Fee(amount, form_text(form, "fee_basis"), payment)


async def _files(form: FormData) -> list[UploadedFile]:
    """The chosen files; a file input left empty posts a nameless empty part, skipped."""
    chosen = [
        part
        for part in form.getlist("attachments")
        if isinstance(part, UploadFile) and (part.filename or part.size)
    ]
    return await resolve_attachments.uploaded(chosen)


async def _answer(current: Page, viewer: Viewer, found: InformationRequest, form: FormData) -> None:
    decision = form_text(form, "decision")
    # fields that do not belong to the chosen decision are ignored, not refused: the form
    # shows them all (no script), and an officer may change their mind before sending
    content = NOTICE_CONTENTS.get(Decision(decision)) if decision in Decision.__members__ else None
    withholding = bool(content and content.requires_bases)
    giving = decision in Decision.__members__ and Decision(decision) in DECISIONS_GIVING
    await attachment_steps.answer_request(
        current.services,
        viewer,
        found.id,
        decision=decision,
        answer=form_text(form, "answer"),
        exemptions=[b for b in form.getlist("exemptions") if isinstance(b, str)]
        if withholding
        else (),
        consequence_test=_optional(form, "consequence_test") if withholding else None,
        exemption_expires_on=_date(form, "exemption_expires_on", "exemptionExpiresOn")
        if withholding
        else None,
        decision_reference=_optional(form, "decision_reference") if withholding else None,
        fee=_fee(form) if content and content.may_charge_fee else None,
        held_by=_optional(form, "held_by") if content and content.requires_held_by else None,
        expected_on=_date(form, "expected_on", "expectedOn")
        if content and content.requires_expected_on
        else None,
        deliver_by=_date(form, "deliver_by", "deliverBy") if giving else None,
        attachments=await _files(form),
    )


def _court_form(action: str, form: FormData) -> service.CourtFiling | service.CourtDecision:
    """Either party's court case against the Commission's decision, or the court's decision."""
    if action == "court_case":
        return service.CourtFiling(
            form_text(form, "filed_by"),
            form_text(form, "court"),
            form_text(form, "case_number"),
            _required_date(form, "filed_on", "filedOn"),
        )
    return service.CourtDecision(
        form_text(form, "outcome"),
        _required_date(form, "decided_on", "decidedOn"),
        _optional(form, "summary"),
    )


async def _publish(current: Page, form: FormData) -> None:
    public = form_text(form, "public") == "1"
    await resolve_attachments.publish(current.scope, form_text(form, "attachment"), public)


async def _take(
    current: Page, viewer: Viewer, found: InformationRequest, action: str, form: FormData
) -> None:
    services = current.services
    if action == "extend":
        await service.extend_request(services, viewer, found.id, form_text(form, "reason"))
    elif action == "answer":
        await _answer(current, viewer, found, form)
    elif action == "fulfil":
        await attachment_steps.record_fulfilment(
            services,
            viewer,
            found.id,
            delivered_on=_required_date(form, "delivered_on", "deliveredOn"),
            form=form_text(form, "form"),
            note=_optional(form, "note"),
            attachments=await _files(form),
        )
    elif action == "dispute":
        await service.record_dispute(
            services,
            viewer,
            found.id,
            filed_on=_required_date(form, "filed_on", "filedOn"),
            case_number=_optional(form, "case_number"),
        )
    elif action == "dispute_outcome":
        await service.record_dispute_outcome(
            services,
            viewer,
            found.id,
            outcome=form_text(form, "outcome"),
            decided_on=_required_date(form, "decided_on", "decidedOn"),
            summary=_optional(form, "summary"),
            received_on=_date(form, "received_on", "receivedOn"),
        )
    elif action in ("court_case", "court_decision"):
        await service.record_court(services, viewer, found.id, _court_form(action, form))
    elif action == "publish":
        await _publish(current, form)
    elif action == "withdraw":
        await service.withdraw_request(services, viewer, found.id)
    elif action == "object":
        await service.file_objection(
            services,
            viewer,
            found.id,
            grounds=[g for g in form.getlist("grounds") if isinstance(g, str)],
            reason=form_text(form, "reason"),
        )
    else:
        raise BadUserInput("Tindakan tidak dikenal.", "Unknown action.", field="action")


@page
async def act(current: Page) -> Response:
    """One step from the act page; back to the page with what happened (or what to fix)."""
    viewer, found = await _load(current)
    form = await checked_form(
        current.request,
        current.visitor,
        max_files=MAX_FILES_PER_UPLOAD,
        max_bytes=MAX_UPLOAD_BYTES,
    )
    action = form_text(form, "action")
    if action == "withdraw" and form.get("confirmed") != "yes":
        if Action.WITHDRAW not in await resolve.allowed_actions_on(current.scope, found):
            await service.withdraw_request(current.services, viewer, found.id)  # its refusal
        return withdrawal_page(current, found, by_staff=True)
    try:
        await _take(current, viewer, found, action, form)
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        values: dict[str, Any] = {
            key: value for key, value in form.multi_items() if isinstance(value, str)
        }
        values["exemptions"] = [b for b in form.getlist("exemptions") if isinstance(b, str)]
        return await _render(current, found, status=400, problem=error, values=values)
    return current.redirect(f"{current.request.url.path}?done={action}")


# ------------------------------------------------------------------------------ letters


@dataclass(frozen=True)
class LetterLink:
    """One issued letter on the page: its name (with the objection's number) and address."""

    label_id: str
    label_en: str
    href: str


def letter_links(found: InformationRequest, objections: list[Objection]) -> list[LetterLink]:
    """Every letter of the request, each objection's receipt and answer on their own."""
    links = []
    for kind, objection in letters_of(found, objections):
        label_id, label_en = LETTER_LABELS[kind]
        about = f" {objection.registration_number}" if objection else ""
        href = path(
            "staff_letter",
            **numbered(found.registration_number),
            kind=kind.value.lower(),
            keberatan=objection.registration_number if objection else None,
        )
        links.append(LetterLink(label_id + about, label_en + about, href))
    return links


@page
async def letter(current: Page) -> Response:
    """An official letter of the request as PDF, for the agency's officers and superiors: the
    letter as issued with its step, signed by whoever took it (not by whoever downloads it).
    An objection's letters name the objection: `?keberatan=<its register number>`."""
    viewer, _ = await _load(current)  # the same refusals as the act page
    raw_kind = current.request.path_params["kind"].upper()
    if raw_kind not in LetterKind.__members__:
        raise not_found("Surat", "Letter", raw_kind.lower(), field="kind")
    built = await letter_for(
        current.services,
        viewer,
        registration_number(current),
        LetterKind(raw_kind),
        current.request.query_params.get("keberatan"),
    )
    return await letter_pdf_response(built)


async def letter_pdf_response(built: Letter) -> Response:
    """A letter as its PDF file, private to whoever may see it (the requester's receipt too)."""
    return Response(
        await letter_pdf_async(built),
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(filename(built)),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
