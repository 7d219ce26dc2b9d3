"""The diff of a version against the published one."""

from __future__ import annotations

from opendata.publishing.changes import version_changes

OLD = [("6112", "Kubu", 10), ("6113", "Rasau Jaya", 4), ("6114", "Terentang", 7)]
NEW = [("6112", "Kubu", 11), ("6114", "Terentang", 7), ("6115", "Batu Ampar", 2)]
FIELDS = ["kode", "kecamatan", "kasus"]


def test_rows_by_primary_key() -> None:
    changes = version_changes({}, {}, OLD, NEW, FIELDS, FIELDS, ["kode"])
    assert (changes.rows_added, changes.rows_removed, changes.rows_changed) == (1, 1, 1)
    assert changes.by_key


def test_rows_by_whole_row_without_a_key() -> None:
    changes = version_changes({}, {}, OLD, NEW, FIELDS, FIELDS, None)
    assert (changes.rows_added, changes.rows_removed, changes.rows_changed) == (2, 2, 0)
    assert not changes.by_key


def test_duplicate_rows_count_as_many_without_a_key() -> None:
    changes = version_changes({}, {}, OLD + OLD[:1], OLD, FIELDS, FIELDS, None)
    assert (changes.rows_added, changes.rows_removed) == (0, 1)


def test_fields_added_and_removed_compare_rows_over_the_common_fields() -> None:
    new_fields = ["kode", "kasus", "tahun"]
    new = [("6112", 10, 2024), ("6113", 5, 2024), ("6114", 7, 2024)]
    changes = version_changes({}, {}, OLD, new, FIELDS, new_fields, ["kode"])
    assert changes.fields_added == ["tahun"] and changes.fields_removed == ["kecamatan"]
    assert (changes.rows_added, changes.rows_removed, changes.rows_changed) == (0, 0, 1)


def test_a_key_that_is_gone_falls_back_to_whole_rows() -> None:
    new = [(r[1], r[2]) for r in OLD]
    changes = version_changes({}, {}, OLD, new, FIELDS, ["kecamatan", "kasus"], ["kode"])
    assert not changes.by_key and changes.rows_changed == 0 and changes.rows_added == 0


def test_metadata_keys_changed() -> None:
    old = {"title": "Kasus", "topics": ["kesehatan"], "contact": {"name": "A"}}
    new = {"title": "Kasus", "topics": ["kesehatan", "sosial"], "updateFrequency": "MONTHLY"}
    changes = version_changes(old, new, [], [], FIELDS, FIELDS, None)
    assert changes.metadata_changed == ["contact", "topics", "updateFrequency"]
