"""Every official letter renders to a PDF whose text is selectable and carries the
registration number, the dates in Indonesian, and what the law asks each letter to say."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

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
from opendata.letters.render import filename, letter_html, letter_pdf, letter_pdf_async

NUMBER = "DISKOMINFO/2026/000042"
LETTER_NUMBER = "DISKOMINFO/SRT/2026/000007"
HEAD = Letterhead(
    agency_name="Dinas Komunikasi dan Informatika",
    address="Jl. Adisucipto Km 3,5, Sungai Raya",
    contact="ppid@kuburayakab.go.id",
)
PPID = Signatory(
    "Rina Marlina, S.Kom.", "Kepala Bidang Informasi Publik", employee_number="198001012005012001"
)
REQUESTER = Requester("Siti Aminah", address="Jl. Merdeka 1", email="siti@example.org")

RECEIPT = RequestReceipt(
    letterhead=HEAD,
    signatory=PPID,
    letter_number=LETTER_NUMBER,
    registration_number=NUMBER,
    received_on=date(2026, 3, 13),
    requester=REQUESTER,
    information_requested="Daftar penerima bantuan sosial 2025",
    purpose="Liputan",
    delivery_form="SOFT_COPY",
    due_on=date(2026, 3, 31),
    issued_on=date(2026, 3, 13),
)
NOTICE = WrittenNotice(
    letterhead=HEAD,
    signatory=PPID,
    letter_number=LETTER_NUMBER,
    registration_number=NUMBER,
    issued_on=date(2026, 3, 20),
    received_on=date(2026, 3, 13),
    requester=REQUESTER,
    information_requested="Daftar penerima bantuan sosial 2025",
    decision=Decision.PARTIALLY_GRANTED,
    answer="Rekapitulasi per desa diberikan; nama dan NIK penerima <dikecualikan>.",
    bases=("PASAL_17H",),
    consequence_test="Membuka NIK penerima mengungkap data pribadi.",
    fee=Fee(15000, "Penggandaan 30 lembar", "Transfer ke rekening kas daerah"),
    delivery_form="HARD_COPY",
)
EXTENSION = ExtensionNotice(
    letterhead=HEAD,
    signatory=PPID,
    letter_number=LETTER_NUMBER,
    registration_number=NUMBER,
    issued_on=date(2026, 3, 27),
    received_on=date(2026, 3, 13),
    requester=REQUESTER,
    information_requested="Daftar penerima bantuan sosial 2025",
    reason="Data tersebar di 9 kecamatan.",
    previous_due_on=date(2026, 3, 31),
    due_on=date(2026, 4, 9),
)
OBJECTION = ObjectionReceipt(
    letterhead=HEAD,
    signatory=None,  # filed online by the requester: issued by the system
    letter_number=LETTER_NUMBER,
    registration_number=NUMBER,
    objection_number="KEB/DISKOMINFO/2026/000003",
    filed_on=date(2026, 4, 1),
    requester=REQUESTER,
    grounds=(ObjectionGround.REFUSED_UNDER_EXEMPTION, ObjectionGround.UNREASONABLE_FEE),
    reason="Rekapitulasi tanpa NIK tidak membuka data pribadi.",
    due_on=date(2026, 5, 20),
    issued_on=date(2026, 4, 1),
)
ANSWER = ObjectionAnswer(
    letterhead=HEAD,
    signatory=Signatory("Drs. H. Ahmad Yani", "Atasan PPID (Sekretaris Daerah)"),
    letter_number=LETTER_NUMBER,
    registration_number=NUMBER,
    objection_number="KEB/DISKOMINFO/2026/000003",
    filed_on=date(2026, 4, 1),
    requester=REQUESTER,
    grounds=(ObjectionGround.REFUSED_UNDER_EXEMPTION,),
    outcome=ObjectionOutcome.UPHELD,
    answer="Rekapitulasi per desa diberikan tanpa NIK.",
    issued_on=date(2026, 4, 20),
)


def pdf_text(pdf: bytes) -> str:
    """The selectable text, whitespace normalised (PDF text runs break lines anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize(
    ("letter", "says"),
    [
        (
            RECEIPT,
            [
                "TANDA BUKTI PENERIMAAN PERMOHONAN INFORMASI PUBLIK",
                "13 Maret 2026",
                "31 Maret 2026",
                "Salinan elektronik",
                "Siti Aminah",
            ],
        ),
        (
            NOTICE,
            [
                "PEMBERITAHUAN TERTULIS",
                "Diberikan sebagian",
                "UU KIP Pasal 17 huruf h",
                "Uji konsekuensi (Pasal 19): Membuka NIK",
                "Rp 15.000 (Penggandaan 30 lembar)",
                "Transfer ke rekening kas daerah",
                "<dikecualikan>",
                "Kepala Bidang Informasi Publik Rina Marlina, S.Kom. NIP. 198001012005012001",
            ],
        ),
        (EXTENSION, ["PERPANJANGAN WAKTU", "31 Maret 2026", "9 April 2026", "9 kecamatan"]),
        (
            OBJECTION,
            [
                "TANDA BUKTI PENERIMAAN KEBERATAN",
                "KEB/DISKOMINFO/2026/000003",
                "Pasal 35 ayat (1) huruf a",
                "Pasal 35 ayat (1) huruf f",
                "20 Mei 2026",
                "Diterbitkan secara elektronik",  # no officer took the step: no signature
            ],
        ),
        (
            ANSWER,
            ["TANGGAPAN ATASAN PPID", "Keberatan diterima", "Atasan PPID (Sekretaris Daerah)"],
        ),
    ],
    ids=["receipt", "notice", "extension", "objection-receipt", "objection-answer"],
)
def test_each_letter_is_a_pdf_with_selectable_text_and_the_registration_number(
    letter: Letter, says: list[str]
) -> None:
    pdf = letter_pdf(letter)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert f"Nomor: {LETTER_NUMBER}" in text and f"Nomor Pendaftaran: {NUMBER}" in text
    assert f"No. {LETTER_NUMBER}" in text  # the footer on every page
    assert "Kepada Yth. Siti Aminah Jl. Merdeka 1" in text  # the addressee
    assert "PEMERINTAH KABUPATEN KUBU RAYA" in text and "DINAS KOMUNIKASI DAN INFORMATIKA" in text
    for phrase in says:
        assert phrase in text, phrase


def test_the_html_escapes_what_people_typed() -> None:
    html = letter_html(NOTICE)
    assert "&lt;dikecualikan&gt;" in html and "<dikecualikan>" not in html


def test_a_refusal_without_a_fee_says_no_fee_and_names_the_holder() -> None:
    from dataclasses import replace

    letter = replace(
        NOTICE,
        decision=Decision.NOT_HELD,
        bases=(),
        consequence_test=None,
        fee=None,
        held_by="Dinas Sosial Kabupaten Kubu Raya",
    )
    text = pdf_text(letter_pdf(letter))
    assert "Tidak dikuasai" in text and "Tanpa biaya" in text
    assert "Dinas Sosial Kabupaten Kubu Raya" in text
    assert "Uji konsekuensi" not in text


async def test_rendering_does_not_block_the_event_loop() -> None:
    pdf = await letter_pdf_async(RECEIPT)
    assert NUMBER in pdf_text(pdf)
    assert filename(RECEIPT) == "tanda-terima-permohonan-DISKOMINFO-SRT-2026-000007.pdf"
