"""UU KIP as data: every statutory clock, decision and objection ground in one table.

A lawyer should be able to check this file against the Act (UU 14/2008), PP 61/2010 and
Perki 1/2021 without reading any other code. kip-rules.md is the readable source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Clock:
    """A statutory window in working days, counted from the day after its start (kip-rules §1)."""

    working_days: int
    article: str
    label_id: str
    label_en: str


class Clocks:
    """The statute table. Each number appears here once, beside its article."""

    NOTICE = Clock(
        10,
        "UU KIP Pasal 22(7)",
        "Pemberitahuan tertulis paling lambat 10 hari kerja sejak permohonan diterima",
        "Written notice within 10 working days of receipt",
    )
    EXTENSION = Clock(
        7,
        "UU KIP Pasal 22(8)",
        "Perpanjangan sekali, paling lama 7 hari kerja, dengan alasan tertulis",
        "One extension of at most 7 working days, with a written reason",
    )
    OBJECTION_FILING = Clock(
        30,
        "UU KIP Pasal 35(2)",
        "Keberatan diajukan paling lambat 30 hari kerja setelah alasannya timbul",
        "Objection filed within 30 working days after its ground arose",
    )
    OBJECTION_ANSWER = Clock(
        30,
        "UU KIP Pasal 36(1)",
        "Atasan PPID menanggapi paling lambat 30 hari kerja sejak keberatan dicatat",
        "The superior answers within 30 working days of registering the objection",
    )
    DISPUTE_FILING = Clock(
        14,
        "UU KIP Pasal 37(2)",
        "Sengketa diajukan ke Komisi Informasi paling lambat 14 hari kerja setelah tanggapan "
        "atasan PPID (atau setelah 30 hari kerjanya lewat tanpa tanggapan)",
        "Dispute filed with the Information Commission within 14 working days after the "
        "superior's answer (or after its 30 working days ran out unanswered)",
    )
    COMMISSION_START = Clock(
        14,
        "UU KIP Pasal 38(1)",
        "Komisi Informasi memulai mediasi/ajudikasi paling lambat 14 hari kerja",
        "The Commission starts mediation/adjudication within 14 working days",
    )
    COMMISSION_SETTLEMENT = Clock(
        100,
        "UU KIP Pasal 38(2)",
        "Komisi Informasi menyelesaikan sengketa paling lambat 100 hari kerja",
        "The Commission settles the dispute within 100 working days",
    )
    COURT_FILING = Clock(
        14,
        "UU KIP Pasal 47-48",
        "Gugatan ke PTUN/Pengadilan Negeri paling lambat 14 hari kerja setelah putusan diterima",
        "Court action within 14 working days after the adjudication decision is received",
    )


class Decision(StrEnum):
    """The written notice's decision (Pasal 22(7)); labels in kip-rules §2."""

    GRANTED = "GRANTED"
    PARTIALLY_GRANTED = "PARTIALLY_GRANTED"
    REFUSED = "REFUSED"
    NOT_HELD = "NOT_HELD"
    NOT_YET_DOCUMENTED = "NOT_YET_DOCUMENTED"


DECISION_LABELS: dict[Decision, tuple[str, str]] = {
    Decision.GRANTED: ("Diberikan seluruhnya", "Granted in full"),
    Decision.PARTIALLY_GRANTED: ("Diberikan sebagian", "Partially granted"),
    Decision.REFUSED: ("Ditolak", "Refused"),
    Decision.NOT_HELD: ("Tidak dikuasai", "Not held"),
    Decision.NOT_YET_DOCUMENTED: ("Belum didokumentasikan", "Not yet documented"),
}

# Withholding anything must cite Pasal 17 bases and a consequence test (Pasal 19).
DECISIONS_WITHHOLDING = frozenset({Decision.PARTIALLY_GRANTED, Decision.REFUSED})
DECISIONS_GIVING = frozenset({Decision.GRANTED, Decision.PARTIALLY_GRANTED})

