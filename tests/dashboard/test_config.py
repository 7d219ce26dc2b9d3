"""`dashboard.yaml` is validated like a data package: the demo file reads clean, and each
kind of mistake is refused with the panel and the property named."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from opendata.catalogue.reader import Refusal, read_catalog
from opendata.config import DEMO_CATALOG
from opendata.dashboard.config import DashboardConfig, read_dashboard
from tests.aggregate.catalogue import write_catalogue

PANEL: dict[str, Any] = {
    "id": "laporan",
    "title": {"id": "Laporan per kecamatan", "en": "Reports by district"},
    "dataset": "laporan-warga",
    "resource": "laporan",
    "groupBy": ["kecamatan", "year(tanggal)"],
    "measures": [{"op": "COUNT"}, {"op": "SUM", "field": "biaya"}],
    "chart": "stacked-bar",
    "filters": {"kecamatan": "kecamatan", "year": "tanggal"},
}


def test_the_demo_dashboard_reads_clean_against_the_demo_catalogue() -> None:
    read = read_dashboard(DEMO_CATALOG, read_catalog(DEMO_CATALOG))
    assert isinstance(read, DashboardConfig)
    datasets = {p.dataset for p in read.panels}
    assert {
        "laporan-rt-online",
        "umkm-per-sektor",
        "kasus-dbd-per-kecamatan",
        "kejadian-bencana",
        "realisasi-apbd-per-opd",
    } <= datasets
    assert {p.chart for p in read.panels} >= {"bar", "line", "stacked-bar"}


def write_panels(root: Path, *panels: dict[str, Any]) -> Path:
    write_catalogue(root)
    (root / "dashboard.yaml").write_text(yaml.safe_dump({"panels": list(panels)}))
    return root


def changed(**changes: Any) -> dict[str, Any]:
    panel = copy.deepcopy(PANEL)
    for key, value in changes.items():
        if value is None:
            panel.pop(key)
        else:
            panel[key] = value
    return panel


def test_a_good_panel_reads(tmp_path: Path) -> None:
    root = write_panels(tmp_path, PANEL)
    read = read_dashboard(root, read_catalog(root))
    assert isinstance(read, DashboardConfig)
    assert read.panels[0].to_json() == PANEL


@pytest.mark.parametrize(
    ("panel", "prop", "words"),
    [
        (changed(chart="pie"), "panels[0] (laporan).chart", "bar, line, stacked-bar, table"),
        (changed(dataset="tidak-ada"), "panels[0] (laporan).dataset", "tidak-ada"),
        (changed(resource="lain"), "panels[0] (laporan).resource", "laporan"),
        (changed(groupBy=["desa"]), "panels[0] (laporan).groupBy[0]", "desa"),
        (changed(groupBy=["pelapor"]), "panels[0] (laporan).groupBy[0]", "withheld"),
        (changed(groupBy=["year(kecamatan)"]), "panels[0] (laporan).groupBy[0]", "date"),
        (
            changed(measures=[{"op": "SUM", "field": "kategori"}]),
            "panels[0] (laporan).measures[0].field",
            "integer or number",
        ),
        (changed(measures=[{"op": "MEDIAN"}]), "panels[0] (laporan).measures[0].op", "COUNT"),
        (changed(measures=[{"op": "SUM"}]), "panels[0] (laporan).measures[0].field", "numeric"),
        (changed(filters={"year": "kategori"}), "panels[0] (laporan).filters.year", "date"),
        (changed(filters={"desa": "kecamatan"}), "panels[0] (laporan).filters", "kecamatan"),
        (changed(title={"id": "Laporan"}), "panels[0] (laporan).title.en", "English"),
        (changed(id="Bad Id"), "panels[0].id", "a-z"),
        (changed(colour="red"), "panels[0].colour", "no such property"),
        (
            changed(
                dataset="memo",
                resource="realisasi",
                groupBy=["opd"],
                measures=[{"op": "COUNT"}],
                filters={},
            ),
            "panels[0] (memo).dataset",
            "withheld whole",
        ),
    ],
)
def test_a_bad_panel_is_refused_naming_the_panel_and_property(
    tmp_path: Path, panel: dict[str, Any], prop: str, words: str
) -> None:
    if panel.get("dataset") == "memo":
        panel["id"] = "memo"
    root = write_panels(tmp_path, panel)
    read = read_dashboard(root, read_catalog(root))
    assert isinstance(read, Refusal)
    assert read.path.endswith("dashboard.yaml")
    assert read.prop == prop
    assert words in read.message


def test_panel_ids_are_unique_and_a_file_must_have_panels(tmp_path: Path) -> None:
    root = write_panels(tmp_path, PANEL, PANEL)
    read = read_dashboard(root, read_catalog(root))
    assert isinstance(read, Refusal) and read.prop == "panels[1] (laporan).id"
    (root / "dashboard.yaml").write_text("panels: {}\n")
    read = read_dashboard(root, read_catalog(root))
    assert isinstance(read, Refusal) and read.prop == "panels"
    (root / "dashboard.yaml").unlink()
    assert read_dashboard(root, read_catalog(root)) is None
