"""Pushed rows reach the dashboard (issue 22): 100,000 rows an app pushes are counted on
`/dasbor` and in the figures the page reads, right after the push (the push is a catalogue
change, so figures cached before it are not shown after it)."""

from __future__ import annotations

from pathlib import Path

import yaml

from opendata.app import create_app
from opendata.apps.registry import add_app
from opendata.catalogue.loader import load_catalog
from opendata.dashboard.figures import DashboardFilters, dashboard_figures
from opendata.services import Services
from tests.apps.conftest import OPEN_DATASET, RESOURCE, as_csv, make_rows, push
from tests.catalogue.builders import small_catalog
from tests.conftest import asgi_client
from tests.portal.test_dashboard_page import read_panels

PUSHED = 100_000
PANEL = {
    "id": "imunisasi",
    "title": {"id": "Kasus per tahun", "en": "Cases by year"},
    "dataset": OPEN_DATASET,
    "resource": RESOURCE,
    "groupBy": ["tahun"],
    "measures": [{"op": "COUNT"}, {"op": "SUM", "field": "kasus"}],
    "chart": "bar",
    "filters": {"year": "tahun"},
}


async def test_100000_pushed_rows_appear_on_the_dashboard(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "catalog")
    (root / "dashboard.yaml").write_text(yaml.safe_dump({"panels": [PANEL]}))
    assert (await load_catalog(services, root)).ok
    app = await add_app(
        services.database, name="RT Online", agency_slug="dinkes", dataset_slugs=[OPEN_DATASET]
    )
    async with asgi_client(create_app(services)) as client:
        before = read_panels((await client.get("/dasbor?year=2025")).text)["imunisasi"]
        assert before["rows"] == []  # the catalogue's rows are of 2023 and 2024
        answer = await push(client, app.token, as_csv(make_rows(PUSHED)), key="seratus-ribu")
        assert answer.json()["rows"] == PUSHED, answer.text

        page = await client.get("/dasbor")
        assert page.status_code == 200
        rows = read_panels(page.text)["imunisasi"]["rows"]
        assert ["2025", PUSHED, sum(range(PUSHED))] in rows
        only = read_panels((await client.get("/dasbor?year=2025")).text)["imunisasi"]
        assert only["rows"] == [["2025", PUSHED, sum(range(PUSHED))]]

    (figures,) = await dashboard_figures(services, DashboardFilters(year=2025))
    assert [(g.key, g.values, g.suppressed) for g in figures.groups] == [
        ({"tahun": 2025}, [PUSHED, sum(range(PUSHED))], False)
    ]
