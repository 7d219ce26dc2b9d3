"""METADATA: complete, or what is missing (licence and description block; the rest warns)."""

from __future__ import annotations

from pathlib import Path

from opendata.publishing.checks import CheckContext, CheckKind, blocking_failures
from tests.publishing.builders import COMPLETE, csv_lines, failing, package, results_of, strings


def _package(tmp_path: Path, **overrides: object):  # type: ignore[no-untyped-def]
    descriptor = package(tmp_path, strings("a"), csv_lines("a", ["x"]), **overrides)
    # the `mode` reader fills update_frequency from `updateFrequency`
    if "updateFrequency" in overrides:
        setattr(descriptor, "update_frequency", overrides["updateFrequency"])  # noqa: B010
    return descriptor


def test_complete_metadata_passes(tmp_path: Path) -> None:
    [result] = results_of(_package(tmp_path, **COMPLETE), CheckKind.METADATA)
    assert result.passed


def test_missing_licence_and_description_block(tmp_path: Path) -> None:
    descriptor = _package(tmp_path, licenses=None, description=None, **COMPLETE)
    results = results_of(descriptor, CheckKind.METADATA)
    assert {r.field for r in blocking_failures(results)} == {"licenses", "description"}
    licence = next(r for r in results if r.field == "licenses")
    assert "lisensi" in licence.message and "licence" in licence.message_en


def test_missing_frequency_contact_topics_and_coverage_warn(tmp_path: Path) -> None:
    descriptor = _package(tmp_path, topics=None, temporal=None)
    results = failing(results_of(descriptor, CheckKind.METADATA))
    assert {r.field for r in results} == {"topics", "temporal", "updateFrequency", "contact"}
    assert not blocking_failures(results)


def test_a_contact_needs_a_way_to_reach_it(tmp_path: Path) -> None:
    descriptor = _package(tmp_path, updateFrequency="MONTHLY", contact={"name": "Bidang"})
    [result] = failing(results_of(descriptor, CheckKind.METADATA))
    assert result.field == "contact"


def test_a_steward_may_accept_a_missing_item(tmp_path: Path) -> None:
    descriptor = _package(tmp_path, licenses=None, **COMPLETE)
    accepted = CheckContext(accepted=frozenset({(CheckKind.METADATA, "licenses")}))
    [result] = results_of(descriptor, CheckKind.METADATA, accepted)
    assert result.passed and "accepted by the data steward" in result.message_en
