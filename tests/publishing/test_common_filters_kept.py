"""A new file for a dataset keeps the `commonFilters` hint of the columns it keeps.

A new version's schema keeps each known column's stored definition (`drafts.kept_fields`);
stored, a hint sits on its leading field (`indexedWith`), which the catalogue reader does not
read, so the staged descriptor must state it again as `schema.commonFilters`, or the version
would be published without its composite index.
"""

from __future__ import annotations

from pathlib import Path

from opendata.publishing import drafts
from opendata.publishing.staging import read_staged, stage_files
from opendata.visibility.fields import FieldDef

STORED = [
    FieldDef("kecamatan", "string", "Kecamatan", indexed_with=(("tahun",), ("desa",))).to_json(),
    FieldDef("desa", "string", "Desa").to_json(),
    FieldDef("tahun", "integer", "Tahun").to_json(),
    FieldDef("kasus", "integer", "Kasus").to_json(),
]


def _staged(tmp_path: Path, header: str) -> list[FieldDef]:
    upload = tmp_path / "upload.csv"
    upload.write_text(header + "\n" + ",".join("1" for _ in header.split(",")) + "\n")
    fields = drafts.kept_fields(STORED, drafts.csv_fields(upload))
    described = {
        "name": "kasus-dbd",
        "title": "Kasus DBD",
        "description": "Uji.",
        "licenses": [{"name": "CC-BY-4.0"}],
        "category": "PERIODIC",
    }
    descriptor = drafts.with_resource(described, "kasus", fields)
    folder = stage_files(tmp_path / "data", "dinkes", "kasus-dbd", descriptor, [("kasus", upload)])
    (resource,) = read_staged(folder, "dinkes").resources
    return resource.fields


def test_every_hint_whose_columns_stay_is_read_back(tmp_path: Path) -> None:
    fields = _staged(tmp_path, "kecamatan,desa,tahun,kasus")
    by_name = {f.name: f for f in fields}
    assert by_name["kecamatan"].indexed_with == (("tahun",), ("desa",))
    assert all(not f.indexed_with for f in fields if f.name != "kecamatan")


def test_a_hint_naming_a_dropped_column_is_left_out_and_the_rest_kept(tmp_path: Path) -> None:
    fields = _staged(tmp_path, "kecamatan,tahun,kasus")
    assert {f.name: f.indexed_with for f in fields}["kecamatan"] == (("tahun",),)
