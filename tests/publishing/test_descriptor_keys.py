"""The descriptor keys the checks read: contact, quasiIdentifiers and a field's areaLevel."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.catalogue.reader import DescriptorError
from opendata.visibility.fields import FieldDef
from tests.publishing.builders import csv_lines, package, strings

FIELDS = [*strings("kecamatan"), {"name": "lokasi", "type": "string", "areaLevel": "desa"}]
LINES = csv_lines("kecamatan,lokasi", ["Kubu,Kubu"])


def test_the_keys_are_read(tmp_path: Path) -> None:
    descriptor = package(
        tmp_path,
        FIELDS,
        LINES,
        contact={"name": "Bidang", "email": "b@x.go.id"},
        quasiIdentifiers=["kecamatan", "lokasi"],
    )
    assert descriptor.contact == {"name": "Bidang", "email": "b@x.go.id"}
    assert descriptor.quasi_identifiers == ("kecamatan", "lokasi")
    lokasi = descriptor.resources[0].fields[1]
    assert lokasi.area_level == "desa"
    assert FieldDef.from_json(lokasi.to_json()) == lokasi


@pytest.mark.parametrize(
    ("overrides", "prop"),
    [
        ({"contact": "Bidang"}, "contact"),
        ({"quasiIdentifiers": ["umur"]}, "quasiIdentifiers"),
        ({"quasiIdentifiers": "kecamatan"}, "quasiIdentifiers"),
    ],
)
def test_wrong_keys_are_refused(tmp_path: Path, overrides: dict[str, object], prop: str) -> None:
    with pytest.raises(DescriptorError) as refused:
        package(tmp_path, FIELDS, LINES, **overrides)
    assert refused.value.prop == prop


def test_an_unknown_area_level_is_refused(tmp_path: Path) -> None:
    fields = [{"name": "lokasi", "type": "string", "areaLevel": "dusun"}]
    with pytest.raises(DescriptorError) as refused:
        package(tmp_path, fields, csv_lines("lokasi", ["x"]))
    assert refused.value.prop.endswith(".areaLevel")
