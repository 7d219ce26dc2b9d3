"""AREA_CODES: Kubu Raya's kecamatan, desa and codes as Kemendagri lists them."""

from __future__ import annotations

from pathlib import Path

from opendata.publishing.checks import CheckKind, blocking_failures
from opendata.publishing.checks.wilayah import kubu_raya
from tests.publishing.builders import csv_lines, failing, package, results_of, strings

HEADER = "kecamatan,desa,kode_wilayah,jumlah"
FIELDS = [*strings("kecamatan", "desa", "kode_wilayah"), {"name": "jumlah", "type": "integer"}]


def test_the_vendored_list_is_kubu_rayas() -> None:
    areas = kubu_raya()
    assert len(areas.kecamatan) == 9 and len(areas.desa) == 123
    assert areas.kecamatan["61.12.01"].name == "Sungai Raya"


def test_official_names_and_codes_pass(tmp_path: Path) -> None:
    rows = [
        "Sungai Raya,Arang Limbung,61.12.01.2003,4",
        "Kuala Mandor-B,Kuala Mandor B,6112022001,2",  # punctuation and undotted codes
        "Sungai Raya,Desa Sei. Raya,61.12.01,1",  # level word and "Sei." spelt out
        "Kubu,,61.12,3",
    ]
    descriptor = package(tmp_path, FIELDS, csv_lines(HEADER, rows))
    results = results_of(descriptor, CheckKind.AREA_CODES)
    assert {r.field for r in results} == {"kecamatan", "desa", "kode_wilayah"}
    assert all(r.passed for r in results), [r.message_en for r in results]


def test_unknown_names_are_named_with_the_nearest_official_one(tmp_path: Path) -> None:
    rows = [
        "Sungai Raya,Arang Limbung,61.12.01.2003,4",
        "Sungai Rayaa,Arang Limbong,61.12.99,1",
        "Kubu,Kapur,61.12.01.9999,1",  # Kapur is a desa of Sungai Raya, not of Kubu
        "Pontianak Kota,Arang Limbung,6171,1",
    ]
    descriptor = package(tmp_path, FIELDS, csv_lines(HEADER, rows))
    found = {r.field: r for r in failing(results_of(descriptor, CheckKind.AREA_CODES))}
    kecamatan, desa, code = found["kecamatan"], found["desa"], found["kode_wilayah"]
    assert "'Sungai Rayaa' (did you mean 'Sungai Raya'?)" in kecamatan.message_en
    assert "maksud Anda 'Sungai Raya'" in kecamatan.message
    assert "lines 3, 5" in kecamatan.message_en
    assert "'Arang Limbong' (did you mean 'Arang Limbung'?)" in desa.message_en
    assert "'Kapur'" in desa.message_en and "lines 3, 4" in desa.message_en
    assert code.message_en.startswith("Field 'kode_wilayah' of 'data': 3 code(s)")
    assert not blocking_failures(found.values())


def test_a_field_property_marks_an_area_field(tmp_path: Path) -> None:
    fields = [{"name": "lokasi", "type": "string", "areaLevel": "desa"}]
    descriptor = package(tmp_path, fields, csv_lines("lokasi", ["Limbung", "Limbang"]))
    [result] = results_of(descriptor, CheckKind.AREA_CODES)
    assert result.field == "lokasi" and not result.passed and "line 3" in result.message_en


def test_no_area_field_no_result(tmp_path: Path) -> None:
    descriptor = package(tmp_path, strings("uraian"), csv_lines("uraian", ["Sungai Rayaa"]))
    assert results_of(descriptor, CheckKind.AREA_CODES) == []
