"""Submitting, reviewing, publishing and rolling back versions of a dataset (issue 22).

A producer (produsen data) submits for their own agency; the steward (walidata) approves,
returns or rolls back; an admin runs the system and does not act on versions. Publishing
points the dataset's resources at the version's row tables in one transaction (resource ids,
download links and cursor keys stay), and records a catalogue change so search, caches and
feeds follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from opendata.accounts.viewer import Viewer
from opendata.db.models import Dataset
from opendata.parts import HasIndex, HasSettings
from opendata.publishing.checks import CheckKind
from opendata.publishing.models import DatasetVersion


class PublishingParts(HasIndex, HasSettings, Protocol):
    """What publishing reads: the database, the search index, and the data dir (staging)."""


@dataclass(frozen=True)
class Submission:
    """A version as a producer (or an app, or a pull) hands it over."""

    dataset_slug: str
    agency_slug: str
    # the data package descriptor (catalog-format.md); resource paths are replaced by files
    descriptor: Mapping[str, Any]
    # (resource name, path of the uploaded CSV file)
    files: Sequence[tuple[str, Path]]


async def submit_version(
    parts: PublishingParts,
    viewer: Viewer | None,
    submission: Submission,
    *,
    auto_publish: bool = False,
    source: str = "upload",
) -> DatasetVersion:
    raise NotImplementedError


async def approve_version(
    parts: PublishingParts, viewer: Viewer | None, version_id: int, comment: str | None
) -> DatasetVersion:
    raise NotImplementedError


async def return_version(
    parts: PublishingParts, viewer: Viewer | None, version_id: int, comment: str
) -> DatasetVersion:
    raise NotImplementedError


async def rollback_dataset(
    parts: PublishingParts, viewer: Viewer | None, dataset_slug: str, to_number: int
) -> Dataset:
    raise NotImplementedError


async def accept_check(
    parts: PublishingParts,
    viewer: Viewer | None,
    version_id: int,
    kind: CheckKind,
    field: str | None,
    reason: str,
) -> DatasetVersion:
    raise NotImplementedError


async def versions_of(
    parts: PublishingParts, viewer: Viewer | None, dataset_id: int
) -> list[DatasetVersion]:
    raise NotImplementedError
