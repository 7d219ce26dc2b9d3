"""The annual report as rows of figures, and those rows as CSV.

One data function (`report_rows`, `request_rows`) feeds the CSV and the printable page (the
web door's `annual_report.html`), so the two never disagree; `csv_text` is the one CSV writer
of the report downloads (the /statistik CSV too).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from opendata.information_requests.report import ServiceReport
from opendata.information_requests.rules import DISPUTE_OUTCOME_LABELS, DisputeOutcome
from opendata.visibility.rules import BASES

Row = tuple[str, str, str, object]  # (key, label id, label en, value)


# The summary figures in the order of the Perki 1/2021 report: (attribute, label id, label en).
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("requests_received", "Permohonan diterima", "Requests received"),
    ("granted", "Diberikan seluruhnya", "Granted in full"),
    ("partially_granted", "Diberikan sebagian", "Partially granted"),
    ("refused", "Ditolak", "Refused"),
    ("not_held", "Tidak dikuasai", "Not held"),
    ("not_yet_documented", "Belum didokumentasikan", "Not yet documented"),
    ("withdrawn", "Dicabut", "Withdrawn"),
    ("pending", "Dalam proses", "Pending"),
    (
        "average_working_days_to_answer",
        "Rata-rata hari kerja sampai pemberitahuan",
        "Average working days to the notice",
    ),
    ("answered_late", "Dijawab terlambat", "Answered late"),
    (
        "unanswered_past_deadline",
        "Lewat batas tanpa pemberitahuan",
        "Past the deadline with no notice",
    ),
    ("late", "Terlambat (seluruhnya)", "Late (all)"),
    ("fulfilled", "Informasi telah diberikan", "Information given"),
    ("fees_charged", "Permohonan dengan biaya", "Requests with a fee"),
    ("fees_total", "Jumlah biaya (Rp)", "Fees in total (IDR)"),
)
OBJECTION_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("objections", "Keberatan diajukan", "Objections filed"),
    ("objections_upheld", "Keberatan diterima", "Objections upheld"),
    ("objections_rejected", "Keberatan ditolak", "Objections rejected"),
    ("objections_pending", "Keberatan belum ditanggapi", "Objections not yet answered"),
    ("disputes", "Sengketa ke Komisi Informasi", "Disputes filed"),
    ("disputes_decided", "Sengketa diputus", "Disputes decided"),
)


def _figures(report: ServiceReport, figures: Iterable[tuple[str, str, str]]) -> list[Row]:
    return [(key, label_id, label_en, getattr(report, key)) for key, label_id, label_en in figures]


def report_rows(report: ServiceReport) -> list[Row]:
    """The summary figures in the order of the Perki 1/2021 report, each labelled twice."""
    rows = _figures(report, FIGURES)
    for basis, count in report.refusals_by_basis:
        letter = BASES[basis].letter
        rows.append(
            (
                f"refusals_{basis}",
                f"Penolakan: Pasal 17 huruf {letter}",
                f"Refusals: Pasal 17({letter})",
                count,
            )
        )
    rows += _figures(report, OBJECTION_FIGURES)
    for outcome, count in report.disputes_by_outcome:
        label_id, label_en = DISPUTE_OUTCOME_LABELS[DisputeOutcome(outcome)]
        rows.append((f"disputes_{outcome}", f"Putusan: {label_id}", f"Outcome: {label_en}", count))
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
)


def request_rows(report: ServiceReport) -> list[tuple[object, ...]]:
    """Per request: the working days taken and the rest of the register line (public data)."""
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
    return csv_text(("key", "label_id", "label_en", "value"), report_rows(report))


def requests_csv(report: ServiceReport) -> str:
    return csv_text(REQUEST_COLUMNS, request_rows(report))
