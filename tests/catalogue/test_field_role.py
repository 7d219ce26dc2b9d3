"""`role: measure` (ours, docs/catalog-format.md): read, kept, and refused where it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.catalogue.reader import DescriptorError
from opendata.visibility.fields import FieldDef
from tests.publishing.builders import csv_lines, package


def test_a_measure_is_read_and_kept_through_storage(tmp_path: Path) -> None:
    fields = [
        {"name": "kecamatan", "type": "string"},
        {"name": "jumlah_kasus", "type": "integer", "role": "measure"},
        {"name": "umur", "type": "integer"},
    ]
    descriptor = package(tmp_path, fields, csv_lines("kecamatan,jumlah_kasus,umur", ["Kubu,3,40"]))
    _, cases, age = descriptor.resources[0].fields
    assert cases.role == "measure" and cases.is_measure
    assert age.role is None and not age.is_measure
    assert FieldDef.from_json(cases.to_json()) == cases
    assert "role" not in age.to_json()


@pytest.mark.parametrize(
    "field",
    [
        {"name": "jumlah", "type": "integer", "role": "dimension"},
        {"name": "jumlah", "type": "string", "role": "measure"},
    ],
)
def test_an_unknown_role_or_a_measure_that_is_not_a_number_is_refused(
    tmp_path: Path, field: dict[str, str]
) -> None:
    with pytest.raises(DescriptorError) as refused:
        package(tmp_path, [field], csv_lines("jumlah", ["3"]))
    assert refused.value.prop.endswith(".role")
