"""A submitted version's files as a data package folder under the data dir, read like the
catalogue (`catalogue.reader.read_dataset`): one reader, one set of rules, for a folder
loaded by the operator and a version uploaded by a producer.

The folder is kept as long as the version: a re-run of the checks (after an exemption or a
steward's acceptance) and a rollback read it again.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from opendata.catalogue.reader import DatasetDescriptor, DescriptorError, read_dataset
from opendata.errors import BadUserInput

DESCRIPTOR_NAME = "datapackage.json"
# checked before a file is written under it (the reader's rule, stricter than a path)
RESOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,119}$")


def staging_root(data_dir: Path) -> Path:
    return data_dir / "versions"


def _resources(descriptor: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, Mapping) for r in resources):
        raise BadUserInput(
            "Metadata harus memuat daftar `resources` (satu per berkas).",
            "The metadata must hold a `resources` list (one per file).",
            field="metadata.resources",
        )
    return resources


def stage_files(
    data_dir: Path,
    agency_slug: str,
    dataset_slug: str,
    descriptor: Mapping[str, Any],
    files: Sequence[tuple[str, Path]],
) -> Path:
    """Write the descriptor and copy each uploaded file beside it; returns the folder.

    Each declared resource takes the file uploaded under its name (saved as `<name>.csv`);
    a resource without a file, or a file without a resource, is refused.
    """
    uploaded = dict(files)
    staged: dict[str, Any] = {**descriptor, "name": dataset_slug}
    resources = []
    for raw in _resources(descriptor):
        name = str(raw.get("name") or "")
        if not RESOURCE_NAME.match(name):
            raise BadUserInput(
                "Nama sumber daya hanya a-z, 0-9, - dan _.",
                "A resource name is a-z, 0-9, - and _ only.",
                field="metadata.resources",
            )
        if name not in uploaded:
            raise BadUserInput(
                f"Berkas untuk sumber daya '{name}' belum diunggah.",
                f"No file was uploaded for resource '{name}'.",
                field="resources",
            )
        resources.append({**raw, "path": f"{name}.csv"})
    extra = sorted(set(uploaded) - {str(r.get("name")) for r in resources})
    if extra:
        raise BadUserInput(
            f"Berkas tanpa sumber daya di metadata: {', '.join(extra)}.",
            f"Files without a resource in the metadata: {', '.join(extra)}.",
            field="resources",
        )
    staged["resources"] = resources
    folder = staging_root(data_dir) / agency_slug / f"{dataset_slug}-{secrets.token_hex(6)}"
    folder.mkdir(parents=True)
    for resource in resources:
        name = str(resource["name"])
        shutil.copyfile(uploaded[name], folder / f"{name}.csv")
    (folder / DESCRIPTOR_NAME).write_text(
        json.dumps(staged, ensure_ascii=False, default=str), encoding="utf-8"
    )
    return folder


def read_staged(folder: Path, agency_slug: str) -> DatasetDescriptor:
    """The staged version as the catalogue reads a dataset; a refusal names the property."""
    try:
        return read_dataset(folder, agency_slug, folder / DESCRIPTOR_NAME)
    except DescriptorError as error:
        raise BadUserInput(
            f"Metadata atau berkas tidak sesuai: {error.prop}: {error.message}.",
            f"The metadata or a file does not fit: {error.prop}: {error.message}.",
            field=f"metadata.{error.prop}",
        ) from error


def staged_descriptor(folder: Path) -> dict[str, Any]:
    """The raw descriptor as staged (the keys the reader does not model: quasiIdentifiers)."""
    data: dict[str, Any] = json.loads((folder / DESCRIPTOR_NAME).read_text(encoding="utf-8"))
    return data
