"""The annual report as the parts of Perki 1/2021 Pasal 56(2), as rows of figures, and as CSV.

`PASAL_56` is the one table of what the report must contain, item by item with its article:
the figures `report.py` counts, and the narrative places an admin fills
(`report_narrative.NARRATIVE_PARTS`). One data function (`report_sections`, flattened by
`report_rows`; `request_rows`) feeds the CSV and the printable page (the web door's
`annual_report.html`), so the two never disagree; `csv_text` is the one CSV writer of the
report downloads (the /statistik CSV too).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from opendata.information_requests.report import ServiceReport
from opendata.information_requests.report_narrative import NARRATIVE_PARTS
from opendata.information_requests.rules import DISPUTE_OUTCOME_LABELS, DisputeOutcome
from opendata.statute import Articles, report_article
from opendata.visibility.rules import BASES

Row = tuple[str, str, str, object, str]  # (key, label id, label en, value, article)
ARTICLE = str(Articles.REPORT_DUE)

# Every figure of the report: attribute -> (label id, label en).
FIGURES: dict[str, tuple[str, str]] = {
    "requests_received": ("Permohonan diterima", "Requests received"),
    "withdrawn": ("Dicabut", "Withdrawn"),
    "pending": ("Dalam proses", "Pending"),
    "average_working_days_to_answer": (
        "Rata-rata hari kerja sampai pemberitahuan",
        "Average working days to the notice",
    ),
    "average_working_days_to_fulfil": (
        "Rata-rata hari kerja sampai informasi diberikan",
        "Average working days until the information was given",
    ),
    "fulfilled": ("Informasi telah diberikan", "Information given"),
    "answered_late": ("Dijawab terlambat", "Answered late"),
    "unanswered_past_deadline": (
        "Lewat batas tanpa pemberitahuan",
        "Past the deadline with no notice",
    ),
    "late": ("Terlambat (seluruhnya)", "Late (all)"),
    "on_time_rate": (
        "Tepat waktu (bagian dari permohonan yang batasnya telah tiba)",
        "On time (share of the requests whose deadline has come)",
    ),
    "granted": ("Diberikan seluruhnya", "Granted in full"),
    "partially_granted": ("Diberikan sebagian", "Partially granted"),
    "refused": ("Ditolak", "Refused"),
    "not_held": ("Tidak dikuasai", "Not held"),
    "not_yet_documented": ("Belum didokumentasikan", "Not yet documented"),
    "fees_charged": ("Permohonan dengan biaya", "Requests with a fee"),
    "fees_total": ("Jumlah biaya (Rp)", "Fees in total (IDR)"),
    "objections": ("Keberatan diajukan", "Objections filed"),
    "objections_upheld": ("Keberatan diterima", "Objections upheld"),
    "objections_rejected": ("Keberatan ditolak", "Objections rejected"),
    "objections_pending": ("Keberatan belum ditanggapi", "Objections not yet answered"),
    "objections_lapsed": (
        "Keberatan lewat batas tanpa tanggapan",
        "Objections lapsed without an answer",
    ),
    "objections_implemented": (
        "Keberatan diterima yang telah dilaksanakan (informasi diberikan)",
        "Upheld objections carried out (information given)",
    ),
    "objections_not_implemented": (
        "Keberatan diterima yang belum dilaksanakan",
        "Upheld objections not yet carried out",
    ),
    "disputes": ("Sengketa ke Komisi Informasi", "Disputes filed"),
    "disputes_decided": ("Sengketa diputus", "Disputes decided"),
    "disputes_ordering_disclosure": (
        "Putusan yang memerintahkan informasi diberikan",
        "Decisions ordering the information given",
    ),
    "disputes_implemented": (
        "Putusan yang telah dilaksanakan (informasi diberikan)",
        "Decisions carried out (information given)",
    ),
    "court_cases": ("Gugatan ke pengadilan", "Court cases filed"),
    "court_cases_decided": ("Gugatan yang telah diputus", "Court cases decided"),
}


def _refusal_rows(report: ServiceReport, article: str) -> list[Row]:
    return [
        (
            f"refusals_{basis}",
            f"Penolakan: Pasal 17 huruf {BASES[basis].letter}",
            f"Refusals: Pasal 17({BASES[basis].letter})",
            count,
            article,
        )
        for basis, count in report.refusals_by_basis
    ]


def _dispute_outcome_rows(report: ServiceReport, article: str) -> list[Row]:
    rows: list[Row] = []
    for outcome, count in report.disputes_by_outcome:
        label_id, label_en = DISPUTE_OUTCOME_LABELS[DisputeOutcome(outcome)]
        rows.append(
            (f"disputes_{outcome}", f"Putusan: {label_id}", f"Outcome: {label_en}", count, article)
        )
    return rows


def _court_outcome_rows(report: ServiceReport, article: str) -> list[Row]:
    return [
        (f"court_{outcome}", f"Putusan pengadilan: {outcome}", f"Court: {outcome}", n, article)
        for outcome, n in report.court_cases_by_outcome
    ]


MoreRows = Callable[[ServiceReport, str], list[Row]]


@dataclass(frozen=True)
class Item:
    """One numbered item of Pasal 56(2): the figures that answer it."""

    article: str
    label_id: str
    label_en: str
    figures: tuple[str, ...]
    more: MoreRows | None = None

    def rows(self, report: ServiceReport) -> list[Row]:
        rows: list[Row] = [
            (key, *FIGURES[key], getattr(report, key), self.article) for key in self.figures
        ]
        return rows + (self.more(report, self.article) if self.more else [])


@dataclass(frozen=True)
class Part:
    """One lettered part of Pasal 56(2): numbered items of figures, or a narrative place."""

    article: str
    label_id: str
    label_en: str
    items: tuple[Item, ...] = ()
    narrative: str | None = None  # the report_narrative field that fills it


def _item(
    part: str,
    number: int,
    label_id: str,
    label_en: str,
    *figures: str,
    more: MoreRows | None = None,
) -> Item:
    """Item `number` of part `part`: Pasal 56(2)(part)(number)."""
    return Item(str(report_article(part, number)), label_id, label_en, figures, more)


_NARRATIVE = {
    field: (label_id, label_en, article) for field, label_id, label_en, article in NARRATIVE_PARTS
}


def _narrative_part(field: str) -> Part:
    label_id, label_en, article = _NARRATIVE[field]
    return Part(article, label_id, label_en, narrative=field)


PASAL_56: tuple[Part, ...] = (
    _narrative_part("policy"),
    _narrative_part("implementation"),
    Part(
        str(report_article("c")),
        "Rincian layanan informasi publik",
        "The information service in detail",
        (
            _item(
                "c", 1, "Jumlah permohonan", "Requests", "requests_received", "withdrawn", "pending"
            ),
            _item(
                "c",
                2,
                "Waktu yang diperlukan untuk memenuhi setiap permohonan (rincian per permohonan di "
                "bawah)",
                "The time taken to fulfil each request (each request below)",
                "average_working_days_to_answer",
                "average_working_days_to_fulfil",
                "fulfilled",
                "answered_late",
                "unanswered_past_deadline",
                "late",
                "on_time_rate",
                "fees_charged",
                "fees_total",
            ),
            _item(
                "c",
                3,
                "Permohonan yang dikabulkan seluruhnya atau sebagian",
                "Requests granted in full or in part",
                "granted",
                "partially_granted",
            ),
            _item(
                "c",
                4,
                "Permohonan yang ditolak beserta alasannya",
                "Requests refused, with the reasons",
                "refused",
                "not_held",
                "not_yet_documented",
                more=_refusal_rows,
            ),
        ),
    ),
    Part(
        str(report_article("d")),
        "Rincian penyelesaian sengketa informasi publik",
        "Objections and disputes in detail",
        (
            _item("d", 1, "Keberatan yang diterima", "Objections received", "objections"),
            _item(
                "d",
                2,
                "Tanggapan atas keberatan dan pelaksanaannya",
                "Answers to the objections and how they were carried out",
                "objections_upheld",
                "objections_rejected",
                "objections_pending",
                "objections_lapsed",
                "objections_implemented",
                "objections_not_implemented",
            ),
            _item(
                "d",
                3,
                "Permohonan penyelesaian sengketa ke Komisi Informasi",
                "Disputes taken to the Information Commission",
                "disputes",
            ),
            _item(
                "d",
                4,
                "Hasil mediasi atau putusan ajudikasi Komisi Informasi dan pelaksanaannya",
                "The Commission's mediation or adjudication results and how they were carried out",
                "disputes_decided",
                "disputes_ordering_disclosure",
                "disputes_implemented",
                more=_dispute_outcome_rows,
            ),
            _item(
                "d", 5, "Gugatan yang diajukan ke pengadilan", "Court cases filed", "court_cases"
            ),
            _item(
                "d",
                6,
                "Hasil putusan pengadilan dan pelaksanaannya",
                "Court decisions and how they were carried out",
                "court_cases_decided",
                more=_court_outcome_rows,
            ),
        ),
    ),
    _narrative_part("obstacles"),
    _narrative_part("recommendations"),
)


@dataclass(frozen=True)
class Section:
    """A part of Pasal 56(2) as one report shows it."""

    part: Part
    items: list[tuple[Item, list[Row]]]
    text: str | None  # the narrative written for this part (None: not written, or figures)


def report_sections(report: ServiceReport) -> list[Section]:
    """Every part of Pasal 56(2) in its order, with this report's figures and texts."""
    return [
        Section(
            part,
            [(item, item.rows(report)) for item in part.items],
            report.narrative.text_of(part.narrative) if part.narrative else None,
        )
        for part in PASAL_56
    ]


