"""The dashboard's CSV runs no code in a spreadsheet either (issue 23): a group named by a
resident's text that starts like a formula is written as text, as in every download."""

from __future__ import annotations

from opendata.portal.pages.dashboard import _plain


def test_a_formula_like_group_is_written_as_text_and_numbers_stay_numbers() -> None:
    assert _plain("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _plain("@SUM(A1)") == "'@SUM(A1)"
    assert _plain("Sungai Raya") == "Sungai Raya"
    assert _plain(-12.0) == -12 and _plain(None) == ""
