"""/statistik shows, per agency and year, exactly the figures of `serviceReport` (both backends)."""

from __future__ import annotations

import csv
import io
import math
import statistics
from html.parser import HTMLParser
from typing import Any

import httpx
from graphql import parse, validate

from opendata.app import create_app
from opendata.config import Limits
from opendata.portal import api_queries
from opendata.services import Services
from opendata.web.graphql.build import build_schema
from tests.conftest import asgi_client
from tests.information_requests.helpers import NIK, make_desk
from tests.information_requests.test_report import _known_set
from tests.web.helpers import gql

REPORT = """query($year: Int!, $agency: String) {
  serviceReport(year: $year, agency: $agency) {
    requestsReceived granted partiallyGranted refused notHeld notYetDocumented answeredLate
    unansweredPastDeadline
    refusalsByBasis { basis count }
    objections objectionsUpheld objectionsRejected objectionsPending disputes disputesDecided
    lines { workingDays }
  }
}"""


class _Tables(HTMLParser):
    """Every table of a page: its header cells and its body/foot rows as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"head": [], "rows": [], "foot": [], "aria_sort": {}})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            sort = dict(attrs).get("aria-sort")
            if sort and self._section == "thead":
                self.tables[-1]["aria_sort"][len(self._row or [])] = sort

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(
                " ".join("".join(self._cell).replace("↑", "").replace("↓", "").split())
            )
            self._cell = None
        elif tag == "tr" and self._row is not None:
            key = {"thead": "head", "tbody": "rows", "tfoot": "foot"}[self._section]
            target = self.tables[-1][key]
            if key == "head":
                target.extend(self._row)
            else:
                target.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> list[dict[str, Any]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _number(text: str) -> float | None:
    """A figure as the English page writes it ("1,234", "8.5", "75%", "–" for none)."""
    text = text.replace(",", "").removesuffix("%").strip()
    return None if text in ("–", "") else float(text)


def expected_columns(report: dict[str, Any]) -> dict[str, float | None]:
    """The page's columns computed here from `serviceReport`, independently of the page."""
    answered = sum(
        report[key]
        for key in ("granted", "partiallyGranted", "refused", "notHeld", "notYetDocumented")
    )
    days = sorted(
        line["workingDays"] for line in report["lines"] if line["workingDays"] is not None
    )
    on_time = answered - report["answeredLate"]
    return {
        "Received": report["requestsReceived"],
        "Answered": answered,
        "On time": on_time,
        "Answered late": report["answeredLate"],
        "Past deadline, no notice yet": report["unansweredPastDeadline"],
        # requests past their deadline with no notice count as late (issue 20, finding 12)
        "On-time rate": round(100 * on_time / due, 1)
        if (due := answered + report["unansweredPastDeadline"])
        else None,
        "Median working days": statistics.median(days) if days else None,
        "90th percentile working days": days[math.ceil(0.9 * len(days)) - 1] if days else None,
        "Granted in full": report["granted"],
        "Partially granted": report["partiallyGranted"],
        "Refused": report["refused"],
        "Not held": report["notHeld"],
        "Not yet documented": report["notYetDocumented"],
        "Objections": report["objections"],
        "Objections upheld": report["objectionsUpheld"],
        "Objections rejected": report["objectionsRejected"],
        "Objections not yet answered": report["objectionsPending"],
        "Disputes": report["disputes"],
        "Disputes decided": report["disputesDecided"],
    }


async def _report(client: httpx.AsyncClient, year: int, agency: str | None) -> dict[str, Any]:
    body = await gql(client, REPORT, {"year": year, "agency": agency})
    assert "errors" not in body, body
    report: dict[str, Any] = body["data"]["serviceReport"]
    return report


async def test_each_page_figure_equals_service_report_over_graphql(services: Services) -> None:
    desk = await make_desk(services)
    await _known_set(desk)
    async with asgi_client(create_app(services)) as client:
        page = await client.get("/statistik", params={"year": "2026", "lang": "en"})
        assert page.status_code == 200, page.text
        per_agency, bases = page_tables(page.text)[:2]
        head = per_agency["head"]
        assert head[0] == "Agency"
        names = {"Dinas Komunikasi dan Informatika": "diskominfo", "Dinas Kesehatan": "dinkes"}
        shown = {row[0]: row for row in per_agency["rows"]}
        assert set(shown) == set(names)
        compared = 0
        for name, slug in names.items():
            report = await _report(client, 2026, slug)
            for label, expected in expected_columns(report).items():
                assert _number(shown[name][head.index(label)]) == expected, (name, label)
                compared += 1
            refusals = {basis["basis"]: basis["count"] for basis in report["refusalsByBasis"]}
            basis_rows = {row[0]: row[1:] for row in bases["rows"]}
            if refusals:
                letters = [h.removeprefix("Pasal 17 huruf ") for h in bases["head"][1:]]
                assert {
                    f"PASAL_17{letter.upper()}": int(count)
                    for letter, count in zip(letters, basis_rows[name], strict=True)
                    if int(count)
                } == refusals
            else:
                assert name not in basis_rows
        assert compared == 2 * 19
        # the footer is the regency's report
        regency = await _report(client, 2026, None)
        total = per_agency["foot"][0]
        assert total[0] == "Whole regency"
        for label, expected in expected_columns(regency).items():
            assert _number(total[head.index(label)]) == expected, label

        # the CSV is the same table
        download = await client.get("/statistik.csv", params={"year": "2026"})
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("text/csv")
        assert 'filename="statistik-2026.csv"' in download.headers["content-disposition"]
        lines = list(csv.DictReader(io.StringIO(download.text)))
        by_slug = {line["agency_slug"]: line for line in lines}
        diskominfo = await _report(client, 2026, "diskominfo")
        assert by_slug["diskominfo"]["received"] == str(diskominfo["requestsReceived"])
        assert by_slug["diskominfo"]["late"] == str(diskominfo["answeredLate"])
        assert by_slug["diskominfo"]["overdue"] == str(diskominfo["unansweredPastDeadline"]) == "1"
        assert by_slug["diskominfo"]["refusals_PASAL_17H"] == "2"
        assert by_slug["diskominfo"]["objections_pending"] == str(diskominfo["objectionsPending"])
        assert by_slug[""]["received"] == str(regency["requestsReceived"])
        assert by_slug["diskominfo"]["median_working_days"] == "8.5"  # days 1, 5, 12, 16


