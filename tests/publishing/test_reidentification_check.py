"""REIDENTIFICATION: groups of quasi-identifiers under the minimum cell size, ROWS only."""

from __future__ import annotations

from pathlib import Path

from opendata.catalogue.reader import DatasetDescriptor
from opendata.publishing.checks import CheckContext, CheckKind, blocking_failures
from tests.catalogue.builders import ROW_EXEMPTION
from tests.publishing.builders import csv_lines, package, results_of

FIELDS = [
    {"name": "kecamatan", "type": "string"},
    {"name": "umur", "type": "integer"},
    {"name": "jenis_kelamin", "type": "string"},
    {"name": "status", "type": "string"},
]
HEADER = "kecamatan,umur,jenis_kelamin,status"
QUASI = ("kecamatan", "umur", "jenis_kelamin")


def _people(tmp_path: Path, extra: list[str], **overrides: object) -> DatasetDescriptor:
    common = ["Kubu,30,L,aktif"] * 5 + ["Kubu,30,P,aktif"] * 5
    return package(tmp_path, FIELDS, csv_lines(HEADER, common + extra), **overrides)


def test_groups_of_at_least_k_pass(tmp_path: Path) -> None:
    context = CheckContext(quasi_identifiers=QUASI, minimum_cell_size=5)
    [result] = results_of(_people(tmp_path, []), CheckKind.REIDENTIFICATION, context)
    assert result.passed and result.blocking


def test_small_groups_are_counted_with_an_example(tmp_path: Path) -> None:
    extra = ["Rasau Jaya,87,P,aktif", "Kubu,31,L,aktif", "Kubu,31,L,pindah"]
    context = CheckContext(quasi_identifiers=QUASI, minimum_cell_size=5)
    results = results_of(_people(tmp_path, extra), CheckKind.REIDENTIFICATION, context)
    [result] = blocking_failures(results)
    assert "2 combination(s) of kecamatan, umur, jenis_kelamin" in result.message_en
    assert "fewer than 5 rows (3 rows" in result.message_en
    assert "e.g. kecamatan=Rasau Jaya, umur=87, jenis_kelamin=P" in result.message_en
    assert "2 kombinasi" in result.message


def test_aggregates_and_undeclared_datasets_are_not_checked(tmp_path: Path) -> None:
    descriptor = _people(tmp_path, ["Rasau Jaya,87,P,aktif"])
    aggregates = CheckContext(quasi_identifiers=QUASI, publication_mode="AGGREGATES")
    assert results_of(descriptor, CheckKind.REIDENTIFICATION, aggregates) == []
    assert results_of(descriptor, CheckKind.REIDENTIFICATION, CheckContext()) == []


def test_withheld_quasi_identifiers_and_hidden_rows_are_not_counted(tmp_path: Path) -> None:
    rows = ["Rasau Jaya,87,P,dalam penyelidikan", "Kubu,44,L,aktif"]
    descriptor = _people(tmp_path, rows, exemptions=[ROW_EXEMPTION])
    # the ROW exemption hides the first; withholding `umur` merges the second into Kubu/L
    context = CheckContext(
        quasi_identifiers=QUASI, minimum_cell_size=5, withheld_fields=frozenset({"umur"})
    )
    [result] = results_of(descriptor, CheckKind.REIDENTIFICATION, context)
    assert result.passed and "kecamatan, jenis_kelamin" in result.message_en
    only_rows = CheckContext(quasi_identifiers=QUASI, minimum_cell_size=5)
    [result] = results_of(descriptor, CheckKind.REIDENTIFICATION, only_rows)
    assert "1 combination(s)" in result.message_en and "umur=44" in result.message_en
