"""`/dasbor` on SQLite and PostgreSQL: each panel's table is what `aggregate` answers through
GraphQL for the same panel and filters, the CSV is the table, small cells of personal data
never show, withheld values never appear, and only this page may run a script."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.attachments.steps import answer_request
from opendata.catalogue.loader import load_catalog
from opendata.information_requests.service import file_request
from opendata.regency_time import REGENCY_TZ
from opendata.services import Services
from tests.conftest import asgi_client
from tests.dashboard.test_figures import write_dashboard
from tests.information_requests.helpers import walk_in_form
from tests.web.helpers import data, gql

SUPPRESSED = "suppressed"
FILTERS = ("", "?kecamatan=Sungai+Raya", "?year=2025", "?kecamatan=Sungai+Raya&year=2024")
CATALOGUE_PANELS = ("laporan", "anggaran")


class PanelReader(HTMLParser):
    """Each panel of the page read back: its table cells, chart JSON, links and text."""

    def __init__(self) -> None:
        super().__init__()
        self.panels: dict[str, dict[str, Any]] = {}
        self.panel: dict[str, Any] | None = None
        self.cell: dict[str, Any] | None = None
        self.json_text: str | None = None
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "data-panel" in found:
            self.panel = {"rows": [], "links": [], "json": None, "text": []}
            self.panels[str(found["data-panel"])] = self.panel
        if self.panel is None:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.panel["rows"].append([])
        elif tag == "td" and self.in_body:
            self.cell = {"attrs": found, "text": ""}
        elif tag == "a":
            self.panel["links"].append(found.get("href"))
        elif tag == "script" and found.get("type") == "application/json":
            self.json_text = ""

    def handle_endtag(self, tag: str) -> None:
        if self.panel is None:
            return
        if tag == "td" and self.cell is not None:
            self.panel["rows"][-1].append(cell_value(self.cell))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "script" and self.json_text is not None:
            self.panel["json"] = json.loads(self.json_text)
            self.json_text = None
        elif tag == "section":
            self.panel = None

    def handle_data(self, text: str) -> None:
        if self.panel is None:
            return
        self.panel["text"].append(text)
        if self.cell is not None:
            self.cell["text"] += text
        if self.json_text is not None:
            self.json_text += text


def cell_value(cell: dict[str, Any]) -> Any:
    """A key cell's text (None for "—"); a number cell's raw value, or SUPPRESSED."""
    attrs = cell["attrs"]
    if attrs.get("data-suppressed") == "true":
        return SUPPRESSED
    if "data-value" in attrs:
        return float(attrs["data-value"]) if attrs["data-value"] else None
    text = cell["text"].strip()
    return None if text == "—" else text


def read_panels(html: str) -> dict[str, dict[str, Any]]:
    reader = PanelReader()
    reader.feed(html)
    return reader.panels


def link(panel: dict[str, Any], starts: str) -> str:
    return unescape(next(h for h in panel["links"] if h and h.startswith(starts)))


async def answer_behind(
    client: httpx.AsyncClient, panel: dict[str, Any], resource: str
) -> dict[str, Any]:
    """What the panel's own "API for this page" link answers (its query and variables)."""
    params = parse_qs(urlsplit(link(panel, "/graphql?")).query)
    variables = json.loads(params["variables"][0])
    found = data(await gql(client, params["q"][0], variables))["node"]
    assert found["name"] == resource
    return found["aggregate"]  # type: ignore[no-any-return]


def as_rows(answer: dict[str, Any], group_by: list[str]) -> list[list[Any]]:
    return [
        [
            *(None if g["key"][name] is None else str(g["key"][name]) for name in group_by),
            *(SUPPRESSED if g["suppressed"] else v for v in g["values"]),
        ]
        for g in answer["groups"]
    ]


