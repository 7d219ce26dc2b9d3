"""An upheld objection on ground f (an unreasonable fee, Pasal 35(1)(f)) sets the fee anew.

The superior who upholds it states the fee that may be charged instead (0: none). From then on
the request's fee (`fee_amount`: pages, API, report) is the revised one; the notice's original
is kept in `fee_original_amount`, and the objection records what its answer set.
"""

from __future__ import annotations

from opendata.errors import BadUserInput
from opendata.information_requests.models import InformationRequest, Objection
from opendata.information_requests.rules import (
    MAX_FEE_RUPIAH,
    OBJECTION_OUTCOMES_ORDERING_DISCLOSURE,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.information_requests.validation import not_given


def revise_fee(
    request: InformationRequest,
    objection: Objection,
    outcome: ObjectionOutcome,
    revised_fee: int | None,
) -> None:
    """Check and apply the superior's revised fee; refused where it does not belong."""
    if revised_fee is None:
        return
    fee_objection = ObjectionGround.UNREASONABLE_FEE.value in objection.grounds
    if outcome not in OBJECTION_OUTCOMES_ORDERING_DISCLOSURE or not fee_objection:
        not_given(
            revised_fee,
            "revisedFee",
            "hanya untuk keberatan atas biaya (Pasal 35 ayat 1 huruf f) yang diterima",
            "only for an upheld objection to the fee (Pasal 35(1)(f))",
        )
    current = request.fee_amount or 0
    if not 0 <= revised_fee <= min(current, MAX_FEE_RUPIAH):
        raise BadUserInput(
            f"Biaya baru harus antara 0 dan biaya semula (Rp{current}).",
            f"The revised fee must be between 0 and the fee charged (Rp{current}).",
            field="revisedFee",
        )
    if request.fee_original_amount is None:
        request.fee_original_amount = request.fee_amount
    request.fee_amount = revised_fee
    objection.revised_fee = revised_fee
