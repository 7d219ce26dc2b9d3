"""Panel and service figures as plain tables: what the page's table, its CSV and the chart
read, so all three show the same numbers (a suppressed cell is empty, marked suppressed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opendata.catalogue.aggregate import split_group_name
from opendata.dashboard.figures import PanelFigures
from opendata.dashboard.service_figures import AgencyService

MEASURE_LABELS = {
    "COUNT": ("Jumlah baris", "Rows"),
    "SUM": ("Jumlah", "Sum"),
    "AVG": ("Rata-rata", "Average"),
    "MIN": ("Minimum", "Minimum"),
    "MAX": ("Maksimum", "Maximum"),
}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Any]]


def measure_label(op: str, field: str | None, english: bool) -> str:
    label = MEASURE_LABELS[op][1 if english else 0]
    return label if field is None else f"{label} {field}"


def measure_heading(op: str, title: str | None, english: bool) -> str:
    """A measure as a person reads it: "Rata-rata Omzet tahunan (Rp)"; a sum of a count
    titled "Jumlah ..." is that title, not "Jumlah Jumlah kasus"."""
    if title is None:
        return measure_label(op, None, english)
    word = MEASURE_LABELS[op][1 if english else 0]
    if op == "SUM" and title.split(" ", 1)[0].lower() in ("jumlah", "total", "number"):
        return title
    # "Rata-rata omzet tahunan", but "Rata-rata IPM": an acronym keeps its capitals
    inner = title if title[1:2].isupper() else title[:1].lower() + title[1:]
    return f"{word} {inner}"


DATE_PART_LABELS = {"year": ("Tahun", "Year"), "month": ("Bulan", "Month")}


def group_heading(name: str, titles: dict[str, str], english: bool) -> str:
    """A grouped field's title; `month(tanggal)` as "Bulan (Tanggal laporan)"."""
    part, inner = split_group_name(name, set(titles))
    title = titles.get(inner, inner)
    return title if part is None else f"{DATE_PART_LABELS[part][1 if english else 0]} ({title})"


def panel_headings(figures: PanelFigures, english: bool = False) -> list[str]:
    """The page's column headings: field titles from the Table Schema, never raw names
    (the CSV keeps the names, for programs)."""
    panel, titles = figures.panel, figures.titles
    return [
        *(group_heading(name, titles, english) for name in panel.group_by),
        *(
            measure_heading(op, titles.get(f, f) if f else None, english)
            for op, f in panel.measures
        ),
    ]


def panel_table(figures: PanelFigures, english: bool = False) -> Table:
    """One row per group: the keys, the measures, and whether the group is suppressed."""
    panel = figures.panel
    header = [
        *panel.group_by,
        *(measure_label(op, field, english) for op, field in panel.measures),
        "disembunyikan" if not english else "suppressed",
    ]
    rows = [
        [*(group.key.get(name) for name in panel.group_by), *group.values, group.suppressed]
        for group in figures.groups
    ]
    return Table(header, rows)


def chart_spec(figures: PanelFigures, english: bool = False) -> dict[str, Any]:
    """What the chart draws: categories along the first key, one series per value of the
    second key (or per measure with one key). Suppressed cells are gaps (null)."""
    panel = figures.panel
    keys = panel.group_by
    first = keys[0] if keys else ""
    categories = list(dict.fromkeys(_label(g.key.get(first)) for g in figures.groups))
    if not categories:
        categories = [""]
    series: dict[str, list[float | None]] = {}
    index = {category: i for i, category in enumerate(categories)}
    for group in figures.groups:
        position = index[_label(group.key.get(first))]
        if len(keys) >= 2:
            names = [_label(group.key.get(keys[1]))]
            values = group.values[:1]
        else:
            names = panel_headings(figures, english)[len(keys) :]
            values = group.values
        for name, value in zip(names, values, strict=False):
            series.setdefault(name, [None] * len(categories))[position] = value
    return {
        "kind": panel.chart,
        "categories": categories,
        "series": [{"name": name, "data": data} for name, data in series.items()],
        "suppressed": figures.suppressed_groups,
    }


def _label(value: Any) -> str:
    return "" if value is None else str(value)


SERVICE_COLUMNS: Sequence[tuple[str, str, str]] = (
    ("agency", "Badan publik", "Public body"),
    ("received", "Diterima", "Received"),
    ("on_time", "Tepat waktu", "On time"),
    ("late", "Terlambat", "Late"),
    ("on_time_rate", "Persentase tepat waktu", "On-time rate"),
    ("median", "Median hari kerja", "Median working days"),
    ("p90", "Persentil 90 hari kerja", "90th percentile working days"),
    ("granted", "Dikabulkan", "Granted"),
    ("partially_granted", "Dikabulkan sebagian", "Partially granted"),
    ("refused", "Ditolak", "Refused"),
    ("not_held", "Tidak dikuasai", "Not held"),
    ("refusal_bases", "Dasar penolakan", "Refusal bases"),
    ("objections", "Keberatan", "Objections"),
    ("objections_upheld", "Keberatan diterima", "Objections upheld"),
    ("objections_rejected", "Keberatan ditolak", "Objections rejected"),
    ("disputes", "Sengketa", "Disputes"),
    ("disputes_decided", "Sengketa diputus", "Disputes decided"),
)


def service_row(agency: AgencyService) -> dict[str, Any]:
    return {
        "agency": agency.agency_name,
        "received": agency.received,
        "on_time": agency.on_time,
        "late": agency.late,
        "on_time_rate": agency.on_time_rate,
        "median": agency.median_working_days,
        "p90": agency.p90_working_days,
        "granted": agency.decisions["GRANTED"],
        "partially_granted": agency.decisions["PARTIALLY_GRANTED"],
        "refused": agency.decisions["REFUSED"],
        "not_held": agency.decisions["NOT_HELD"],
        "refusal_bases": ", ".join(f"{b} ({n})" for b, n in agency.refusals_by_basis),
        "objections": agency.objections,
        "objections_upheld": agency.objections_upheld,
        "objections_rejected": agency.objections_rejected,
        "disputes": agency.disputes,
        "disputes_decided": agency.disputes_decided,
    }


def service_table(
    agencies: Sequence[AgencyService],
    sort: str = "agency",
    descending: bool = False,
    english: bool = False,
) -> Table:
    """The `/statistik` table, sorted by one column (empty cells last)."""
    keys = [key for key, _, _ in SERVICE_COLUMNS]
    if sort not in keys:
        sort = "agency"
    rows = [service_row(agency) for agency in agencies]
    present = [r for r in rows if r[sort] is not None]
    absent = [r for r in rows if r[sort] is None]
    present.sort(key=lambda r: r[sort], reverse=descending)
    header = [en if english else id_ for _, id_, en in SERVICE_COLUMNS]
    return Table(header, [[r[k] for k in keys] for r in present + absent])
