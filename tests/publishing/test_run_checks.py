"""All checks together over one upload: one read of the rows, every kind reported."""

from __future__ import annotations

from pathlib import Path

from opendata.publishing.checks import CheckContext, CheckKind, blocking_failures, run_checks
from tests.publishing.builders import COMPLETE, csv_lines, package, strings


def test_a_nik_upload_is_blocked_until_withheld(tmp_path: Path) -> None:
    fields = [*strings("kecamatan", "desa", "nik", "jenis_kelamin")]
    rows = [f"Kubu,Kubu,61120101019000{n:02d},L" for n in range(1, 8)]
    descriptor = package(
        tmp_path, fields, csv_lines("kecamatan,desa,nik,jenis_kelamin", rows), **COMPLETE
    )
    setattr(descriptor, "update_frequency", "MONTHLY")  # noqa: B010 (read by `mode`)
    context = CheckContext(quasi_identifiers=("kecamatan", "jenis_kelamin"))
    results = run_checks(descriptor, context)
    assert {r.kind for r in results} == set(CheckKind)
    [blocked] = blocking_failures(results)
    assert (blocked.kind, blocked.field) == (CheckKind.PERSONAL_DATA, "nik")
    withheld = CheckContext(
        withheld_fields=frozenset({"nik"}), quasi_identifiers=("kecamatan", "jenis_kelamin")
    )
    assert blocking_failures(run_checks(descriptor, withheld)) == []
