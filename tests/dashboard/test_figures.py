"""Panel figures on SQLite and PostgreSQL: the same numbers as the GraphQL query each panel
shows, the page filters applied, cached by catalogue generation; service figures as the
annual report counts them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml

from opendata.app import create_app
from opendata.attachments.steps import answer_request
from opendata.catalogue.loader import load_catalog
from opendata.dashboard.figures import DashboardFilters, PanelFigures, dashboard_figures
from opendata.dashboard.service_figures import service_figures
from opendata.information_requests.report import service_report
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.aggregate.catalogue import PERSONAL, UNDER_INVESTIGATION, write_catalogue
from tests.conftest import asgi_client
from tests.information_requests.helpers import make_desk, walk_in, wib
from tests.web.helpers import data, gql

PANELS: list[dict[str, Any]] = [
    {
        "id": "laporan",
        "title": {"id": "Laporan per kecamatan dan kategori", "en": "Reports by district"},
        "dataset": "laporan-warga",
        "resource": "laporan",
        "groupBy": ["kecamatan", "kategori"],
        "measures": [{"op": "COUNT"}],
        "chart": "stacked-bar",
        "filters": {"kecamatan": "kecamatan", "year": "tanggal"},
    },
    {
        "id": "anggaran",
        "title": {"id": "Anggaran per tahun", "en": "Budget by year"},
        "dataset": "anggaran",
        "resource": "realisasi",
        "groupBy": ["tahun"],
        "measures": [{"op": "SUM", "field": "anggaran"}, {"op": "SUM", "field": "realisasi"}],
        "chart": "bar",
        "filters": {"year": "tahun"},
    },
]


def write_dashboard(root: Path, panels: list[dict[str, Any]] = PANELS, **options: Any) -> Path:
    write_catalogue(root, **options)
    (root / "dashboard.yaml").write_text(yaml.safe_dump({"panels": panels}))
    return root


async def answer_of(client: httpx.AsyncClient, figures: PanelFigures) -> dict[str, Any]:
    body = await gql(client, figures.graphql, figures.variables)
    found = data(body)["node"]
    assert found["name"] == figures.panel.resource
    return found["aggregate"]  # type: ignore[no-any-return]


def as_json(figures: PanelFigures) -> dict[str, Any]:
    return {
        "groups": [
            {"key": g.key, "values": g.values, "suppressed": g.suppressed} for g in figures.groups
        ],
        "suppressedGroups": figures.suppressed_groups,
    }


async def test_each_panel_shows_the_figures_of_the_query_it_names(
    services: Services, tmp_path: Path
) -> None:
    summary = await load_catalog(services, write_dashboard(tmp_path / "cat"))
    assert summary.ok, summary.refused
    client = asgi_client(create_app(services))
    for filters in [
        DashboardFilters(),
        DashboardFilters(kecamatan="Sungai Raya"),
        DashboardFilters(kecamatan="Sungai Raya", year=2025),
        DashboardFilters(year=2024),
    ]:
        figures = await dashboard_figures(services, filters)
        assert [f.panel.id for f in figures] == ["laporan", "anggaran"]
        for panel in figures:
            assert panel.problem is None
            assert as_json(panel) == await answer_of(client, panel)
    laporan, anggaran = await dashboard_figures(services, DashboardFilters("Sungai Raya", 2025))
    assert laporan.where == {
        "kecamatan": "Sungai Raya",
        "tanggal": {"gte": "2025-01-01", "lte": "2025-12-31"},
    }
    assert {g.key["kecamatan"] for g in laporan.groups} == {"Sungai Raya"}
    assert anggaran.where == {"tahun": 2025}  # no kecamatan field: that filter is not applied
    assert [g.key for g in anggaran.groups] == [{"tahun": 2025}]


async def test_a_personal_data_panel_shows_no_small_cell(
    services: Services, tmp_path: Path
) -> None:
    assert (await load_catalog(services, write_dashboard(tmp_path / "cat"))).ok
    laporan = (await dashboard_figures(services, DashboardFilters(year=2024)))[0]
    assert laporan.suppressed_groups > 0
    for group in laporan.groups:
        assert group.suppressed or (group.values[0] or 0) >= 5
        assert not group.suppressed or group.values == [None]


async def test_figures_are_cached_until_the_catalogue_changes(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "cat"
    assert (await load_catalog(services, write_dashboard(root))).ok
    first = await dashboard_figures(services)
    assert await dashboard_figures(services) is first
    # the ROW exemption lapses from the file: more rows are counted after the reload
    assert (await load_catalog(services, write_dashboard(root, laporan_exemptions=[PERSONAL]))).ok
    second = await dashboard_figures(services)
    assert second is not first

    def total(figures: list[PanelFigures]) -> float:
        return sum(g.values[0] or 0 for g in figures[0].groups if not g.suppressed)

    assert total(second) > total(first)


async def test_a_refused_dashboard_file_keeps_the_stored_one(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "cat"
    assert (await load_catalog(services, write_dashboard(root))).ok
    bad = [{**PANELS[0], "chart": "pie"}]
    summary = await load_catalog(services, write_dashboard(root, bad))
    assert [r.prop for r in summary.refused] == ["panels[0] (laporan).chart"]
    assert [f.panel.id for f in await dashboard_figures(services)] == ["laporan", "anggaran"]


async def test_service_figures_count_as_the_annual_report_does(services: Services) -> None:
    desk = await make_desk(services)
    first = (await walk_in(desk, wib(2026, 3, 16))).request.id
    await walk_in(desk, wib(2026, 3, 17))
    await answer_request(
        services,
        desk.officer,
        first,
        decision="REFUSED",
        answer="Pemberitahuan",
        exemptions=["PASAL_17H"],
        consequence_test="Uji konsekuensi",
        now=wib(2026, 4, 9),
    )
    figures = await service_figures(services, 2026)
    by_slug = {a.agency_slug: a for a in figures.agencies}
    report = await service_report(services, 2026, "diskominfo")
    diskominfo = by_slug["diskominfo"]
    assert diskominfo.received == report.requests_received == 2
    assert diskominfo.answered == 1 and diskominfo.decisions["REFUSED"] == 1
    assert diskominfo.late == report.answered_late == 1
    assert diskominfo.on_time == 0 and diskominfo.on_time_rate == 0.0
    assert diskominfo.refusals_by_basis == [("PASAL_17H", 1)]
    answered = [line.working_days for line in report.lines if line.working_days is not None]
    assert diskominfo.median_working_days == diskominfo.p90_working_days == answered[0] > 10
    assert by_slug["dinkes"].received == 0 and by_slug["dinkes"].on_time_rate is None


async def test_exemptions_by_basis_and_those_ending_within_90_days(
    services: Services, tmp_path: Path
) -> None:
    soon = {**UNDER_INVESTIGATION, "expiresOn": str(regency_today() + timedelta(days=30))}
    later = {
        **UNDER_INVESTIGATION,
        "rowFilter": {"status": "proses"},
        "expiresOn": str(regency_today() + timedelta(days=91)),
    }
    root = write_catalogue(tmp_path / "cat", laporan_exemptions=[PERSONAL, soon, later])
    assert (await load_catalog(services, root)).ok
    figures = await service_figures(services, 2026)
    assert dict(figures.exemptions_by_basis) == {"PASAL_17A": 2, "PASAL_17H": 1, "PASAL_17I": 1}
    assert [(e.dataset_slug, e.basis, e.expires_on) for e in figures.expiring] == [
        ("laporan-warga", "PASAL_17A", regency_today() + timedelta(days=30))
    ]
