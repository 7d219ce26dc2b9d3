"""The written notice's contents (Pasal 22(7)): what each decision must and may carry.

A refusal cites Pasal 17 bases and a consequence test (Pasal 19), and under 17a-17f its
period and the PPID's decision (Pasal 20); NOT_HELD names who holds the information;
NOT_YET_DOCUMENTED says when it will exist; a fee is only for copies and delivery of what is
given (Pasal 21). `NOTICE_CONTENTS` in rules.py says which decision needs what.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from opendata.errors import BadUserInput
from opendata.information_requests.rules import (
    FEE_ARTICLE,
    MAX_FEE_RUPIAH,
    NOTICE_CONTENTS,
    Decision,
)
from opendata.information_requests.validation import (
    MAX_SHORT_TEXT,
    not_given,
    one_of,
    optional_text,
    required_text,
)
from opendata.statute import Articles, exemption_article
from opendata.visibility.rules import BASES, ExemptionBasis

MAX_PAYMENT_TEXT = 500  # the column's width


@dataclass(frozen=True)
class Fee:
    amount: int  # rupiah
    basis: str  # what it pays for: copying, postage
    payment: str | None = None  # how to pay: where, to whom, by which means (Pasal 22(7)(g))


@dataclass(frozen=True)
class Notice:
    """The written notice (Pasal 22(7))."""

    decision: str
    answer: str
    exemptions: Sequence[str] = ()
    consequence_test: str | None = None
    exemption_expires_on: date | None = None
    decision_reference: str | None = None
    fee: Fee | None = None
    held_by: str | None = None
    expected_on: date | None = None
    # when giving: the day the notice says the information is given (None: the DELIVERY clock)
    deliver_by: date | None = None


@dataclass(frozen=True)
class CheckedNotice:
    """A notice whose contents fit its decision, ready to be written on the request."""

    decision: Decision
    text: str
    bases: list[str]
    consequence_test: str | None
    exemption_expires_on: date | None
    decision_reference: str | None
    held_by: str | None
    expected_on: date | None
    fee: Fee | None


def checked_notice(form: Notice, today: date) -> CheckedNotice:
    """The notice with what its decision requires (NOTICE_CONTENTS), or BAD_USER_INPUT."""
    decision = one_of(Decision, form.decision, "decision", "Keputusan", "decision")
    content = NOTICE_CONTENTS[decision]
    text = required_text(form.answer, "answer")
    bases = _exemption_bases(form.exemptions)
    test: str | None = None
    expires_on: date | None = None
    reference: str | None = None
    if content.requires_bases:
        if not bases:
            raise BadUserInput(
                f"Penolakan (seluruh atau sebagian) wajib menyebut dasar "
                f"{Articles.EXEMPTIONS.pasal_text}.",
                f"A refusal or partial grant must cite its {Articles.EXEMPTIONS.pasal_text} bases.",
                field="exemptions",
            )
        test = required_text(form.consequence_test, "consequenceTest")
        expires_on, reference = _exemption_period(form, bases, today)
    else:
        if bases:
            raise BadUserInput(
                "Dasar pengecualian hanya untuk keputusan ditolak atau diberikan sebagian.",
                "Exemption bases belong only to a refusal or a partial grant.",
                field="exemptions",
            )
        why = ("hanya untuk penolakan", "only for a refusal or partial grant")
        not_given(form.consequence_test, "consequenceTest", *why)
        not_given(form.exemption_expires_on, "exemptionExpiresOn", *why)
        not_given(form.decision_reference, "decisionReference", *why)
    return CheckedNotice(
        decision=decision,
        text=text,
        bases=bases,
        consequence_test=test,
        exemption_expires_on=expires_on,
        decision_reference=reference,
        held_by=_held_by(form, content.requires_held_by),
        expected_on=_expected_on(form, content.requires_expected_on, today),
        fee=_fee(form.fee, content.may_charge_fee),
    )


def _exemption_bases(given: Sequence[str]) -> list[str]:
    bases: list[str] = []
    for value in given:
        basis = one_of(
            ExemptionBasis,
            value,
            "exemptions",
            "Dasar pengecualian (PASAL_17A sampai PASAL_17J)",
            "exemption basis (PASAL_17A to PASAL_17J)",
        )
        if basis.value not in bases:
            bases.append(basis.value)
    return bases


def _exemption_period(
    form: Notice, bases: list[str], today: date
) -> tuple[date | None, str | None]:
    """Pasal 20: a refusal under 17a-17f is not permanent; it carries its end and the PPID's
    decision (SK PPID), as catalogue exemptions do (opendata/visibility/rules.py `must_expire`)."""
    temporary = [BASES[basis] for basis in bases if BASES[basis].must_expire]
    reference = optional_text(form.decision_reference, "decisionReference", limit=200)
    if not temporary:
        return form.exemption_expires_on, reference
    letters = ", ".join(exemption_article(basis.letter).pasal_text for basis in temporary)
    if form.exemption_expires_on is None:
        raise BadUserInput(
            f"Pengecualian berdasarkan {letters} tidak permanen "
            f"({Articles.NOT_PERMANENT.pasal_text}): `exemptionExpiresOn` wajib diisi.",
            f"Exemptions under {letters} are not permanent ({Articles.NOT_PERMANENT.pasal_text}): "
            "`exemptionExpiresOn` is required.",
            field="exemptionExpiresOn",
        )
    if form.exemption_expires_on <= today:
        raise BadUserInput(
            "`exemptionExpiresOn` harus setelah hari ini.",
            "`exemptionExpiresOn` must be after today.",
            field="exemptionExpiresOn",
        )
    if reference is None:
        raise BadUserInput(
            f"Nomor keputusan PPID (`decisionReference`) wajib untuk pengecualian {letters}.",
            f"The PPID's decision reference (`decisionReference`) is required under {letters}.",
            field="decisionReference",
        )
    return form.exemption_expires_on, reference


def _held_by(form: Notice, required: bool) -> str | None:
    if not required:
        not_given(form.held_by, "heldBy", "hanya untuk NOT_HELD", "only for NOT_HELD")
        return None
    if not (form.held_by or "").strip():
        raise BadUserInput(
            "Keputusan 'tidak dikuasai' wajib menyebut badan publik yang menguasai informasi "
            "(`heldBy`; tulis 'tidak diketahui' bila tidak diketahui) - "
            f"{Articles.NOT_HELD_NAMES_HOLDER}.",
            "A NOT_HELD notice must name the body that holds the information (`heldBy`; "
            f"write 'not known' if unknown) - {Articles.NOT_HELD_NAMES_HOLDER}.",
            field="heldBy",
        )
    return required_text(form.held_by, "heldBy", limit=MAX_SHORT_TEXT)


def _expected_on(form: Notice, required: bool, today: date) -> date | None:
    if not required:
        not_given(
            form.expected_on,
            "expectedOn",
            "hanya untuk NOT_YET_DOCUMENTED",
            "only for NOT_YET_DOCUMENTED",
        )
        return None
    if form.expected_on is None or form.expected_on < today:
        raise BadUserInput(
            "Keputusan 'belum didokumentasikan' wajib menyebut kapan informasi tersedia "
            "(`expectedOn`, hari ini atau sesudahnya).",
            "A NOT_YET_DOCUMENTED notice must say when the information will exist "
            "(`expectedOn`, today or later).",
            field="expectedOn",
        )
    return form.expected_on


def _fee(given: Fee | None, may_charge: bool) -> Fee | None:
    """Pasal 21: only copies and delivery of what is given may cost anything."""
    if given is None or given.amount == 0:
        return None
    if not may_charge:
        raise BadUserInput(
            f"Biaya hanya untuk salinan dan pengiriman informasi yang diberikan ({FEE_ARTICLE}).",
            f"A fee is only for copies and delivery of information given ({FEE_ARTICLE}).",
            field="fee",
        )
    if not 0 < given.amount <= MAX_FEE_RUPIAH:
        raise BadUserInput(
            f"Biaya harus antara 0 dan {MAX_FEE_RUPIAH} rupiah.",
            f"The fee must be between 0 and {MAX_FEE_RUPIAH} rupiah.",
            field="fee.amount",
        )
    return Fee(
        given.amount,
        required_text(given.basis, "fee.basis", limit=200),
        optional_text(given.payment, "fee.payment", limit=MAX_PAYMENT_TEXT),
    )
