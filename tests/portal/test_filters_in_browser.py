"""Filtering a dataset's tables and searching by year and place in Chromium, as a resident on
a phone or a desk would: type `sungai kakap` in lower case and see its 7 rows, sort and page
the second table while the first is filtered, search `dbd sungai kakap 2024`. Each page seen
is checked for sideways scroll and serious axe-core violations.

The server carries the portal test catalogue with the demo's dengue register (63 rows by
district, 84 by month: two tables) and the stunting dataset."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.portal.catalog import portal_catalog
from tests.portal.conftest import WIDTHS, Browsing, layout_problems, open_page
from tests.web.server import ServerProcess

DEMO = Path(__file__).parents[2] / "catalog"
DBD = "/dataset/kasus-dbd-per-kecamatan"


@pytest.fixture(scope="module")
def filters_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = tmp_path_factory.mktemp("filters")
    catalog = portal_catalog(root / "catalog")
    for slug in ("kasus-dbd-per-kecamatan", "prevalensi-stunting-balita"):
        shutil.rmtree(catalog / "dinkes" / slug, ignore_errors=True)
        shutil.copytree(DEMO / "dinkes" / slug, catalog / "dinkes" / slug)
    server = ServerProcess(root / "data")
    server.run("catalog", "load", str(catalog))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def visitor(
    browser: object, filters_server: ServerProcess, request: pytest.FixtureRequest
) -> Iterator[Browsing]:
    context, page, traffic = open_page(browser, filters_server.url, request.param)
    yield Browsing(page, traffic, filters_server.url)
    context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == [], f"requests to another host: {traffic.foreign}"


# the dengue register's two tables, by the titles their headings show (the data package's)
HEADINGS = {"kasus": "Kasus DBD per kecamatan per tahun", "kasus-bulanan": "Kasus DBD per bulan"}


def section(page: object, name: str) -> object:
    """The resource section of the table `name` (a region labelled by its heading)."""
    heading = f"{HEADINGS[name]} CSV"
    return page.get_by_role("region", name=heading, exact=True)  # type: ignore[attr-defined]


def assert_fits(page: object, name: str) -> None:
    """No sideways scroll and no serious axe-core violation on the page as it is now."""
    problems: dict[str, object] = {}
    layout_problems(page, problems, name)
    assert problems == {}


def column(part: object, index: int) -> list[str]:
    return part.locator(f"table tbody tr td:nth-child({index})").all_inner_texts()  # type: ignore[attr-defined]


def filter_by_district(page: object, text: str) -> object:
    """Open the first table's filters, type `text` for the district, apply."""
    kasus = section(page, "kasus")
    kasus.locator("summary").click()  # type: ignore[attr-defined]
    kasus.get_by_label("Kecamatan memuat").fill(text)  # type: ignore[attr-defined]
    kasus.get_by_role("button", name="Saring").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"\?kasus\.kecamatan\.contains=sungai\+kakap#res-1$"))  # type: ignore[attr-defined]
    return section(page, "kasus")


@pytest.mark.slow
def test_typing_a_district_in_lower_case_shows_its_seven_rows(visitor: Browsing) -> None:
    page = visitor.page
    page.goto(visitor.url(DBD))  # type: ignore[attr-defined]
    kasus = filter_by_district(page, "sungai kakap")
    assert column(kasus, 2) == ["Sungai Kakap"] * 7
    assert "7 baris" in kasus.locator(".downloads").inner_text()  # type: ignore[attr-defined]
    for link in ("Unduh CSV", "JSON Lines", "XLSX"):
        href = kasus.get_by_role("link", name=link).get_attribute("href")  # type: ignore[attr-defined]
        assert "where=%7B%22kecamatan%22%3A%7B%22contains%22%3A%22sungai+kakap%22%7D%7D" in href
    assert_fits(page, "filtered")


@pytest.mark.slow
def test_sorting_and_paging_the_second_table_keeps_the_first_filtered(visitor: Browsing) -> None:
    page = visitor.page
    page.goto(visitor.url(DBD))  # type: ignore[attr-defined]
    filter_by_district(page, "sungai kakap")
    monthly = section(page, "kasus-bulanan")
    monthly.get_by_role("link", name=re.compile("^Jumlah kasus se-kabupaten")).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"kasus-bulanan\.sort=jumlah_kasus"))  # type: ignore[attr-defined]
    section(page, "kasus-bulanan").get_by_role("link", name=re.compile("Berikutnya")).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"kasus-bulanan\.page=2"))  # type: ignore[attr-defined]
    assert column(section(page, "kasus"), 2) == ["Sungai Kakap"] * 7
    monthly = section(page, "kasus-bulanan")
    counts = [int(c.replace(".", "")) for c in column(monthly, 3)]
    assert len(counts) == 20 and counts == sorted(counts)
    assert "Baris 21 sampai 40 dari 84" in monthly.inner_text()  # type: ignore[attr-defined]
    assert_fits(page, "second table")


@pytest.mark.slow
def test_the_downloads_hold_the_rows_shown_in_the_order_shown(visitor: Browsing) -> None:
    from openpyxl import load_workbook

    page = visitor.page
    page.goto(visitor.url(DBD))  # type: ignore[attr-defined]
    kasus = filter_by_district(page, "sungai kakap")
    for _ in range(2):  # the number of cases, largest first
        kasus.get_by_role("link", name=re.compile("^Jumlah kasus")).click()  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        kasus = section(page, "kasus")
    page.wait_for_url(re.compile(r"kasus\.sort=-jumlah_kasus"))  # type: ignore[attr-defined]
    shown = list(zip(column(kasus, 1), column(kasus, 2), column(kasus, 3), strict=True))
    assert len(shown) == 7 and [int(n) for _, _, n in shown] == sorted(
        (int(n) for _, _, n in shown), reverse=True
    )
    with page.expect_download() as csv_download:  # type: ignore[attr-defined]
        kasus.get_by_role("link", name="Unduh CSV").click()  # type: ignore[attr-defined]
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["tahun"], r["kecamatan"], r["jumlah_kasus"]) for r in rows] == shown
    with page.expect_download() as xlsx_download:  # type: ignore[attr-defined]
        kasus.get_by_role("link", name="XLSX").click()  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = {name: header.index(name) for name in ("tahun", "kecamatan", "jumlah_kasus")}
    got = [(str(r[at["tahun"]]), r[at["kecamatan"]], str(r[at["jumlah_kasus"]])) for r in cells]
    assert got == shown


@pytest.mark.slow
@pytest.mark.parametrize(
    ("words", "title"),
    [
        ("dbd sungai kakap 2024", "Demam Berdarah"),
        ("demam berdarah 2023", "Demam Berdarah"),
        ("stunting 2024", "Stunting"),
    ],
)
def test_a_search_with_a_year_and_a_place_finds_the_dataset(
    visitor: Browsing, words: str, title: str
) -> None:
    page = visitor.page
    page.goto(visitor.url("/"))  # type: ignore[attr-defined]
    page.get_by_label("Cari data").fill(words)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Cari").click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/cari\?q="))  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name=re.compile("Tidak ditemukan")).count() == 0  # type: ignore[attr-defined]
    year = words.split()[-1]
    assert f"Tahun {year} dibaca sebagai periode" in page.locator("#year-read").inner_text()  # type: ignore[attr-defined]
    page.get_by_role("link", name=re.compile(title)).first.click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile("/dataset/"))  # type: ignore[attr-defined]
    assert_fits(page, "dataset")
