"""What a requester takes home (issue 24): the receipt (tanda bukti penerimaan) as a page to
print, and the same letter as PDF. Both are the receipt letter issued when the request was
filed (`letters.service.letter_for`, which lets only the requester and the agency's staff
see it); nothing here restates what the letter says."""

from __future__ import annotations

from starlette.responses import Response

from opendata.information_requests.letter_models import LetterKind
from opendata.information_requests.rules import DELIVERY_FORM_LABELS, DeliveryForm
from opendata.letters.documents import RequestReceipt
from opendata.letters.service import letter_for
from opendata.portal.page import Page, page
from opendata.portal.pages.staff_act import letter_pdf_response
from opendata.urls import numbered


@page
async def receipt(current: Page) -> Response:
    """The receipt to print (`?format=pdf`: the official letter as PDF)."""
    params = current.request.path_params
    number = f"{params['agency']}/{params['year']}/{params['number']}"
    letter = await letter_for(current.services, current.visitor.viewer, number, LetterKind.RECEIPT)
    assert isinstance(letter, RequestReceipt)
    if current.request.query_params.get("format") == "pdf":
        return await letter_pdf_response(letter)
    return current.render(
        "receipt.html",
        letter=letter,
        delivery_form=DELIVERY_FORM_LABELS[DeliveryForm(letter.delivery_form)],
        request_path=current.url("request", **numbered(number)),
    )
