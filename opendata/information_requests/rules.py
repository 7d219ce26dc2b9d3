"""UU KIP as data: every statutory clock, decision and objection ground in one table.

A lawyer should be able to check this file against the Act (UU 14/2008), PP 61/2010 and
Perki 1/2021 without reading any other code. kip-rules.md is the readable source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from opendata.statute import Article, Articles, Cited, cite, objection_ground_article
from opendata.visibility.rules import ExemptionBasis


@dataclass(frozen=True)
class Clock:
    """A statutory window in working days, counted from the day after its start (kip-rules §1)."""

    working_days: int
    article: Cited  # from the one table of articles (opendata/statute.py)
    label_id: str
    label_en: str


class Clocks:
    """The statute table. Each number appears here once, beside its article."""

    NOTICE = Clock(
        10,
        Articles.NOTICE,
        "Pemberitahuan tertulis paling lambat 10 hari kerja sejak permohonan diterima",
        "Written notice within 10 working days of receipt",
    )
    EXTENSION = Clock(
        7,
        Articles.EXTENSION,
        "Perpanjangan sekali, paling lama 7 hari kerja, dengan alasan tertulis",
        "One extension of at most 7 working days, with a written reason",
    )
    OBJECTION_FILING = Clock(
        30,
        Articles.OBJECTION_WINDOW,
        "Keberatan diajukan paling lambat 30 hari kerja setelah alasannya timbul",
        "Objection filed within 30 working days after its ground arose",
    )
    OBJECTION_ANSWER = Clock(
        30,
        Articles.OBJECTION_ANSWER,
        "Atasan PPID menanggapi paling lambat 30 hari kerja sejak keberatan dicatat",
        "The superior answers within 30 working days of registering the objection",
    )
    DISPUTE_FILING = Clock(
        14,
        Articles.DISPUTE_WINDOW,
        "Sengketa diajukan ke Komisi Informasi paling lambat 14 hari kerja setelah tanggapan "
        "atasan PPID (atau setelah 30 hari kerjanya lewat tanpa tanggapan)",
        "Dispute filed with the Information Commission within 14 working days after the "
        "superior's answer (or after its 30 working days ran out unanswered)",
    )
    COMMISSION_START = Clock(
        14,
        Articles.COMMISSION_START,
        "Komisi Informasi memulai mediasi/ajudikasi paling lambat 14 hari kerja",
        "The Commission starts mediation/adjudication within 14 working days",
    )
    COMMISSION_SETTLEMENT = Clock(
        100,
        Articles.COMMISSION_SETTLEMENT,
        "Komisi Informasi menyelesaikan sengketa paling lambat 100 hari kerja",
        "The Commission settles the dispute within 100 working days",
    )
    COURT_FILING = Clock(
        14,
        Articles.COURT_WINDOW,
        "Salah satu pihak dapat menggugat ke PTUN/Pengadilan Negeri paling lambat 14 hari kerja "
        "setelah putusan diterima",
        "Either party may go to court within 14 working days after the adjudication decision "
        "is received",
    )
    # after a giving notice (GRANTED, PARTIALLY_GRANTED) the information must actually be given
    DELIVERY = Clock(
        10,
        Articles.DELIVERY,
        "PPID menyerahkan informasi yang dikabulkan paling lambat 10 hari kerja setelah "
        "keputusan memberikannya",
        "The PPID gives the information within 10 working days of the notice granting it",
    )
    FULFILMENT = Clock(
        10,
        Articles.FULFILMENT,
        "PPID memberikan informasi paling lambat 10 hari kerja setelah keberatan diterima atau "
        "putusan Komisi Informasi yang memerintahkan pemberian, kecuali ditetapkan lain",
        "The PPID gives the information within 10 working days of an upheld objection or a "
        "Commission decision ordering it, unless the decision sets another date",
    )


class ClockKind(StrEnum):
    """Each running clock of a request; the statute table above gives its length and article."""

    NOTICE = "NOTICE"
    OBJECTION_FILING = "OBJECTION_FILING"
    OBJECTION_ANSWER = "OBJECTION_ANSWER"
    DISPUTE_FILING = "DISPUTE_FILING"
    COMMISSION_SETTLEMENT = "COMMISSION_SETTLEMENT"
    FULFILMENT = "FULFILMENT"
    COURT_FILING = "COURT_FILING"
    DELIVERY = "DELIVERY"


class Party(StrEnum):
    """Who must (or may) act before a clock runs out."""

    OFFICER = "OFFICER"  # the PPID: written notice, fulfilment
    REQUESTER = "REQUESTER"  # may object, take the case to the Commission, or to court
    SUPERIOR = "SUPERIOR"  # atasan PPID: answers the objection
    COMMISSION = "COMMISSION"  # Komisi Informasi: settles the dispute
    EITHER = "EITHER"  # the requester or the agency: either may go to court (Pasal 48(1))


@dataclass(frozen=True)
class ClockRule:
    clock: Clock
    party: Party
    # a duty is overdue once missed; a right (the requester's window) simply closes
    is_duty: bool


CLOCK_RULES: dict[ClockKind, ClockRule] = {
    ClockKind.NOTICE: ClockRule(Clocks.NOTICE, Party.OFFICER, True),
    ClockKind.OBJECTION_FILING: ClockRule(Clocks.OBJECTION_FILING, Party.REQUESTER, False),
    ClockKind.OBJECTION_ANSWER: ClockRule(Clocks.OBJECTION_ANSWER, Party.SUPERIOR, True),
    ClockKind.DISPUTE_FILING: ClockRule(Clocks.DISPUTE_FILING, Party.REQUESTER, False),
    ClockKind.COMMISSION_SETTLEMENT: ClockRule(
        Clocks.COMMISSION_SETTLEMENT, Party.COMMISSION, True
    ),
    ClockKind.FULFILMENT: ClockRule(Clocks.FULFILMENT, Party.OFFICER, True),
    ClockKind.COURT_FILING: ClockRule(Clocks.COURT_FILING, Party.EITHER, False),
    ClockKind.DELIVERY: ClockRule(Clocks.DELIVERY, Party.OFFICER, True),
}


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
# A notice that gives something: the PPID then records when it was given (fulfilment).
DECISIONS_GIVING = frozenset({Decision.GRANTED, Decision.PARTIALLY_GRANTED})


@dataclass(frozen=True)
class NoticeContent:
    """What the written notice must say for a decision, beyond its text (Pasal 22(7))."""

    article: Cited
    requires_held_by: bool = False  # NOT_HELD: which body holds it (22(7)(c)); "if known"
    requires_expected_on: bool = False  # NOT_YET_DOCUMENTED: when it will be documented
    requires_bases: bool = False  # withholding: Pasal 17 bases and the consequence test
    may_charge_fee: bool = False  # a fee is only for copies and delivery of what is given


NOTICE_CONTENTS: dict[Decision, NoticeContent] = {
    Decision.GRANTED: NoticeContent(Articles.NOTICE_GIVEN, may_charge_fee=True),
    Decision.PARTIALLY_GRANTED: NoticeContent(
        cite(Articles.NOTICE_PART_WITHHELD, Articles.EXEMPTIONS, Articles.CONSEQUENCE_TEST),
        requires_bases=True,
        may_charge_fee=True,
    ),
    Decision.REFUSED: NoticeContent(
        cite(Articles.NOTICE_DECISION, Articles.EXEMPTIONS, Articles.CONSEQUENCE_TEST),
        requires_bases=True,
    ),
    # our rule: heldBy is required; "tidak diketahui / not known" is a valid answer
    Decision.NOT_HELD: NoticeContent(Articles.NOTICE_HELD, requires_held_by=True),
    Decision.NOT_YET_DOCUMENTED: NoticeContent(
        cite(Articles.NOTICE_IN_HAND, Articles.SERVICE_STANDARD), requires_expected_on=True
    ),
}

# The notice states the fee and how to pay (Pasal 22(7)(g)); low cost is Pasal 21's principle,
# and that only the actual cost of copies and delivery may be charged is our rule.
FEE_ARTICLE = cite(Articles.NOTICE_FEE, Articles.FEE_LIMIT)
# The form and means of delivery the notice states (Pasal 22(7)(f)).
DELIVERY_FORM_ARTICLE = Articles.NOTICE_DELIVERY
MAX_FEE_RUPIAH = 100_000_000  # a sanity cap on input, not a legal figure

EXEMPTION_BASES = tuple(basis.value for basis in ExemptionBasis)


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
    # the day to give what the notice granted passed undelivered (Pasal 36(1): the window runs
    # "setelah ditemukannya alasan", from when the ground is found, not from the notice)
    ON_DELIVERY_MISSED = "ON_DELIVERY_MISSED"


@dataclass(frozen=True)
class GroundRule:
    letter: str
    arises: GroundArises
    # for ON_NOTICE grounds: the decisions on which the ground arises (None: any decision)
    decisions: frozenset[Decision] | None
    label_id: str
    label_en: str
    # Pasal 35(1)(f): an unreasonable fee can only be objected to where a fee was charged
    requires_fee: bool = False

    @property
    def article(self) -> Article:
        """UU KIP Pasal 35 ayat (1) huruf <letter>."""
        return objection_ground_article(self.letter)


OBJECTION_GROUNDS: dict[ObjectionGround, GroundRule] = {
    ObjectionGround.REFUSED_UNDER_EXEMPTION: GroundRule(
        "a",
        GroundArises.ON_NOTICE,
        DECISIONS_WITHHOLDING,
        f"Permohonan ditolak berdasarkan alasan pengecualian {Articles.EXEMPTIONS.pasal_text}",
        f"Refused under a {Articles.EXEMPTIONS.pasal_text} exemption",
    ),
    ObjectionGround.PERIODIC_INFORMATION_NOT_PUBLISHED: GroundRule(
        "b",
        GroundArises.ANY_TIME,
        None,
        f"Informasi berkala ({Articles.PERIODIC.pasal_text}) tidak disediakan",
        f"Periodic information ({Articles.PERIODIC.pasal_text}) not published",
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
        GroundArises.ON_DELIVERY_MISSED,
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
        requires_fee=True,
    ),
    ObjectionGround.LATE_RESPONSE: GroundRule(
        "g",
        GroundArises.ON_LATE_NOTICE,
        None,
        "Penyampaian informasi melebihi waktu yang diatur",
        "Answered after the deadline",
    ),
}


@dataclass(frozen=True)
class NoticeFacts:
    """What the request's written notice (if any) and its first deadline say."""

    notice_due_on: date  # the (extended) deadline for the written notice
    answered_on: date | None
    answered_late: bool
    decision: Decision | None
    fee_charged: bool
    # the delivery clock's day (None: a notice recorded before it existed) and the day given
    delivery_due_on: date | None = None
    delivered_on: date | None = None