def csv_rows(text: str) -> list[list[Any]]:
    """The CSV back in the table's form: empty and marked suppressed -> SUPPRESSED."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    measures = len(header) - 1 - sum(1 for name in header if name in GROUP_NAMES)
    found = []
    for row in rows:
        *cells, marked = row
        keys, values = cells[: len(cells) - measures], cells[len(cells) - measures :]
        found.append(
            [
                *(value or None for value in keys),
                *(SUPPRESSED if marked == "true" else (float(v) if v else None) for v in values),
            ]
        )
    return found


GROUP_NAMES = {"kecamatan", "kategori", "tahun"}
GROUP_BY = {"laporan": ["kecamatan", "kategori"], "anggaran": ["tahun"]}
RESOURCE = {"laporan": "laporan", "anggaran": "realisasi"}


@pytest.fixture
async def dashboard_app(services: Services, tmp_path: Path) -> httpx.AsyncClient:
    assert (await load_catalog(services, write_dashboard(tmp_path / "cat"))).ok
    return asgi_client(create_app(services))


async def test_each_panel_table_is_what_aggregate_answers_for_the_same_filters(
    dashboard_app: httpx.AsyncClient,
) -> None:
    for query in FILTERS:
        page = await dashboard_app.get("/dasbor" + query)
        assert page.status_code == 200, page.text
        panels = read_panels(page.text)
        for panel_id in CATALOGUE_PANELS:
            answer = await answer_behind(dashboard_app, panels[panel_id], RESOURCE[panel_id])
            expected = as_rows(answer, GROUP_BY[panel_id])
            assert panels[panel_id]["rows"] == expected, (query, panel_id)
    # the filters reached the figures: one kecamatan only, and the budget of one year
    panels = read_panels((await dashboard_app.get("/dasbor?kecamatan=Sungai+Raya")).text)
    assert {row[0] for row in panels["laporan"]["rows"]} == {"Sungai Raya"}
    panels = read_panels((await dashboard_app.get("/dasbor?year=2025")).text)
    assert [row[0] for row in panels["anggaran"]["rows"]] == ["2025"]


async def test_a_personal_data_panel_shows_no_small_cell_and_no_total_that_reveals_one(
    dashboard_app: httpx.AsyncClient,
) -> None:
    for query in FILTERS:
        panels = read_panels((await dashboard_app.get("/dasbor" + query)).text)
        laporan = panels["laporan"]
        counts = [row[2] for row in laporan["rows"]]
        assert all(c == SUPPRESSED or c >= 5 for c in counts), (query, counts)
        if query == "?year=2025":
            assert SUPPRESSED in counts  # the fixture has small groups: they are marked
            assert "disembunyikan: terlalu kecil" in "".join(laporan["text"])
        # the chart carries the same cells: a suppressed one is a gap, never a number
        drawn = [v for s in laporan["json"]["series"] for v in s["data"] if v is not None]
        assert sorted(drawn) == sorted(c for c in counts if c != SUPPRESSED)
        # and nothing on the panel adds up the groups (a total could reveal a hidden cell)
        assert not re.search(r"\bTotal\b|\bJumlah total\b", "".join(laporan["text"]))
        # a margin (one kecamatan, one kategori, everything) hides none of its groups, all
        # of them, or at least two: its total, asked for elsewhere, minus the groups shown
        # never gives back one small cell
        for position in (0, 1, None):
            margins: dict[Any, list[bool]] = {}
            for row in laporan["rows"]:
                margin = row[position] if position is not None else "all"
                margins.setdefault(margin, []).append(row[2] == SUPPRESSED)
            for margin, hidden in margins.items():
                assert sum(hidden) != 1 or len(hidden) == 1, (query, margin, hidden)


async def test_the_csv_of_a_panel_is_its_table(dashboard_app: httpx.AsyncClient) -> None:
    for query in FILTERS:
        panels = read_panels((await dashboard_app.get("/dasbor" + query)).text)
        for panel_id in CATALOGUE_PANELS:
            response = await dashboard_app.get(link(panels[panel_id], f"/dasbor/{panel_id}.csv"))
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/csv")
            assert csv_rows(response.text) == panels[panel_id]["rows"], (query, panel_id)
    # the CSV link keeps the filters the panel has
    panels = read_panels((await dashboard_app.get("/dasbor?kecamatan=Sungai+Raya&year=2025")).text)
    assert link(panels["laporan"], "/dasbor/laporan.csv").endswith(
        "?kecamatan=Sungai+Raya&year=2025"
    )
    assert link(panels["anggaran"], "/dasbor/anggaran.csv").endswith("?year=2025")


async def test_withheld_values_never_appear_on_the_page_or_in_a_csv(
    dashboard_app: httpx.AsyncClient,
) -> None:
    for query in FILTERS:
        page = await dashboard_app.get("/dasbor" + query)
        texts = [page.text]
        for panel_id in CATALOGUE_PANELS:
            texts.append((await dashboard_app.get(f"/dasbor/{panel_id}.csv{query}")).text)
        for text in texts:
            assert "Warga " not in text  # the reporters' names (a FIELD-withheld column)
            assert "pelapor" not in text
            assert "dalam penyelidikan" not in text  # the ROW-withheld status


async def test_filters_say_which_panels_they_do_not_apply_to(
    dashboard_app: httpx.AsyncClient,
) -> None:
    panels = read_panels((await dashboard_app.get("/dasbor?kecamatan=Kubu")).text)
    said = {panel_id: "".join(p["text"]) for panel_id, p in panels.items()}
    assert "tidak berlaku" not in said["laporan"]
    assert "Saringan Kecamatan tidak berlaku" in said["anggaran"]
    assert "Saringan Kecamatan tidak berlaku" in said["layanan-permohonan"]


async def test_a_malformed_filter_is_refused_in_plain_words(
    dashboard_app: httpx.AsyncClient,
) -> None:
    page = await dashboard_app.get("/dasbor?year=20x5")
    assert page.status_code == 400 and "Tahun harus 4 angka." in page.text
    csv_response = await dashboard_app.get("/dasbor/laporan.csv?year=1")
    assert csv_response.status_code == 400
    missing = await dashboard_app.get("/dasbor/tidak-ada.csv")
    assert missing.status_code == 404 and "tidak-ada" in missing.text


async def test_only_the_dashboard_runs_scripts_and_only_its_own(
    dashboard_app: httpx.AsyncClient,
) -> None:
    page = await dashboard_app.get("/dasbor")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for tag in re.findall(r"<script\b[^>]*>", page.text):
        assert re.search(r'type="application/json"|src="/static/', tag), tag
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts == ["/static/vendor/chart.js/chart.umd.min.js", "/static/js/dashboard.js"]
    for path in ("/", "/cari", "/tenggat"):
        other = await dashboard_app.get(path)
        assert "script-src 'none'" in other.headers["content-security-policy"], path
        assert "chart.umd" not in other.text


async def test_the_service_panels_count_as_the_annual_report(
    services: Services, dashboard_app: httpx.AsyncClient
) -> None:
    officer = (
        await create_user(
            services.database,
            email="ppid@kab.go.id",
            name="PPID",
            role="OFFICER",
            agency_slug="diskominfo",
        )
    ).viewer
    received = [datetime(2025, month, 3, 10, tzinfo=REGENCY_TZ) for month in (2, 3, 4)]
    filed = [await file_request(services, officer, walk_in_form(at), now=at) for at in received]
    await answer_request(
        services,
        officer,
        filed[0].request.id,
        decision="REFUSED",
        answer="Pemberitahuan",
        exemptions=["PASAL_17H"],
        consequence_test="Uji konsekuensi",
        now=datetime(2025, 2, 10, 10, tzinfo=REGENCY_TZ),
    )
    panels = read_panels((await dashboard_app.get("/dasbor?year=2025")).text)
    report = data(
        await gql(
            dashboard_app,
            'query { serviceReport(year: 2025, agency: "diskominfo") '
            "{ requestsReceived refused refusalsByBasis { basis count } } }",
        )
    )["serviceReport"]
    assert panels["layanan-permohonan"]["rows"] == [
        ["Dinas Komunikasi dan Informatika", float(report["requestsReceived"])]
    ]
    assert panels["layanan-dasar-penolakan"]["rows"] == [["Pasal 17 huruf h", 1.0]]
    # the panel's own query answers the same
    params = parse_qs(urlsplit(link(panels["layanan-permohonan"], "/graphql?")).query)
    answer = data(await gql(dashboard_app, params["q"][0], json.loads(params["variables"][0])))
    assert answer["a_diskominfo"]["requestsReceived"] == 3
    # the exemption panels' query answers the exemptions in force they count
    params = parse_qs(urlsplit(link(panels["pengecualian-per-dasar"], "/graphql?")).query)
    datasets = data(await gql(dashboard_app, params["q"][0]))["datasets"]["edges"]
    bases = sorted(e["basis"] for d in datasets for e in d["node"]["exemptions"] if e["active"])
    assert panels["pengecualian-per-dasar"]["rows"] == [
        [f"Pasal 17 huruf {basis[-1].lower()}", float(bases.count(basis))]
        for basis in sorted(set(bases))
    ]
    csv_text = (await dashboard_app.get("/dasbor/layanan-permohonan.csv?year=2025")).text
    assert list(csv.reader(io.StringIO(csv_text))) == [
        ["Badan publik", "Permohonan diterima"],
        ["Dinas Komunikasi dan Informatika", "3"],
    ]
