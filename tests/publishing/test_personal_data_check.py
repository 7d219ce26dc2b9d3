"""PERSONAL_DATA: NIK, phone, e-mail and name columns block until withheld or accepted."""

from __future__ import annotations

from pathlib import Path

from opendata.publishing.checks import CheckContext, CheckKind, blocking_failures
from opendata.publishing.checks.wilayah import kubu_raya
from tests.publishing.builders import csv_lines, package, results_of, strings

PEOPLE = ["Budi Santoso", "Siti Aminah", "Yohanes Ateng", "Nur Hasanah", "Ahmad Fauzi"]
NIKS = ["6112010101900001", "6112014507850002", "6112055512010003"]


def _flagged(tmp_path: Path, fields, header, rows, context=None):  # type: ignore[no-untyped-def]
    descriptor = package(tmp_path, fields, csv_lines(header, rows))
    return {r.field: r for r in results_of(descriptor, CheckKind.PERSONAL_DATA, context)}


def test_a_nik_column_blocks_and_names_field_and_line(tmp_path: Path) -> None:
    rows = ["Kubu,", "Kubu,"] + [f"Kubu,{nik}" for nik in NIKS]
    found = _flagged(tmp_path, strings("kecamatan", "nomor"), "kecamatan,nomor", rows)
    assert set(found) == {"nomor"}
    result = found["nomor"]
    assert not result.passed and result.blocking and result.resource == "data"
    assert "NIK" in result.message and "first on line 4" in result.message_en
    assert NIKS[0] not in result.message + result.message_en  # never the value
    assert blocking_failures(found.values()) == [result]


def test_a_nik_typed_as_an_integer_is_found(tmp_path: Path) -> None:
    fields = [{"name": "no_identitas", "type": "integer"}]
    found = _flagged(tmp_path, fields, "no_identitas", NIKS)
    assert not found["no_identitas"].passed


def test_sixteen_digits_that_are_no_nik_pass(tmp_path: Path) -> None:
    rows = ["6112000000000001", "1234567890123456", "6112013202900001"]  # no valid part set
    assert _flagged(tmp_path, strings("kode_barang"), "kode_barang", rows) == {}


def test_withheld_or_accepted_columns_pass(tmp_path: Path) -> None:
    withheld = CheckContext(withheld_fields=frozenset({"nik"}))
    [result] = _flagged(tmp_path, strings("nik"), "nik", NIKS, withheld).values()
    assert result.passed and "withheld by the PPID" in result.message_en
    accepted = CheckContext(accepted=frozenset({(CheckKind.PERSONAL_DATA, "nik")}))
    [result] = _flagged(tmp_path / "b", strings("nik"), "nik", NIKS, accepted).values()
    assert result.passed and "accepted by the data steward" in result.message_en


def test_phone_numbers_in_indonesian_formats(tmp_path: Path) -> None:
    rows = ["0812-3456-7890,2024", "+62 813 1234 5678,2023", "(0561) 721234,2022", ",2021"]
    fields = [*strings("kontak"), {"name": "tahun", "type": "integer"}]
    found = _flagged(tmp_path, fields, "kontak,tahun", rows)
    assert set(found) == {"kontak"} and "phone numbers" in found["kontak"].message_en


def test_a_phone_number_now_and_then_is_not_a_phone_column(tmp_path: Path) -> None:
    rows = ["081234567890"] + [f"lihat catatan {n}" for n in range(30)]
    assert _flagged(tmp_path, strings("catatan"), "catatan", rows) == {}


def test_e_mail_addresses(tmp_path: Path) -> None:
    rows = ["tidak ada", "budi.santoso@gmail.com"]
    found = _flagged(tmp_path, strings("keterangan"), "keterangan", rows)
    assert "e-mail" in found["keterangan"].message_en and "line 3" in found["keterangan"].message_en


def test_peoples_names_under_a_name_column(tmp_path: Path) -> None:
    found = _flagged(tmp_path, strings("nama_penerima"), "nama_penerima", PEOPLE)
    assert "people's names" in found["nama_penerima"].message_en


def test_place_names_are_not_peoples_names(tmp_path: Path) -> None:
    """A column called `nama` listing Kubu Raya's villages holds no one's name."""
    villages = [a.name for a in list(kubu_raya().desa.values())[:40]]
    assert _flagged(tmp_path, strings("nama"), "nama", villages) == {}


def test_names_need_a_column_that_says_people(tmp_path: Path) -> None:
    assert _flagged(tmp_path, strings("judul"), "judul", PEOPLE) == {}
    assert _flagged(tmp_path / "b", strings("nama_desa"), "nama_desa", PEOPLE) == {}
    organisations = ["SD Negeri 1 Kubu", "Puskesmas Rasau Jaya", "Toko Sinar Jaya", "CV Maju"]
    assert _flagged(tmp_path / "c", strings("nama"), "nama", organisations) == {}