def as_of_row(report: ServiceReport) -> Row:
    if report.final:
        label = ("Keadaan per (tahun telah berakhir)", "As of (the year has ended)")
    else:
        label = (
            "Keadaan per (tahun berjalan, angka sementara)",
            "As of (running year, provisional)",
        )
    return ("as_of", *label, report.as_of.isoformat(), ARTICLE)


def report_rows(report: ServiceReport) -> list[Row]:
    """The as-of day, then every item of Pasal 56(2) in order, each labelled twice with its
    article; a narrative part is one row whose value is the text written for it."""
    rows = [as_of_row(report)]
    for section in report_sections(report):
        part = section.part
        if part.narrative is not None:
            rows.append(
                (
                    f"narrative_{part.narrative}",
                    part.label_id,
                    part.label_en,
                    section.text,
                    part.article,
                )
            )
        rows += [row for _, item_rows in section.items for row in item_rows]
    return rows


REQUEST_COLUMNS = (
    "registration_number",
    "received_on",
    "decision",
    "answered_on",
    "working_days",
    "late",
    "exemptions",
    "fee_amount",
    "delivered_on",
    "withdrawn",
    "working_days_to_fulfil",
)


def request_rows(report: ServiceReport) -> list[tuple[object, ...]]:
    """Per request: the working days to the notice and to the information given, and the
    rest of the register line (public data)."""
    return [
        (
            line.registration_number,
            line.received_on.isoformat(),
            line.decision,
            line.answered_on.isoformat() if line.answered_on else None,
            line.working_days,
            line.late,
            " ".join(line.exemptions),
            line.fee_amount,
            line.delivered_on.isoformat() if line.delivered_on else None,
            line.withdrawn,
            line.working_days_to_fulfil,
        )
        for line in report.lines
    ]


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """One CSV shape for every report download: a header line, then rows; None is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def report_csv(report: ServiceReport) -> str:
    return csv_text(("key", "label_id", "label_en", "value", "article"), report_rows(report))


def requests_csv(report: ServiceReport) -> str:
    return csv_text(REQUEST_COLUMNS, request_rows(report))
