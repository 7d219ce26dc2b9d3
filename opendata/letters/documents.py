"""What each official letter says, as plain data: the renderer reads nothing else.

A page handler or the CLI fills these from the request (see `from_records.py`); the renderer
never touches the database, so a letter is the same wherever it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
    name: str
    title: str = "Pejabat Pengelola Informasi dan Dokumentasi (PPID)"
    employee_number: str | None = None  # NIP


@dataclass(frozen=True)
class Requester:
    name: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    identity_number: str | None = None


@dataclass(frozen=True)
class Fee:
    amount: int  # rupiah
    basis: str


@dataclass(frozen=True)
class RequestReceipt:
    """Tanda bukti penerimaan permohonan informasi publik (Pasal 22(4))."""

    letterhead: Letterhead
    signatory: Signatory
    registration_number: str
    received_on: date
    requester: Requester
    information_requested: str
    purpose: str
    delivery_form: str  # VIEW | SOFT_COPY | HARD_COPY
    due_on: date
    issued_on: date


@dataclass(frozen=True)
class WrittenNotice:
    """Surat pemberitahuan tertulis (Pasal 22(7)): the decision, its bases and the fee."""

    letterhead: Letterhead
    signatory: Signatory
    registration_number: str
    issued_on: date
    received_on: date
    requester: Requester
    information_requested: str
    decision: Decision
    answer: str
    bases: tuple[str, ...] = ()  # PASAL_17A .. PASAL_17J
    consequence_test: str | None = None  # Pasal 19
    fee: Fee | None = None
    delivery_form: str | None = None
    held_by: str | None = None  # NOT_HELD: the body that holds it (Pasal 22(7)(c))
    expected_on: date | None = None  # NOT_YET_DOCUMENTED


@dataclass(frozen=True)
class ExtensionNotice:
    """Pemberitahuan perpanjangan waktu (Pasal 22(8))."""

    letterhead: Letterhead
    signatory: Signatory
    registration_number: str
    issued_on: date
    received_on: date
    requester: Requester
    information_requested: str
    reason: str
    previous_due_on: date
    due_on: date


@dataclass(frozen=True)
class ObjectionReceipt:
    """Tanda bukti penerimaan keberatan (Pasal 35-36)."""

    letterhead: Letterhead
    signatory: Signatory
    registration_number: str
    objection_number: str
    filed_on: date
    requester: Requester
    grounds: tuple[ObjectionGround, ...]
    reason: str
    due_on: date
    issued_on: date


@dataclass(frozen=True)
class ObjectionAnswer:
    """Tanggapan atasan PPID atas keberatan (Pasal 36)."""

    letterhead: Letterhead
    signatory: Signatory
    registration_number: str
    objection_number: str
    filed_on: date
    requester: Requester
    grounds: tuple[ObjectionGround, ...]
    outcome: ObjectionOutcome
    answer: str
    issued_on: date
    attachments: tuple[str, ...] = field(default_factory=tuple)


Letter = RequestReceipt | WrittenNotice | ExtensionNotice | ObjectionReceipt | ObjectionAnswer
