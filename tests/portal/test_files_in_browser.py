"""Downloading from the dataset page in Chromium, as a resident would: the saved file names
the dataset and the table, the XLSX opens with typed cells and no formula, and the
`datapackage.json` beside it describes the same columns."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.portal.conftest import Browsing
from tests.portal.test_filters_in_browser import DBD, section
from tests.portal.test_filters_in_browser import filters_server as filters_server  # fixture
from tests.portal.test_filters_in_browser import visitor as visitor  # fixture


@pytest.mark.slow
def test_the_saved_file_names_its_dataset_and_opens_typed(visitor: Browsing) -> None:
    page = visitor.page
    page.goto(visitor.url(DBD))  # type: ignore[attr-defined]
    kasus = section(page, "kasus")
    with page.expect_download() as saved:  # type: ignore[attr-defined]
        kasus.get_by_role("link", name="XLSX").click()  # type: ignore[attr-defined]
    assert saved.value.suggested_filename == "kasus-dbd-per-kecamatan-kasus.xlsx"
    book = load_workbook(io.BytesIO(Path(saved.value.path()).read_bytes()))
    sheet = book.active
    assert sheet is not None
    header, *lines = list(sheet.iter_rows())
    assert all(cell.data_type != "f" for line in lines for cell in line)
    names = [cell.value for cell in header]
    assert {
        lines[0][names.index("tahun")].data_type,
        lines[0][names.index("kecamatan")].data_type,
    } == {"n", "s"}
    link = kasus.get_by_role("link", name="datapackage.json")  # type: ignore[attr-defined]
    package = page.request.get(visitor.url(link.get_attribute("href"))).json()  # type: ignore[attr-defined]
    (described,) = package["resources"]
    assert [f["name"] for f in described["schema"]["fields"]] == names
