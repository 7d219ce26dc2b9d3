"""What each official letter says, as plain data: the renderer reads nothing else.

`from_records.py` fills these from the letter as issued (its number, date, addressee,
signatory and letterhead) and the request; the renderer never touches the database, so a
letter is the same wherever and by whomever it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from opendata.information_requests.contact import Contact
from opendata.information_requests.notice import Fee
from opendata.information_requests.rules import Decision, ObjectionGround, ObjectionOutcome


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: the regency, the agency, and how to reach it."""

    agency_name: str
    government: str = "PEMERINTAH KABUPATEN KUBU RAYA"
    address: str = ""
    contact: str = ""  # telephone, e-mail, website on one line
    city: str = "Sungai Raya"  # where letters are signed


@dataclass(frozen=True)
class Signatory:
    """The officer or superior who took the letter's step, as they were when it was issued."""

    name: str
    title: str  # jabatan
    employee_number: str | None = None  # NIP


@dataclass(frozen=True)
class Requester(Contact):
    """The addressee, as the letter names them, and how to reach them."""

    name: str


@dataclass(frozen=True)
class _Addressed:
    """What every letter names: its number, who writes, to whom, about which request, when."""

    letterhead: Letterhead
    letter_number: str  # nomor surat
    # None: issued by the system on the requester's own online step, which no officer took
    signatory: Signatory | None
    registration_number: str
    requester: Requester
    issued_on: date


@dataclass(frozen=True)
class _AboutRequest(_Addressed):
    """A letter answering the request itself: when it came and what it asked for."""

    received_on: date
    information_requested: str


@dataclass(frozen=True)
class _AboutObjection(_Addressed):
    """A letter about one objection: its number, when it was filed and on which grounds."""

    objection_number: str
    filed_on: date
    grounds: tuple[ObjectionGround, ...]


@dataclass(frozen=True)
class RequestReceipt(_AboutRequest):
    """Tanda bukti penerimaan permohonan informasi publik (Pasal 22(4))."""

    purpose: str
    delivery_form: str  # VIEW | SOFT_COPY | HARD_COPY
    due_on: date  # the 10 working days as counted at receipt
    extended_due_on: date | None = None  # the extension, when one was given since


@dataclass(frozen=True)
class WrittenNotice(_AboutRequest):
    """Surat pemberitahuan tertulis (Pasal 22(7)): the decision, its bases and the fee."""

    decision: Decision
    answer: str
    bases: tuple[str, ...] = ()  # PASAL_17A .. PASAL_17J
    consequence_test: str | None = None  # Pasal 19
    fee: Fee | None = None
    delivery_form: str | None = None
    held_by: str | None = None  # NOT_HELD: the body that holds it (Pasal 22(7)(c))
    expected_on: date | None = None  # NOT_YET_DOCUMENTED


@dataclass(frozen=True)
class ExtensionNotice(_AboutRequest):
    """Pemberitahuan perpanjangan waktu (Pasal 22(8))."""

    reason: str
    previous_due_on: date
    due_on: date


@dataclass(frozen=True)
class ObjectionReceipt(_AboutObjection):
    """Tanda bukti penerimaan keberatan (Pasal 35-36)."""

    reason: str
    due_on: date


@dataclass(frozen=True)
class ObjectionAnswer(_AboutObjection):
    """Tanggapan atasan PPID atas keberatan (Pasal 36)."""

    outcome: ObjectionOutcome
    answer: str
    attachments: tuple[str, ...] = field(default_factory=tuple)


Letter = RequestReceipt | WrittenNotice | ExtensionNotice | ObjectionReceipt | ObjectionAnswer