def ground_arose_on(ground: ObjectionGround, facts: NoticeFacts, today: date) -> date | None:
    """The day `ground` arose (its 30-day window counts from the next working day), or None
    for a ground allowed at any time. Raises GroundNotArisen if it has not arisen (Pasal 35)."""
    rule = OBJECTION_GROUNDS[ground]
    if rule.arises is GroundArises.ANY_TIME:
        return None
    if rule.arises is GroundArises.ON_NOTICE:
        if (
            facts.answered_on is not None
            and facts.decision is not None
            and (rule.decisions is None or facts.decision in rule.decisions)
            and (facts.fee_charged or not rule.requires_fee)
        ):
            return facts.answered_on
    elif rule.arises is GroundArises.ON_DEADLINE_MISSED:
        # our rule: the ground arises with the end of the due day, so the window's day 1 is
        # the first working day after the missed deadline
        if (facts.answered_on is None or facts.answered_late) and today > facts.notice_due_on:
            return facts.notice_due_on
    elif rule.arises is GroundArises.ON_LATE_NOTICE and facts.answered_late:
        return facts.answered_on
    elif rule.arises is GroundArises.ON_DELIVERY_MISSED:
        arose_on = _delivery_missed_on(rule, facts, today)
        if arose_on is not None:
            return arose_on
    raise GroundNotArisen(rule)