async def test_table_sorts_on_the_server_and_says_so_with_aria_sort(services: Services) -> None:
    desk = await make_desk(services)
    await _known_set(desk)
    async with asgi_client(create_app(services)) as client:
        ascending = await client.get("/statistik", params={"year": "2026", "lang": "en"})
        table = page_tables(ascending.text)[0]
        assert [row[0] for row in table["rows"]] == [
            "Dinas Kesehatan",
            "Dinas Komunikasi dan Informatika",
        ]
        assert table["aria_sort"] == {0: "ascending"}
        assert 'href="/statistik?year=2026&amp;lang=en&amp;sort=received&amp;dir=desc' in (
            ascending.text
        )
        busiest = await client.get(
            "/statistik", params={"year": "2026", "lang": "en", "sort": "received", "dir": "asc"}
        )
        table = page_tables(busiest.text)[0]
        assert table["rows"][0][0] == "Dinas Kesehatan"  # 1 request, then 6
        assert table["aria_sort"] == {table["head"].index("Received"): "ascending"}
        slowest = await client.get(
            "/statistik",
            params={"year": "2026", "lang": "en", "sort": "p90_working_days", "dir": "desc"},
        )
        table = page_tables(slowest.text)[0]
        assert table["rows"][0][0] == "Dinas Komunikasi dan Informatika"
        assert table["aria_sort"] == {
            table["head"].index("90th percentile working days"): "descending"
        }
        # the year form keeps the order
        assert '<option value="p90_working_days" selected>' in slowest.text
        assert '<option value="desc" selected>' in slowest.text


async def test_year_selector_lists_the_years_with_requests(services: Services) -> None:
    desk = await make_desk(services)
    await _known_set(desk)
    async with asgi_client(create_app(services)) as client:
        page = await client.get("/statistik", params={"lang": "en"})
        assert page.status_code == 200
        assert "Information service statistics 2027" in page.text  # the newest year first
        assert '<option value="2026" >2026</option>' in page.text.replace("  ", " ")
        assert '<option value="2027" selected>2027</option>' in page.text


async def test_links_to_the_api_the_csv_and_the_annual_report(services: Services) -> None:
    async with asgi_client(create_app(services)) as client:
        page = await client.get("/statistik", params={"year": "2025"})
        assert page.status_code == 200
        html = page.text
        assert "API untuk halaman ini" in html
        assert (
            "serviceReport"
            in httpx.URL(_href_after(html, 'type="application/json"')).params["query"]
        )
        assert 'href="/statistik.csv?year=2025"' in html
        assert 'href="/reports/2025.html"' in html
        assert 'href="/reports/2025.csv?part=requests"' in html
        assert page.headers["content-security-policy"].startswith("default-src 'self'")


def _href_after(html: str, marker: str) -> str:
    start = html.index(marker)
    href = html.index('href="', start) + len('href="')
    return html[href : html.index('"', href)].replace("&amp;", "&")


async def test_bad_year_or_order_is_a_bilingual_400_not_a_500(services: Services) -> None:
    async with asgi_client(create_app(services)) as client:
        for params in ({"year": "19x"}, {"year": "1900"}, {"sort": "nik"}, {"dir": "up"}):
            page = await client.get("/statistik", params={**params, "lang": "en"})
            assert page.status_code == 400, params
            assert "must be" in page.text or "Unknown order" in page.text
            indonesian = await client.get("/statistik.csv", params={**params, "lang": "id"})
            assert indonesian.status_code == 400
            assert "Tahun harus" in indonesian.text or "Urutan tidak dikenal" in indonesian.text


async def test_never_the_requesters_personal_data(services: Services) -> None:
    desk = await make_desk(services)
    await _known_set(desk)
    async with asgi_client(create_app(services)) as client:
        for path in ("/statistik?year=2026", "/statistik.csv?year=2026"):
            body = (await client.get(path)).text
            for personal in ("Siti Aminah", NIK, "Jl. Merdeka", "0812000000", "@"):
                assert personal not in body, (path, personal)


def test_the_pages_query_is_valid_against_the_schema() -> None:
    schema = build_schema(Limits())
    assert validate(schema._schema, parse(api_queries.STATISTICS)) == []
