"""Letters to HTML (Jinja2) and to PDF (WeasyPrint): selectable text, A4, the letterhead on top.

WeasyPrint is chosen over drawing PDFs by hand (reportlab): the letters are HTML templates
that a clerk can adjust, and the PDF keeps real text (searchable, copyable, readable by
screen readers). It is synchronous and CPU-bound: `letter_pdf_async` runs it in a thread.
"""

from __future__ import annotations

import asyncio
from datetime import date

from jinja2 import Environment
from weasyprint import HTML

from opendata.date_words import tanggal
from opendata.information_requests.citations import citation_globals
from opendata.information_requests.rules import (
    DECISION_LABELS,
    DELIVERY_FORM_LABELS,
    OBJECTION_GROUNDS,
    OBJECTION_OUTCOME_LABELS,
    Decision,
    DeliveryForm,
    ObjectionGround,
    ObjectionOutcome,
)
from opendata.letters.documents import (
    ExtensionNotice,
    Letter,
    ObjectionAnswer,
    ObjectionReceipt,
    RequestReceipt,
    WrittenNotice,
)
from opendata.letters.fonts import require_fonts
from opendata.package_templates import package_templates
from opendata.rupiah import rupiah
from opendata.statute import exemption_article
from opendata.urls import path, template_globals
from opendata.visibility.rules import BASES

# letter type -> (its template, the stem of its file name)
TEMPLATES: dict[type, tuple[str, str]] = {
    RequestReceipt: ("receipt.html", "tanda-terima-permohonan"),
    WrittenNotice: ("notice.html", "pemberitahuan-tertulis"),
    ExtensionNotice: ("extension.html", "perpanjangan-waktu"),
    ObjectionReceipt: ("objection_receipt.html", "tanda-terima-keberatan"),
    ObjectionAnswer: ("objection_answer.html", "tanggapan-keberatan"),
}


def _date(day: date) -> str:
    return tanggal(day.isoformat())


def _basis(code: str) -> str:
    basis = BASES[code]
    return f"{exemption_article(basis.letter)}: {basis.label_id}"


def _decision(decision: Decision) -> str:
    return DECISION_LABELS[decision][0]


def _delivery_form(code: str) -> str:
    try:
        return DELIVERY_FORM_LABELS[DeliveryForm(code)][0]
    except ValueError:  # not a form we know: shown as recorded
        return code


def _objection_outcome(code: str) -> str:
    return OBJECTION_OUTCOME_LABELS[ObjectionOutcome(code)][0]


def _ground(ground: ObjectionGround) -> str:
    rule = OBJECTION_GROUNDS[ground]
    return f"{rule.article.pasal_text}: {rule.label_id}"


def _environment() -> Environment:
    environment = package_templates("opendata.letters", autoescape=True)
    environment.filters.update(
        tanggal=_date,
        rupiah=rupiah,
        basis=_basis,
        decision=_decision,
        ground=_ground,
        delivery_form=_delivery_form,
        objection_outcome=_objection_outcome,
    )
    environment.globals.update(template_globals(path), **citation_globals())
    return environment


ENVIRONMENT = _environment()


def letter_html(letter: Letter) -> str:
    return ENVIRONMENT.get_template(TEMPLATES[type(letter)][0]).render(letter=letter)


def letter_pdf(letter: Letter) -> bytes:
    require_fonts()  # without fonts WeasyPrint crashes the process: refused instead
    pdf = HTML(string=letter_html(letter)).write_pdf()
    assert pdf is not None
    return pdf


async def letter_pdf_async(letter: Letter) -> bytes:
    """The PDF without blocking the event loop."""
    return await asyncio.to_thread(letter_pdf, letter)


def filename(letter: Letter) -> str:
    """e.g. `tanda-terima-permohonan-DISKOMINFO-SRT-2026-000001.pdf`: one name per letter."""
    stem = TEMPLATES[type(letter)][1]
    return f"{stem}-{letter.letter_number.replace('/', '-')}.pdf"