def _delivery_missed_on(rule: GroundRule, facts: NoticeFacts, today: date) -> date | None:
    """Ground e: the delivery day passed with nothing given (or given late); like ground c it
    arises with the end of the due day. A notice recorded before the delivery clock existed
    keeps the old rule: the ground arose on the notice."""
    if facts.answered_on is None or rule.decisions is None:
        return None
    if facts.decision not in rule.decisions:
        return None
    due_on = facts.delivery_due_on
    if due_on is None:
        return facts.answered_on
    missed = facts.delivered_on is None or facts.delivered_on > due_on
    return due_on if missed and today > due_on else None


class GroundNotArisen(Exception):
    def __init__(self, rule: GroundRule) -> None:
        super().__init__(rule.letter)
        self.rule = rule


class ObjectionOutcome(StrEnum):
    """The superior's answer (Pasal 36): the information must be given, or reasons why not."""

    UPHELD = "UPHELD"
    REJECTED = "REJECTED"


OBJECTION_OUTCOME_LABELS: dict[ObjectionOutcome, tuple[str, str]] = {
    ObjectionOutcome.UPHELD: ("Keberatan diterima", "Objection upheld"),
    ObjectionOutcome.REJECTED: ("Keberatan ditolak", "Objection rejected"),
}

# Our rule: an UPHELD answer (Pasal 36(2)) orders the PPID to give the information.
OBJECTION_OUTCOMES_ORDERING_DISCLOSURE = frozenset({ObjectionOutcome.UPHELD})


