"""Letters from the stored request, without queries: the caller loads the rows, this maps them."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from opendata.calendar import WorkingCalendar
from opendata.db.models import Agency
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.rules import (
    Clocks,
    Decision,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.letters.documents import (
    ExtensionNotice,
    Fee,
    Letterhead,
    ObjectionAnswer,
    ObjectionReceipt,
    Requester,
    RequestReceipt,
    Signatory,
    WrittenNotice,
)
from opendata.regency_time import regency_today


def letterhead_for(agency: Agency) -> Letterhead:
    return Letterhead(agency_name=agency.name, contact=agency.website or "")


def requester_of(request: InformationRequest) -> Requester:
    return Requester(
        name=request.requester_name,
        address=request.requester_address,
        phone=request.requester_phone,
        email=request.requester_email,
    )


_Letter = TypeVar(
    "_Letter", RequestReceipt, WrittenNotice, ExtensionNotice, ObjectionReceipt, ObjectionAnswer
)


def _letter(
    kind: type[_Letter],
    request: InformationRequest,
    agency: Agency,
    signatory: Signatory,
    issued_on: date,
    **facts: Any,
) -> _Letter:
    """A letter with the heading every letter takes from the request: who, to whom, which."""
    return kind(
        letterhead=letterhead_for(agency),
        signatory=signatory,
        registration_number=request.registration_number,
        requester=requester_of(request),
        issued_on=issued_on,
        **facts,
    )


def _objection_facts(objection: Objection) -> dict[str, Any]:
    """What a letter about an objection names: its number, when it was filed, on which grounds."""
    return {
        "objection_number": objection.registration_number,
        "filed_on": objection.filed_on,
        "grounds": tuple(ObjectionGround(ground) for ground in objection.grounds),
    }


def receipt_for(
    request: InformationRequest, agency: Agency, signatory: Signatory
) -> RequestReceipt:
    return _letter(
        RequestReceipt,
        request,
        agency,
        signatory,
        request.received_on,
        received_on=request.received_on,
        information_requested=request.information_requested,
        purpose=request.purpose,
        delivery_form=request.delivery_form,
        due_on=request.answer_due_on,
    )


def notice_for(request: InformationRequest, agency: Agency, signatory: Signatory) -> WrittenNotice:
    if request.decision is None:
        raise ValueError("the request has no written notice yet")
    return _letter(
        WrittenNotice,
        request,
        agency,
        signatory,
        request.answered_on or regency_today(),
        received_on=request.received_on,
        information_requested=request.information_requested,
        decision=Decision(request.decision),
        answer=request.answer or "",
        bases=tuple(request.exemptions_cited),
        consequence_test=request.consequence_test,
        fee=Fee(request.fee_amount, request.fee_basis or "") if request.fee_amount else None,
        delivery_form=request.delivery_form,
        held_by=request.held_by,
        expected_on=request.expected_on,
    )


def extension_for(
    request: InformationRequest,
    agency: Agency,
    signatory: Signatory,
    calendar: WorkingCalendar,
    issued_on: date | None = None,
) -> ExtensionNotice:
    return _letter(
        ExtensionNotice,
        request,
        agency,
        signatory,
        issued_on or regency_today(),
        received_on=request.received_on,
        information_requested=request.information_requested,
        reason=request.extension_reason or "",
        previous_due_on=calendar.add_working_days(request.received_on, Clocks.NOTICE.working_days),
        due_on=request.answer_due_on,
    )


def objection_receipt_for(
    request: InformationRequest, objection: Objection, agency: Agency, signatory: Signatory
) -> ObjectionReceipt:
    return _letter(
        ObjectionReceipt,
        request,
        agency,
        signatory,
        objection.filed_on,
        **_objection_facts(objection),
        reason=objection.reason,
        due_on=objection.due_on,
    )


def objection_answer_for(
    request: InformationRequest, objection: Objection, agency: Agency, signatory: Signatory
) -> ObjectionAnswer:
    if objection.outcome is None:
        raise ValueError("the objection has no answer yet")
    return _letter(
        ObjectionAnswer,
        request,
        agency,
        signatory,
        objection.answered_on or regency_today(),
        **_objection_facts(objection),
        outcome=ObjectionOutcome(objection.outcome),
        answer=objection.answer or "",
    )