EXEMPTION_BASES = tuple(f"PASAL_17{letter}" for letter in "ABCDEFGHIJ")


class ObjectionGround(StrEnum):
    """Pasal 35(1) letters a to g."""

    REFUSED_UNDER_EXEMPTION = "REFUSED_UNDER_EXEMPTION"
    PERIODIC_INFORMATION_NOT_PUBLISHED = "PERIODIC_INFORMATION_NOT_PUBLISHED"
    NOT_RESPONDED = "NOT_RESPONDED"
    RESPONDED_NOT_AS_REQUESTED = "RESPONDED_NOT_AS_REQUESTED"
    NOT_FULFILLED = "NOT_FULFILLED"
    UNREASONABLE_FEE = "UNREASONABLE_FEE"
    LATE_RESPONSE = "LATE_RESPONSE"


class GroundArises(StrEnum):
    """When an objection ground arises, which starts its 30-working-day window."""

    ON_NOTICE = "ON_NOTICE"  # the written notice, with the decisions listed
    ANY_TIME = "ANY_TIME"  # our rule: no prior answer needed, no window
    ON_DEADLINE_MISSED = "ON_DEADLINE_MISSED"  # the (extended) deadline passed with no notice
    ON_LATE_NOTICE = "ON_LATE_NOTICE"  # a notice given after the deadline


@dataclass(frozen=True)
class GroundRule:
    letter: str
    arises: GroundArises
    # for ON_NOTICE grounds: the decisions on which the ground arises (None: any decision)
    decisions: frozenset[Decision] | None
    label_id: str
    label_en: str


OBJECTION_GROUNDS: dict[ObjectionGround, GroundRule] = {
    ObjectionGround.REFUSED_UNDER_EXEMPTION: GroundRule(
        "a",
        GroundArises.ON_NOTICE,
        DECISIONS_WITHHOLDING,
        "Permohonan ditolak berdasarkan alasan pengecualian Pasal 17",
        "Refused under a Pasal 17 exemption",
    ),
    ObjectionGround.PERIODIC_INFORMATION_NOT_PUBLISHED: GroundRule(
        "b",
        GroundArises.ANY_TIME,
        None,
        "Informasi berkala (Pasal 9) tidak disediakan",
        "Periodic information (Pasal 9) not published",
    ),
    ObjectionGround.NOT_RESPONDED: GroundRule(
        "c",
        GroundArises.ON_DEADLINE_MISSED,
        None,
        "Permohonan tidak ditanggapi",
        "The request was not answered",
    ),
    ObjectionGround.RESPONDED_NOT_AS_REQUESTED: GroundRule(
        "d",
        GroundArises.ON_NOTICE,
        None,
        "Permohonan ditanggapi tidak sebagaimana yang diminta",
        "Answered, but not as requested",
    ),
    ObjectionGround.NOT_FULFILLED: GroundRule(
        "e",
        GroundArises.ON_NOTICE,
        DECISIONS_GIVING,
        "Permohonan tidak dipenuhi",
        "Granted but not delivered",
    ),
    ObjectionGround.UNREASONABLE_FEE: GroundRule(
        "f",
        GroundArises.ON_NOTICE,
        None,
        "Pengenaan biaya yang tidak wajar",
        "An unreasonable fee",
    ),
    ObjectionGround.LATE_RESPONSE: GroundRule(
        "g",
        GroundArises.ON_LATE_NOTICE,
        None,
        "Penyampaian informasi melebihi waktu yang diatur",
        "Answered after the deadline",
    ),
}


class ObjectionOutcome(StrEnum):
    """The superior's answer (Pasal 36): the information must be given, or reasons why not."""

    UPHELD = "UPHELD"
    REJECTED = "REJECTED"


class DeliveryForm(StrEnum):
    VIEW = "VIEW"
    SOFT_COPY = "SOFT_COPY"
    HARD_COPY = "HARD_COPY"