class DisputeOutcome(StrEnum):
    """How the Information Commission ended a dispute (Pasal 38-46)."""

    MEDIATION_AGREED = "MEDIATION_AGREED"
    GRANTED = "GRANTED"
    PARTIALLY_GRANTED = "PARTIALLY_GRANTED"
    REJECTED = "REJECTED"
    DISMISSED = "DISMISSED"
    WITHDRAWN = "WITHDRAWN"


DISPUTE_OUTCOME_LABELS: dict[DisputeOutcome, tuple[str, str]] = {
    DisputeOutcome.MEDIATION_AGREED: ("Mediasi berhasil (kesepakatan)", "Mediation agreed"),
    DisputeOutcome.GRANTED: ("Dikabulkan seluruhnya", "Granted in full"),
    DisputeOutcome.PARTIALLY_GRANTED: ("Dikabulkan sebagian", "Partially granted"),
    DisputeOutcome.REJECTED: ("Ditolak", "Rejected"),
    DisputeOutcome.DISMISSED: ("Tidak dapat diterima / gugur", "Dismissed"),
    DisputeOutcome.WITHDRAWN: ("Dicabut", "Withdrawn"),
}

# Our rule: a mediation agreement, a full or a partial grant order the PPID to give something.
DISPUTE_OUTCOMES_ORDERING_DISCLOSURE = frozenset(
    {DisputeOutcome.MEDIATION_AGREED, DisputeOutcome.GRANTED, DisputeOutcome.PARTIALLY_GRANTED}
)
# Pasal 48(1): court action lies against an adjudication decision, not a settled or withdrawn case.
DISPUTE_OUTCOMES_OPEN_TO_COURT = frozenset(
    {DisputeOutcome.GRANTED, DisputeOutcome.PARTIALLY_GRANTED, DisputeOutcome.REJECTED}
)


