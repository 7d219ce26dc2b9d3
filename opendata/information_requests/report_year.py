"""Which years an annual report can be asked for: UU KIP is of 2008; later years are typos."""

from __future__ import annotations

from opendata.errors import BadUserInput

REPORT_YEARS = range(2008, 2201)


def check_year(year: int) -> int:
    """`year` if a report can cover it, else BAD_USER_INPUT on the field `year`."""
    if year not in REPORT_YEARS:
        raise BadUserInput(
            f"Tahun harus antara {REPORT_YEARS.start} dan {REPORT_YEARS.stop - 1}.",
            f"The year must be between {REPORT_YEARS.start} and {REPORT_YEARS.stop - 1}.",
            field="year",
        )
    return year
