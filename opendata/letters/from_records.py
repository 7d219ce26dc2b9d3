"""Letters from the letter as issued and the stored request, without queries.

The issued row (information_requests/letter_models.py) gives what was fixed when the step
happened: the number, the date, the addressee, the signatory, the letterhead and the dates
the letter states. The request and its objection give the rest (what was asked, decided or
objected to), which no later step changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from opendata.information_requests.letter_models import IssuedLetter, LetterKind
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.notice import Fee
from opendata.information_requests.rules import Decision, ObjectionGround, ObjectionOutcome
from opendata.letters.documents import (
    ExtensionNotice,
    Letter,
    Letterhead,
    ObjectionAnswer,
    ObjectionReceipt,
    Requester,
    RequestReceipt,
    Signatory,
    WrittenNotice,
)


def letterhead_of(issued: IssuedLetter) -> Letterhead:
    """The kop surat as the agency was when the letter was issued."""
    head = issued.letterhead
    contact = (
        f"Telp. {head['phone']}" if head.get("phone") else None,
        f"Surel: {head['email']}" if head.get("email") else None,
        head.get("website"),
    )
    return Letterhead(
        agency_name=head["name"],
        address=head.get("address") or "",
        contact=" · ".join(part for part in contact if part),
    )


def signatory_of(issued: IssuedLetter) -> Signatory | None:
    if issued.signatory_name is None:
        return None
    return Signatory(
        issued.signatory_name, issued.signatory_title or "", issued.signatory_employee_number
    )


def requester_of(issued: IssuedLetter, request: InformationRequest) -> Requester:
    """The addressee as the letter names them, and how to reach them."""
    return Requester(
        name=issued.addressee_name,
        address=issued.addressee_address,
        phone=request.requester_phone,
        email=request.requester_email,
    )


_Letter = TypeVar(
    "_Letter", RequestReceipt, WrittenNotice, ExtensionNotice, ObjectionReceipt, ObjectionAnswer
)


def _letter(
    kind: type[_Letter],
    issued: IssuedLetter,
    request: InformationRequest,
    objection: Objection | None,
    **facts: Any,
) -> _Letter:
    """A letter with the heading every letter takes from its issue (who, to whom, which) and
    what it is about: the request, or one objection to it."""
    return kind(
        letterhead=letterhead_of(issued),
        letter_number=issued.number,
        signatory=signatory_of(issued),
        registration_number=request.registration_number,
        requester=requester_of(issued, request),
        issued_on=issued.issued_on,
        **(_about_objection(objection) if objection else _about_request(request)),
        **facts,
    )


def _stated(issued: IssuedLetter, name: str) -> date:
    """A date the letter stated when it was issued."""
    return date.fromisoformat(issued.facts[name])


def _about_request(request: InformationRequest) -> dict[str, Any]:
    return {
        "received_on": request.received_on,
        "information_requested": request.information_requested,
    }


def _about_objection(objection: Objection) -> dict[str, Any]:
    """What a letter about an objection names: its number, when it was filed, on which grounds."""
    return {
        "objection_number": objection.registration_number,
        "filed_on": objection.filed_on,
        "grounds": tuple(ObjectionGround(ground) for ground in objection.grounds),
    }


def receipt_for(
    issued: IssuedLetter, request: InformationRequest, objection: Objection | None
) -> RequestReceipt:
    """The receipt states the 10 working days as counted at receipt, and an extension given
    since beside it (Pasal 22(7)-(8))."""
    return _letter(
        RequestReceipt,
        issued,
        request,
        None,
        purpose=request.purpose,
        delivery_form=request.delivery_form,
        due_on=_stated(issued, "dueOn"),
        extended_due_on=request.answer_due_on if request.extended else None,
    )


def extension_for(
    issued: IssuedLetter, request: InformationRequest, objection: Objection | None
) -> ExtensionNotice:
    return _letter(
        ExtensionNotice,
        issued,
        request,
        None,
        reason=request.extension_reason or "",
        previous_due_on=_stated(issued, "previousDueOn"),
        due_on=_stated(issued, "dueOn"),
    )


def notice_for(
    issued: IssuedLetter, request: InformationRequest, objection: Objection | None
) -> WrittenNotice:
    assert request.decision is not None  # issued with the notice
    fee_amount = issued.facts.get("feeAmount")
    return _letter(
        WrittenNotice,
        issued,
        request,
        None,
        decision=Decision(request.decision),
        answer=request.answer or "",
        bases=tuple(request.exemptions_cited),
        consequence_test=request.consequence_test,
        fee=Fee(fee_amount, issued.facts.get("feeBasis") or "", issued.facts.get("feePayment"))
        if fee_amount
        else None,
        delivery_form=request.delivery_form,
        held_by=request.held_by,
        expected_on=request.expected_on,
    )


def objection_receipt_for(
    issued: IssuedLetter, request: InformationRequest, objection: Objection | None
) -> ObjectionReceipt:
    assert objection is not None  # issued for one objection
    return _letter(
        ObjectionReceipt,
        issued,
        request,
        objection,
        reason=objection.reason,
        due_on=_stated(issued, "dueOn"),
    )


def objection_answer_for(
    issued: IssuedLetter, request: InformationRequest, objection: Objection | None
) -> ObjectionAnswer:
    assert objection is not None and objection.outcome is not None  # issued with the answer
    return _letter(
        ObjectionAnswer,
        issued,
        request,
        objection,
        outcome=ObjectionOutcome(objection.outcome),
        answer=objection.answer or "",
    )


BUILDERS: dict[
    LetterKind, Callable[[IssuedLetter, InformationRequest, Objection | None], Letter]
] = {
    LetterKind.RECEIPT: receipt_for,
    LetterKind.EXTENSION: extension_for,
    LetterKind.NOTICE: notice_for,
    LetterKind.OBJECTION_RECEIPT: objection_receipt_for,
    LetterKind.OBJECTION_ANSWER: objection_answer_for,
}


def letter_from(
    issued: IssuedLetter, request: InformationRequest, objection: Objection | None
) -> Letter:
    """The document of an issued letter, ready for the renderer."""
    return BUILDERS[LetterKind(issued.kind)](issued, request, objection)
