"""The table, the CSV and the chart of a panel read the same numbers; suppressed cells are
gaps, never numbers; the service table sorts with empty cells last."""

from __future__ import annotations

from opendata.catalogue.aggregate import AggregateGroup
from opendata.dashboard.config import Panel
from opendata.dashboard.figures import PanelFigures
from opendata.dashboard.service_figures import agency_service
from opendata.dashboard.tables import chart_spec, panel_table, service_table
from opendata.information_requests.report import ServiceReport

PANEL = Panel(
    "laporan",
    "Laporan",
    "Reports",
    "laporan-warga",
    "laporan",
    ("kecamatan", "kategori"),
    (("COUNT", None),),
    "stacked-bar",
)
FIGURES = PanelFigures(
    PANEL,
    [
        AggregateGroup({"kecamatan": "Kubu", "kategori": "sampah"}, [12.0], False),
        AggregateGroup({"kecamatan": "Kubu", "kategori": "warga sakit"}, [None], True),
        AggregateGroup({"kecamatan": "Rasau Jaya", "kategori": "sampah"}, [7.0], False),
    ],
    1,
)


def test_a_panel_table_has_one_row_per_group_with_suppression_marked() -> None:
    table = panel_table(FIGURES, english=True)
    assert table.header == ["kecamatan", "kategori", "Rows", "suppressed"]
    assert table.rows[1] == ["Kubu", "warga sakit", None, True]


def test_a_stacked_chart_has_a_series_per_second_key_and_gaps_for_suppressed_cells() -> None:
    spec = chart_spec(FIGURES)
    assert spec["categories"] == ["Kubu", "Rasau Jaya"]
    assert spec["series"] == [
        {"name": "sampah", "data": [12.0, 7.0]},
        {"name": "warga sakit", "data": [None, None]},
    ]
    assert spec["suppressed"] == 1


def test_the_service_table_sorts_by_a_column_with_empty_cells_last() -> None:
    busy = ServiceReport(2026, None, requests_received=9, granted=4, answered_late=1)
    quiet = ServiceReport(2026, None, requests_received=1)
    agencies = [agency_service("a", "Alpha", quiet), agency_service("b", "Beta", busy)]
    table = service_table(agencies, "on_time_rate", descending=True)
    assert [row[0] for row in table.rows] == ["Beta", "Alpha"]  # Alpha answered none: no rate
    assert table.rows[0][4] == 0.75
    assert [row[0] for row in service_table(agencies, "received").rows] == ["Alpha", "Beta"]
