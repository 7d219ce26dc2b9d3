"""The annual report's one printable page (/reports/<year>.html): `annual_report.html` over the
same sections and rows the CSV downloads carry (`report_formats`), every value escaped."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from opendata.date_words import date_en, tanggal
from opendata.information_requests.report import ServiceReport
from opendata.information_requests.report_formats import (
    ARTICLE,
    REQUEST_COLUMNS,
    report_sections,
    request_rows,
)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("opendata.web", "templates"),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_html(report: ServiceReport) -> str:
    """A printable page: the parts of Pasal 56(2) in order (figures and the narrative an admin
    wrote), then the requests one per line (no personal data)."""
    as_of, due_by = report.as_of.isoformat(), report.due_by.isoformat()
    return (
        _environment()
        .get_template("annual_report.html")
        .render(
            title=f"Laporan layanan informasi publik {report.year} / Public information report",
            scope=report.agency.name if report.agency else "Seluruh kabupaten / Whole regency",
            year=report.year,
            article=ARTICLE,
            final=report.final,
            as_of=(tanggal(as_of), date_en(as_of)),
            due_by=(tanggal(due_by), date_en(due_by)),
            sections=report_sections(report),
            columns=REQUEST_COLUMNS,
            lines=request_rows(report),
            cell=_cell,
        )
    )
