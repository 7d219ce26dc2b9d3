"""SCHEMA: types, required, enum and unique, with the bad lines named."""

from __future__ import annotations

from pathlib import Path

from opendata.publishing.checks import CheckKind, blocking_failures
from tests.publishing.builders import csv_lines, failing, package, results_of

FIELDS = [
    {"name": "kecamatan", "type": "string", "constraints": {"required": True}},
    {"name": "tahun", "type": "integer"},
    {"name": "status", "type": "string", "constraints": {"enum": ["buka", "tutup"]}},
]
HEADER = "kecamatan,tahun,status"


def test_a_file_that_fits_passes(tmp_path: Path) -> None:
    descriptor = package(tmp_path, FIELDS, csv_lines(HEADER, ["Kubu,2024,buka", "Kubu,,tutup"]))
    [result] = results_of(descriptor, CheckKind.SCHEMA)
    assert result.passed and result.blocking and result.resource == "data"


def test_bad_types_name_the_field_and_lines(tmp_path: Path) -> None:
    rows = ["Kubu,2024,buka", "Kubu,dua ribu,buka", "Kubu,2024,buka", "Kubu,20x4,tutup"]
    descriptor = package(tmp_path, FIELDS, csv_lines(HEADER, rows))
    [result] = failing(results_of(descriptor, CheckKind.SCHEMA))
    assert result.field == "tahun" and result.blocking
    assert "lines 3, 5" in result.message_en and "baris 3, 5" in result.message
    assert "integer" in result.message_en


def test_required_and_enum_are_checked(tmp_path: Path) -> None:
    rows = [",2024,buka", "Kubu,2024,lain"]
    descriptor = package(tmp_path, FIELDS, csv_lines(HEADER, rows))
    found = {r.field: r for r in failing(results_of(descriptor, CheckKind.SCHEMA))}
    assert set(found) == {"kecamatan", "status"}
    assert "line 2" in found["kecamatan"].message_en
    assert "required" in found["kecamatan"].message_en
    assert "line 3" in found["status"].message_en
    assert "allowed values" in found["status"].message_en


def test_many_bad_lines_name_the_first_ten_and_count_the_rest(tmp_path: Path) -> None:
    rows = [f"Kubu,tahun{n},buka" for n in range(25)]
    descriptor = package(tmp_path, FIELDS, csv_lines(HEADER, rows))
    [result] = failing(results_of(descriptor, CheckKind.SCHEMA))
    assert result.message_en.startswith("25 lines of 'data', field 'tahun'")
    assert "lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 15 more" in result.message_en
    assert "dan 15 lainnya" in result.message


def test_unique_and_cell_count(tmp_path: Path) -> None:
    fields = [{"name": "kode", "type": "integer", "constraints": {"unique": True}}, *FIELDS]
    rows = ["1,Kubu,2024,buka", "2,Kubu,2024,buka", "1,Kubu,2024,buka", "3,Kubu,2024"]
    descriptor = package(tmp_path, fields, csv_lines("kode," + HEADER, rows))
    results = results_of(descriptor, CheckKind.SCHEMA)
    found = {r.field: r for r in failing(results)}
    assert "line 4" in found["kode"].message_en
    assert "line 5" in found[None].message_en and "3 cells, expected 4" in found[None].message_en
    assert len(blocking_failures(results)) == 2
