"""Thin: uploads to files, global ids to keys, and the publishing domain's answers."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from opendata import urls
from opendata.db.models import Dataset
from opendata.errors import BadUserInput
from opendata.public_ids import from_global_id, to_global_id
from opendata.publishing import versions
from opendata.publishing.checks import CheckKind
from opendata.publishing.models import PUBLIC_STATES, DatasetVersion, VersionState
from opendata.request_scope import RequestScope
from opendata.resolvers.catalogue import policy_of, resources_of
from opendata.resolvers.uploads import upload_file

VERSION_TYPE = "DatasetVersion"
UPLOAD_CHUNK = 1 << 20


async def _save(upload: object, target: Path) -> None:
    """Stream one Upload scalar value (a Starlette file) to `target`."""
    file = upload_file(upload, "resources")
    with target.open("wb") as handle:
        while chunk := await file.read(UPLOAD_CHUNK):
            handle.write(chunk)


async def submit(
    scope: RequestScope,
    dataset: str,
    agency: str,
    metadata: Any,
    uploads: Sequence[tuple[str, object]],
) -> DatasetVersion:
    if not isinstance(metadata, Mapping):
        raise BadUserInput(
            "`metadata` harus objek JSON (deskriptor data package).",
            "`metadata` must be a JSON object (the data package descriptor).",
            field="metadata",
        )
    if scope.viewer is None:  # before reading any upload
        versions.require_submitter(None, -1)
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for position, (name, upload) in enumerate(uploads):
            path = Path(folder) / f"{position}.csv"
            await _save(upload, path)
            files.append((name, path))
        version = await versions.submit_version(
            scope, scope.viewer, versions.Submission(dataset, agency, metadata, files)
        )
    scope.forget_loaders()
    return version


def version_pk(global_id: str) -> int:
    return from_global_id(global_id, expected=VERSION_TYPE)[1]


async def approve(scope: RequestScope, global_id: str, comment: str | None) -> DatasetVersion:
    version = await versions.approve_version(scope, scope.viewer, version_pk(global_id), comment)
    scope.forget_loaders()
    return version


async def return_(scope: RequestScope, global_id: str, comment: str) -> DatasetVersion:
    return await versions.return_version(scope, scope.viewer, version_pk(global_id), comment)


async def accept(
    scope: RequestScope, global_id: str, kind: CheckKind, field: str | None, reason: str
) -> DatasetVersion:
    return await versions.accept_check(
        scope, scope.viewer, version_pk(global_id), kind, field, reason
    )


async def rollback(scope: RequestScope, dataset: str, to_version: int) -> Dataset:
    restored = await versions.rollback_dataset(scope, scope.viewer, dataset, to_version)
    scope.forget_loaders()
    return restored


async def download_urls(scope: RequestScope, version: DatasetVersion) -> dict[str, str]:
    """Each resource of a version that was published, by name: its download link (the
    dataset's resource of that name, `?version=N`), where the law allows any download."""
    if version.state not in PUBLIC_STATES or version.dataset_id is None:
        return {}
    if (await policy_of(scope, version.dataset_id)).content_withheld:
        return {}
    current = await resources_of(scope, version.dataset_id)
    return {
        resource.name: urls.api_link(
            scope.settings,
            "download_csv",
            resource_id=to_global_id("Resource", resource.id),
            version=version.number,
        )
        for resource in current
    }


async def state(scope: RequestScope, version: DatasetVersion) -> VersionState:
    """As the dataset shows it now (a forced catalogue load supersedes a published one)."""
    if version.dataset_id is None:
        return VersionState(version.state)
    async with scope.database.session() as session:
        dataset = await session.get(Dataset, version.dataset_id)
    return versions.state_of(version, dataset)