class ReceivedVia(StrEnum):
    """How a request an officer registers reached the agency: Pasal 22(1) allows requests in
    writing or not in writing; the officer records which (online requests are ONLINE)."""

    WALK_IN = "WALK_IN"
    LETTER = "LETTER"
    EMAIL = "EMAIL"
    PHONE = "PHONE"


RECEIVED_VIA_LABELS: dict[ReceivedVia, tuple[str, str]] = {
    ReceivedVia.WALK_IN: ("Datang langsung", "Walk-in"),
    ReceivedVia.LETTER: ("Surat", "Letter"),
    ReceivedVia.EMAIL: ("Surel", "E-mail"),
    ReceivedVia.PHONE: ("Telepon", "Phone"),
}


class DeliveryForm(StrEnum):
    """The form asked for and the form given (Pasal 22(2), 22(7)(f))."""

    VIEW = "VIEW"
    SOFT_COPY = "SOFT_COPY"
    HARD_COPY = "HARD_COPY"


# Pasal 22(2) and the Perki 1/2021 request form: "melihat/membaca ... atau mendapatkan salinan
# informasi dalam bentuk hardcopy atau softcopy". The letters, pages and mail all say these.
DELIVERY_FORM_LABELS: dict[DeliveryForm, tuple[str, str]] = {
    DeliveryForm.VIEW: ("Melihat/membaca", "To view or read"),
    DeliveryForm.SOFT_COPY: ("Salinan elektronik (softcopy)", "Electronic copy"),
    DeliveryForm.HARD_COPY: ("Salinan tercetak (hardcopy)", "Printed copy"),
}


class CourtFiler(StrEnum):
    """Who took the Commission's decision to court: either party may (Pasal 47-48(1))."""

    REQUESTER = "REQUESTER"
    AGENCY = "AGENCY"


COURT_FILER_LABELS: dict[CourtFiler, tuple[str, str]] = {
    CourtFiler.REQUESTER: ("Pemohon informasi", "The requester"),
    CourtFiler.AGENCY: ("Badan publik", "The public body"),
}


class CourtOutcome(StrEnum):
    """The court's decision on the gugatan, by what it leaves the agency to give."""

    UPHELD = "UPHELD"  # the Commission's decision stands
    DISCLOSURE_ORDERED = "DISCLOSURE_ORDERED"  # the court orders the information given
    DISCLOSURE_DENIED = "DISCLOSURE_DENIED"  # the court holds it need not be given
    DISMISSED = "DISMISSED"  # not admissible: the Commission's decision stands
    WITHDRAWN = "WITHDRAWN"  # the case was withdrawn: the Commission's decision stands


COURT_OUTCOME_LABELS: dict[CourtOutcome, tuple[str, str]] = {
    CourtOutcome.UPHELD: ("Putusan Komisi Informasi dikuatkan", "The Commission's decision upheld"),
    CourtOutcome.DISCLOSURE_ORDERED: (
        "Pengadilan memerintahkan informasi diberikan",
        "The court orders the information given",
    ),
    CourtOutcome.DISCLOSURE_DENIED: (
        "Pengadilan memutus informasi tidak wajib diberikan",
        "The court holds the information need not be given",
    ),
    CourtOutcome.DISMISSED: ("Gugatan tidak dapat diterima", "The case was dismissed"),
    CourtOutcome.WITHDRAWN: ("Gugatan dicabut", "The case was withdrawn"),
}

# Outcomes after which the Commission's decision is what is carried out.
COURT_OUTCOMES_KEEPING_THE_COMMISSION = frozenset(
    {CourtOutcome.UPHELD, CourtOutcome.DISMISSED, CourtOutcome.WITHDRAWN}
)


def court_orders_disclosure(outcome: CourtOutcome, commission_ordered: bool) -> bool:
    """Whether the information must be given once the court has decided (Pasal 48(1): the
    Commission's decision is carried out only when final)."""
    if outcome in COURT_OUTCOMES_KEEPING_THE_COMMISSION:
        return commission_ordered
    return outcome is CourtOutcome.DISCLOSURE_ORDERED
