"""Small data packages for the publication checks, written to disk and read back by the
catalogue reader (the checks see exactly what an upload gives them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opendata.catalogue.reader import DatasetDescriptor, read_dataset
from opendata.publishing.checks import CheckContext, CheckKind, CheckResult, run_checks
from tests.catalogue.builders import write_dataset

COMPLETE = {
    "updateFrequency": "MONTHLY",
    "contact": {"name": "Bidang Statistik", "email": "statistik@kuburayakab.go.id"},
}


def package(
    tmp_path: Path, fields: list[dict[str, Any]], csv_text: str, **overrides: Any
) -> DatasetDescriptor:
    """A one-resource dataset 'data' with these fields and lines (CSV text with header)."""
    resource = {"name": "data", "path": "kasus.csv", "format": "csv", "schema": {"fields": fields}}
    folder = write_dataset(
        tmp_path, "dinkes", "uji", csv_text=csv_text, resources=[resource], **overrides
    )
    return read_dataset(folder, "dinkes", folder / "datapackage.yaml")


def strings(*names: str) -> list[dict[str, Any]]:
    return [{"name": name, "type": "string"} for name in names]


def csv_lines(header: str, rows: list[str]) -> str:
    return "\n".join([header, *rows]) + "\n"


def results_of(
    descriptor: DatasetDescriptor, kind: CheckKind, context: CheckContext | None = None
) -> list[CheckResult]:
    return [r for r in run_checks(descriptor, context or CheckContext()) if r.kind == kind]


def failing(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.passed]
