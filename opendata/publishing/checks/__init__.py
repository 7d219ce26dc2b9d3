"""Checks a dataset version passes before it is public (issue 22, item 3).

Pure functions over a read descriptor (opendata.catalogue.reader): no database, so the
producer sees the same results at upload as the steward in review and an app at push.
Each resource's rows are read once; every check that looks at rows is fed from that pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from opendata.catalogue.reader import BadRow, DatasetDescriptor, ResourceDescriptor
from opendata.publishing.checks import area_codes, metadata, personal_data, reidentification
from opendata.publishing.checks.kinds import CheckContext, CheckKind, CheckResult, RowScan
from opendata.publishing.checks.schema import SchemaScan


def run_checks(descriptor: DatasetDescriptor, context: CheckContext) -> list[CheckResult]:
    """Every check over the dataset and each of its resources; accepted failures pass."""
    results = metadata.check_metadata(descriptor)
    for resource in descriptor.resources:
        results.extend(_resource_results(descriptor, resource, context))
    return [_with_acceptance(result, context) for result in results]


def _resource_results(
    descriptor: DatasetDescriptor, resource: ResourceDescriptor, context: CheckContext
) -> list[CheckResult]:
    schema = SchemaScan(resource)
    scans: list[RowScan] = [schema]
    for make in (area_codes.scan, personal_data.scan, reidentification.scan):
        found = make(descriptor, resource, context)
        if found is not None:
            scans.append(found)
    for item in resource.iter_rows():
        if isinstance(item, BadRow):
            schema.add_bad(item)
            continue
        line, values = item
        for one in scans:
            one.add(line, values)
    return [result for one in scans for result in one.results()]


def _with_acceptance(result: CheckResult, context: CheckContext) -> CheckResult:
    if result.passed or (result.kind, result.field) not in context.accepted:
        return result
    return replace(
        result,
        passed=True,
        message=f"{result.message} (diterima walidata dengan alasan tercatat)",
        message_en=f"{result.message_en} (accepted by the data steward with a recorded reason)",
    )


def blocking_failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The results that stop publication."""
    return [r for r in results if r.blocking and not r.passed]


__all__ = [
    "CheckContext",
    "CheckKind",
    "CheckResult",
    "blocking_failures",
    "run_checks",
]
