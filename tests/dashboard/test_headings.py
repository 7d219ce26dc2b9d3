"""A dashboard table's headings are the fields' titles, never raw names; the CSV keeps names."""

from __future__ import annotations

from dataclasses import replace

from opendata.catalogue.aggregate import AggregateGroup
from opendata.dashboard.config import Panel
from opendata.dashboard.figures import PanelFigures
from opendata.dashboard.tables import chart_spec, panel_headings, panel_table

PANEL = Panel(
    "umkm",
    "UMKM",
    "MSMEs",
    "registri-umkm",
    "umkm",
    ("month(tanggal)", "sektor"),
    (("AVG", "omzet_tahunan"), ("SUM", "jumlah_kasus"), ("SUM", "pengungsi")),
    "bar",
)
FIGURES = PanelFigures(
    PANEL,
    [AggregateGroup({"month(tanggal)": "2024-01", "sektor": "jasa"}, [5.0, 2.0, 1.0], False)],
    0,
    titles={
        "tanggal": "Tanggal laporan",
        "sektor": "Sektor usaha",
        "omzet_tahunan": "Omzet tahunan (Rp)",
        "jumlah_kasus": "Jumlah kasus",
        "pengungsi": "Pengungsi (jiwa)",
    },
)


def test_headings_are_the_titles_in_either_language() -> None:
    assert panel_headings(FIGURES) == [
        "Bulan (Tanggal laporan)",
        "Sektor usaha",
        "Rata-rata omzet tahunan (Rp)",
        "Jumlah kasus",  # not "Jumlah Jumlah kasus"
        "Jumlah pengungsi (jiwa)",
    ]
    assert panel_headings(FIGURES, english=True)[:3] == [
        "Month (Tanggal laporan)",
        "Sektor usaha",
        "Average omzet tahunan (Rp)",
    ]
    assert not any("_" in heading for heading in panel_headings(FIGURES))
    # the chart's series read the same words
    single = replace(FIGURES, panel=replace(PANEL, group_by=("sektor",)))
    names = [series["name"] for series in chart_spec(single)["series"]]
    assert names == ["Rata-rata omzet tahunan (Rp)", "Jumlah kasus", "Jumlah pengungsi (jiwa)"]


def test_the_csv_keeps_the_field_names_for_programs() -> None:
    assert panel_table(FIGURES).header[:2] == ["month(tanggal)", "sektor"]
