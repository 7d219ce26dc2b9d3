"""The annual report as rows of figures, and those rows as CSV and as a printable page.

One data function (`report_rows`, `request_rows`) feeds both formats, so the CSV and the page
never disagree. The page is deliberately plain HTML (the portal builds the site's pages).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from html import escape

from opendata.information_requests.report import ServiceReport
from opendata.information_requests.rules import DISPUTE_OUTCOME_LABELS, DisputeOutcome
from opendata.visibility.rules import BASES

Row = tuple[str, str, str, object]  # (key, label id, label en, value)


def report_rows(report: ServiceReport) -> list[Row]:
    """The summary figures in the order of the Perki 1/2021 report, each labelled twice."""
    rows: list[Row] = [
        ("requests_received", "Permohonan diterima", "Requests received", report.requests_received),
        ("granted", "Diberikan seluruhnya", "Granted in full", report.granted),
        ("partially_granted", "Diberikan sebagian", "Partially granted", report.partially_granted),
        ("refused", "Ditolak", "Refused", report.refused),
        ("not_held", "Tidak dikuasai", "Not held", report.not_held),
        (
            "not_yet_documented",
            "Belum didokumentasikan",
            "Not yet documented",
            report.not_yet_documented,
        ),
        ("withdrawn", "Dicabut", "Withdrawn", report.withdrawn),
        ("pending", "Dalam proses", "Pending", report.pending),
        (
            "average_working_days_to_answer",
            "Rata-rata hari kerja sampai pemberitahuan",
            "Average working days to the notice",
            report.average_working_days_to_answer,
        ),
        ("answered_late", "Dijawab terlambat", "Answered late", report.answered_late),
        (
            "unanswered_past_deadline",
            "Lewat batas tanpa pemberitahuan",
            "Past the deadline with no notice",
            report.unanswered_past_deadline,
        ),
        ("late", "Terlambat (seluruhnya)", "Late (all)", report.late),
        ("fulfilled", "Informasi telah diberikan", "Information given", report.fulfilled),
        ("fees_charged", "Permohonan dengan biaya", "Requests with a fee", report.fees_charged),
        ("fees_total", "Jumlah biaya (Rp)", "Fees in total (IDR)", report.fees_total),
    ]
    for basis, count in report.refusals_by_basis:
        rule = BASES[basis]
        rows.append(
            (
                f"refusals_{basis}",
                f"Penolakan: Pasal 17 huruf {rule.letter}",
                f"Refusals: Pasal 17({rule.letter})",
                count,
            )
        )
    rows += [
        ("objections", "Keberatan diajukan", "Objections filed", report.objections),
        ("objections_upheld", "Keberatan diterima", "Objections upheld", report.objections_upheld),
        (
            "objections_rejected",
            "Keberatan ditolak",
            "Objections rejected",
            report.objections_rejected,
        ),
        (
            "objections_pending",
            "Keberatan belum ditanggapi",
            "Objections not yet answered",
            report.objections_pending,
        ),
        ("disputes", "Sengketa ke Komisi Informasi", "Disputes filed", report.disputes),
        ("disputes_decided", "Sengketa diputus", "Disputes decided", report.disputes_decided),
    ]
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


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def report_csv(report: ServiceReport) -> str:
    return _csv(("key", "label_id", "label_en", "value"), report_rows(report))


def requests_csv(report: ServiceReport) -> str:
    return _csv(REQUEST_COLUMNS, request_rows(report))


def report_html(report: ServiceReport) -> str:
    """A printable page: the figures, then the requests one per line."""
    scope = report.agency.name if report.agency else "Seluruh kabupaten / Whole regency"
    title = f"Laporan layanan informasi publik {report.year} / Public information report"
    figures = "".join(
        f"<tr><th>{escape(label_id)}<br><small>{escape(label_en)}</small></th>"
        f"<td>{escape('' if value is None else str(value))}</td></tr>"
        for _, label_id, label_en, value in report_rows(report)
    )
    head = "".join(f"<th>{escape(column)}</th>" for column in REQUEST_COLUMNS)
    lines = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in request_rows(report)
    )
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>"
        f"<h1>{escape(title)}</h1><p>{escape(scope)}</p>"
        f"<table>{figures}</table>"
        f"<h2>Permohonan / Requests</h2><table><tr>{head}</tr>{lines}</table>"
        "</body></html>"
    )
