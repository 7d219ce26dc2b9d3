"""Submitting, reviewing, publishing and rolling back versions of a dataset (issue 22).

A producer (produsen data) submits for their own agency; the steward (walidata) approves,
returns or rolls back; an admin runs the system and does not act on versions. Publishing
points the dataset's resources at the version's row tables in one transaction (resource ids,
download links and cursor keys stay), and records a catalogue change so search, caches and
feeds follow. The one visibility policy (exemptions in force) applies to whatever version
the resources point at, an older one after a rollback included.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Role, Viewer, require_role
from opendata.calendar import regency_date
from opendata.catalogue import resource_swap
from opendata.catalogue.changes import record_catalogue_change
from opendata.catalogue.freshness import record_publication
from opendata.catalogue.loader import apply_metadata, refuse_unmatched_exemptions, replace_facets
from opendata.catalogue.reader import DatasetDescriptor
from opendata.catalogue.resource_swap import ResourceShape
from opendata.catalogue.row_load import RowsRefused, load_rows
from opendata.catalogue.tables import (
    new_version_table_name,
    row_table,
)
from opendata.db.base import utcnow
from opendata.db.models import Agency, Dataset
from opendata.errors import (
    BadUserInput,
    CheckFailed,
    Forbidden,
    InvalidTransition,
    Unauthenticated,
    not_found,
)
from opendata.follows.notify import queue_data_changed, version_published
from opendata.parts import HasIndex, HasSettings
from opendata.publishing.changes import VersionChanges, version_changes
from opendata.publishing.checks import (
    CheckContext,
    CheckKind,
    CheckResult,
    blocking_failures,
    run_checks,
)
from opendata.publishing.models import (
    PUBLIC_STATES,
    DatasetVersion,
    VersionResource,
    VersionSource,
    VersionState,
)
from opendata.publishing.staging import read_staged, stage_files, staged_descriptor
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import load_policy

DEFAULT_MINIMUM_CELL_SIZE = 5
MAX_COMMENT_CHARS = 5000
STEWARD_ONLY = (
    "Hanya walidata yang meninjau, menerbitkan dan mengembalikan versi dataset.",
    "Only the data steward (walidata) reviews, publishes and rolls back dataset versions.",
)


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


# ---------------------------------------------------------------- who may do what


def require_submitter(viewer: Viewer | None, agency_id: int) -> Viewer:
    """A producer of this agency, or the steward (who may submit for any agency)."""
    if viewer is None:
        raise Unauthenticated("Silakan masuk terlebih dahulu.", "Please sign in first.")
    if viewer.role is Role.DATA_STEWARD:
        return viewer
    if viewer.role is Role.PRODUCER and viewer.agency_id == agency_id:
        return viewer
    raise Forbidden(
        "Hanya produsen data badan publik ini (atau walidata) yang dapat mengirim versi "
        "datasetnya.",
        "Only this public body's data producers (or the data steward) may submit versions "
        "of its datasets.",
    )


def require_steward(viewer: Viewer | None) -> Viewer:
    return require_role(viewer, (Role.DATA_STEWARD,), *STEWARD_ONLY)


def sees_every_version(viewer: Viewer | None, agency_id: int) -> bool:
    """The steward, and the agency's producers, officers and superiors, see versions under
    review; everyone else sees only what was published."""
    if viewer is None:
        return False
    if viewer.role is Role.DATA_STEWARD:
        return True
    staff = (Role.PRODUCER, Role.OFFICER, Role.SUPERIOR)
    return viewer.role in staff and viewer.agency_id == agency_id


# ---------------------------------------------------------------- reading versions


def state_of(version: DatasetVersion, dataset: Dataset | None) -> VersionState:
    """A PUBLISHED version the dataset no longer shows (a forced catalogue load replaced it)
    reads as SUPERSEDED."""
    state = VersionState(version.state)
    if state is VersionState.PUBLISHED and (
        dataset is None or dataset.published_version != version.number
    ):
        return VersionState.SUPERSEDED
    return state


async def versions_of(
    parts: PublishingParts, viewer: Viewer | None, dataset_id: int
) -> list[DatasetVersion]:
    """The dataset's versions, newest first, as far as this viewer may see them."""
    async with parts.database.session() as session:
        dataset = await session.get(Dataset, dataset_id)
        if dataset is None:
            return []
        query = select(DatasetVersion).where(DatasetVersion.dataset_id == dataset_id)
        if not sees_every_version(viewer, dataset.agency_id):
            query = query.where(DatasetVersion.state.in_(PUBLIC_STATES))
        return list(await session.scalars(query.order_by(DatasetVersion.number.desc())))


async def version_for(
    parts: PublishingParts, viewer: Viewer | None, version_id: int
) -> DatasetVersion | None:
    """One version, if this viewer may see it (None otherwise: its existence stays private)."""
    async with parts.database.session() as session:
        version = await session.get(DatasetVersion, version_id)
    if version is None:
        return None
    if version.state in PUBLIC_STATES or sees_every_version(viewer, version.agency_id):
        return version
    return None


async def review_queue(parts: PublishingParts, viewer: Viewer | None) -> list[DatasetVersion]:
    """Every submitted version waiting for the steward, oldest first."""
    require_steward(viewer)
    async with parts.database.session() as session:
        found = await session.scalars(
            select(DatasetVersion)
            .where(DatasetVersion.state == VersionState.SUBMITTED.value)
            .order_by(DatasetVersion.submitted_at, DatasetVersion.id)
        )
        return list(found)


async def agency_versions(
    parts: PublishingParts, viewer: Viewer | None, agency_slug: str
) -> list[DatasetVersion]:
    """Every version of the agency's datasets, newest first (its producers and the steward)."""
    async with parts.database.session() as session:
        agency = await _agency(session, agency_slug)
        if not sees_every_version(viewer, agency.id):
            require_submitter(viewer, agency.id)
        found = await session.scalars(
            select(DatasetVersion)
            .where(DatasetVersion.agency_id == agency.id)
            .order_by(DatasetVersion.dataset_slug, DatasetVersion.number.desc())
        )
        return list(found)


def stored_checks(version: DatasetVersion) -> list[CheckResult]:
    return [CheckResult(**{**raw, "kind": CheckKind(raw["kind"])}) for raw in version.checks or []]


def stored_changes(version: DatasetVersion) -> VersionChanges | None:
    """The stored summary; None for the first version, and while a push's is being counted
    (`changes_pending`)."""
    if version.changes is None or changes_pending(version.changes):
        return None
    return VersionChanges(**version.changes)


def changes_pending(stored: dict[str, Any] | None) -> bool:
    """A replacing push's summary not yet counted (`opendata.apps.push_changes`)."""
    return bool(stored and stored.get("pending"))


# ---------------------------------------------------------------- submitting


async def _agency(session: AsyncSession, slug: str) -> Agency:
    agency = await session.scalar(
        select(Agency).where(Agency.slug == slug, Agency.removed_at.is_(None))
    )
    if agency is None:
        raise not_found("Badan publik", "Public body", slug, field="agency")
    return agency


async def _context(
    session: AsyncSession,
    dataset: Dataset | None,
    raw: Mapping[str, Any],
    descriptor: DatasetDescriptor,
    accepted: Sequence[Mapping[str, Any]],
) -> CheckContext:
    withheld: frozenset[str] = frozenset()
    if dataset is not None:
        withheld = (await load_policy(session, dataset.id)).withheld_fields
    return CheckContext(
        withheld_fields=withheld,
        accepted=frozenset((CheckKind(a["kind"]), a.get("field")) for a in accepted),
        quasi_identifiers=descriptor.quasi_identifiers,
        minimum_cell_size=descriptor.minimum_cell_size or DEFAULT_MINIMUM_CELL_SIZE,
        publication_mode=str(raw.get("publicationMode") or "ROWS"),
    )


def _check_json(result: CheckResult) -> dict[str, Any]:
    return {
        "kind": result.kind.value,
        "passed": result.passed,
        "blocking": result.blocking,
        "field": result.field,
        "message": result.message,
        "message_en": result.message_en,
        "resource": result.resource,
    }


async def _run_checks(
    session: AsyncSession,
    dataset: Dataset | None,
    folder: Path,
    descriptor: DatasetDescriptor,
    accepted: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The checks over the staged files (off the event loop: they read every row)."""
    context = await _context(session, dataset, staged_descriptor(folder), descriptor, accepted)
    results = await asyncio.to_thread(run_checks, descriptor, context)
    return [_check_json(result) for result in results]


async def _table_rows(
    session: AsyncSession, table_name: str, fields: Sequence[FieldDef]
) -> list[tuple[Any, ...]]:
    table = row_table(table_name, tuple(fields))
    found = await session.execute(select(*table.columns[1:]).order_by(table.columns[0]))
    return [tuple(row) for row in found]


def _metadata(dataset: Dataset | DatasetDescriptor) -> dict[str, Any]:
    """The metadata a steward compares between versions."""
    return {
        "title": dataset.title,
        "title_en": dataset.title_en,
        "description": dataset.description,
        "description_en": dataset.description_en,
        "keywords": list(dataset.keywords),
        "topics": list(dataset.topics),
        "license": dataset.license,
        "category": dataset.category,
        # not `modified`: publishing a version dates it (freshness.record_publication)
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
        "minimum_cell_size": dataset.minimum_cell_size,
    }


async def _changes(
    session: AsyncSession,
    dataset: Dataset,
    descriptor: DatasetDescriptor,
    version_resources: Sequence[VersionResource],
) -> dict[str, Any] | None:
    """Against what the public sees now (None for a dataset never published)."""
    if dataset.removed_at is not None:
        return None
    published = await resource_swap.stored_resources(session, dataset.id)
    parts: list[VersionChanges] = []
    for version_resource in version_resources:
        new_fields = [FieldDef.from_json(raw) for raw in version_resource.fields]
        old = published.pop(version_resource.name, None)
        old_fields = [FieldDef.from_json(raw) for raw in old.fields] if old else []
        parts.append(
            version_changes(
                {},
                {},
                await _table_rows(session, old.row_table, old_fields) if old else [],
                await _table_rows(session, version_resource.row_table, new_fields),
                [f.name for f in old_fields],
                [f.name for f in new_fields],
                None,
            )
        )
    gone = list(published.values())  # resources the new version drops: their rows go
    metadata = version_changes(_metadata(dataset), _metadata(descriptor), [], [], [], [], None)
    return asdict(
        VersionChanges(
            rows_added=sum(p.rows_added for p in parts),
            rows_removed=sum(p.rows_removed for p in parts) + sum(r.row_count for r in gone),
            rows_changed=sum(p.rows_changed for p in parts),
            fields_added=[name for p in parts for name in p.fields_added],
            fields_removed=[name for p in parts for name in p.fields_removed]
            + [str(raw["name"]) for r in gone for raw in r.fields],
            metadata_changed=metadata.metadata_changed,
            by_key=bool(parts) and all(p.by_key for p in parts),
        )
    )


async def _dataset_for(
    session: AsyncSession, slug: str, agency: Agency, descriptor: DatasetDescriptor
) -> Dataset:
    """The dataset the version belongs to; a new one is stored unpublished (removed_at set,
    so no door shows it) until its first version is approved: the PPID can already withhold
    its fields (addExemption) while it is under review."""
    # locked: two versions submitted at once get numbers one after the other
    dataset = await session.scalar(select(Dataset).where(Dataset.slug == slug).with_for_update())
    if dataset is None:
        dataset = Dataset(
            slug=slug,
            agency_id=agency.id,
            title=descriptor.title,
            category=descriptor.category,
            removed_at=utcnow(),
        )
        session.add(dataset)
        await session.flush()
    elif dataset.agency_id != agency.id and dataset.removed_at is None:
        raise Forbidden(
            f"Dataset '{slug}' milik badan publik lain.",
            f"Dataset '{slug}' belongs to another public body.",
            field="dataset",
        )
    return dataset


async def submit_version(
    parts: PublishingParts,
    viewer: Viewer | None,
    submission: Submission,
    *,
    auto_publish: bool = False,
    source: str = VersionSource.UPLOAD.value,
) -> DatasetVersion:
    """Stage the files, run the checks, load the rows into the version's own tables and store
    the version SUBMITTED (or PUBLISHED at once, when `auto_publish` and nothing blocks)."""
    if viewer is None:
        require_submitter(viewer, -1)
    async with parts.database.session() as session:
        agency = await _agency(session, submission.agency_slug)
    actor = require_submitter(viewer, agency.id)
    folder = stage_files(
        parts.settings.data_dir,
        agency.slug,
        submission.dataset_slug,
        submission.descriptor,
        submission.files,
    )
    try:
        version = await _store_version(
            parts, actor, agency, submission, folder, auto_publish, source
        )
    except BaseException:  # nothing was stored: the staged files go too
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return version


async def add_version(
    session: AsyncSession, dataset: Dataset, agency_id: int, **columns: Any
) -> DatasetVersion:
    """A new version of `dataset` numbered after its latest (1, 2, 3 ... per dataset), added
    and flushed so it has its id; a concurrent writer holding the same number fails on the
    versions' unique number. `agency_id` is the submitting agency's."""
    latest = await session.scalar(
        select(func.max(DatasetVersion.number)).where(DatasetVersion.dataset_slug == dataset.slug)
    )
    version = DatasetVersion(
        dataset_slug=dataset.slug,
        agency_id=agency_id,
        dataset_id=dataset.id,
        number=(latest or 0) + 1,
        accepted=[],
        **columns,
    )
    session.add(version)
    await session.flush()
    return version


async def _store_version(
    parts: PublishingParts,
    actor: Viewer,
    agency: Agency,
    submission: Submission,
    folder: Path,
    auto_publish: bool,
    source: str,
) -> DatasetVersion:
    """The version stored (and published, if asked and allowed)."""
    descriptor = read_staged(folder, agency.slug)
    async with parts.database.write() as session:
        dataset = await _dataset_for(session, submission.dataset_slug, agency, descriptor)
        checks = await _run_checks(session, dataset, folder, descriptor, [])
        version = await add_version(
            session,
            dataset,
            agency.id,
            state=VersionState.SUBMITTED.value,
            source=source,
            descriptor=staged_descriptor(folder),
            staging_path=str(folder),
            submitted_by_user_id=actor.user_id,
            submitted_by=actor.name,
            submitted_at=utcnow(),
            checks=checks,
        )
        for position, resource in enumerate(descriptor.resources):
            version_resource = VersionResource(
                version_id=version.id, **ResourceShape.read(position, resource).columns()
            )
            session.add(version_resource)
            await session.flush()
            version_resource.row_table = new_version_table_name(version_resource.id)
            # bad lines are skipped here and named by the SCHEMA check, which blocks
            try:
                report = await load_rows(
                    session, version_resource.row_table, resource, skip_bad_rows=True
                )
            except RowsRefused as refusal:  # values declared unique are not
                raise BadUserInput(
                    f"{resource.name}: {refusal.message}.",
                    f"{resource.name}: {refusal.message}.",
                    field="resources",
                ) from refusal
            version_resource.row_count = report.rows
            version.row_count += report.rows
        await session.flush()
        await session.refresh(version, ["resources"])
        version.changes = await _changes(session, dataset, descriptor, version.resources)
        if auto_publish and not blocking_failures(stored_checks(version)):
            await _publish(parts, session, version, dataset, descriptor, actor)
    return version


# ---------------------------------------------------------------- reviewing


async def _locked_version(session: AsyncSession, version_id: int) -> DatasetVersion:
    version = await session.scalar(
        select(DatasetVersion).where(DatasetVersion.id == version_id).with_for_update()
    )
    if version is None:
        raise not_found("Versi dataset", "Dataset version", str(version_id), field="id")
    return version


def _require_submitted(version: DatasetVersion) -> None:
    if version.state != VersionState.SUBMITTED.value:
        raise InvalidTransition(
            f"Versi {version.number} tidak sedang ditinjau ({version.state}).",
            f"Version {version.number} is not under review ({version.state}).",
        )


def _comment(comment: str | None, *, required: bool) -> str | None:
    cleaned = (comment or "").strip()
    if required and not cleaned:
        raise BadUserInput(
            "Catatan untuk produsen data wajib diisi.",
            "A comment for the data producer is required.",
            field="comment",
        )
    if len(cleaned) > MAX_COMMENT_CHARS:
        raise BadUserInput(
            f"Catatan paling panjang {MAX_COMMENT_CHARS} karakter.",
            f"A comment is at most {MAX_COMMENT_CHARS} characters.",
            field="comment",
        )
    return cleaned or None


async def _dataset_of(session: AsyncSession, version: DatasetVersion) -> Dataset:
    dataset = await session.get(Dataset, version.dataset_id) if version.dataset_id else None
    if dataset is None:
        raise not_found("Dataset", "Dataset", version.dataset_slug, field="dataset")
    return dataset


async def refresh_checks(
    parts: PublishingParts, viewer: Viewer | None, version_id: int
) -> DatasetVersion:
    """Run the checks of a version under review again, with the exemptions now in force and
    the steward's acceptances (what approval does first)."""
    async with parts.database.write() as session:
        version = await _locked_version(session, version_id)
        if not sees_every_version(viewer, version.agency_id):
            require_steward(viewer)
        _require_submitted(version)
        dataset = await _dataset_of(session, version)
        folder = Path(version.staging_path)
        agency = await session.get(Agency, version.agency_id)
        descriptor = read_staged(folder, agency.slug if agency else "")
        version.checks = await _run_checks(session, dataset, folder, descriptor, version.accepted)
    return version


async def approve_version(
    parts: PublishingParts, viewer: Viewer | None, version_id: int, comment: str | None
) -> DatasetVersion:
    """Publish a submitted version: CHECK_FAILED while a blocking check fails (the checks
    are run again first, so an exemption added since counts)."""
    actor = require_steward(viewer)
    cleaned = _comment(comment, required=False)
    version = await refresh_checks(parts, actor, version_id)
    failing = blocking_failures(stored_checks(version))
    if failing:
        raise CheckFailed(
            "Versi ini belum dapat diterbitkan: "
            + "; ".join(f"{c.kind.value} {c.field or ''}: {c.message}".strip() for c in failing),
            "This version cannot be published yet: "
            + "; ".join(f"{c.kind.value} {c.field or ''}: {c.message_en}".strip() for c in failing),
            checks=[_check_json(c) for c in failing],
        )
    async with parts.database.write() as session:
        version = await _locked_version(session, version_id)
        _require_submitted(version)
        dataset = await _dataset_of(session, version)
        agency = await session.get(Agency, version.agency_id)
        descriptor = read_staged(Path(version.staging_path), agency.slug if agency else "")
        try:
            await refuse_unmatched_exemptions(session, dataset, descriptor)
        except RowsRefused as refusal:
            raise InvalidTransition(refusal.message, refusal.message) from refusal
        version.comment = cleaned
        await _publish(parts, session, version, dataset, descriptor, actor)
    return version


async def return_version(
    parts: PublishingParts, viewer: Viewer | None, version_id: int, comment: str
) -> DatasetVersion:
    """Send a submitted version back to its producer with the steward's comment."""
    actor = require_steward(viewer)
    cleaned = _comment(comment, required=True)
    async with parts.database.write() as session:
        version = await _locked_version(session, version_id)
        _require_submitted(version)
        version.state = VersionState.RETURNED.value
        version.comment = cleaned
        version.reviewed_by_user_id = actor.user_id
        version.reviewed_by = actor.name
        version.reviewed_at = utcnow()
    return version


async def accept_check(
    parts: PublishingParts,
    viewer: Viewer | None,
    version_id: int,
    kind: CheckKind,
    field: str | None,
    reason: str,
) -> DatasetVersion:
    """The steward records why a flagged check does not stop publication (e.g. a column of
    names that are officials' names, not personal data); the checks run again."""
    actor = require_steward(viewer)
    cleaned = _comment(reason, required=True)
    async with parts.database.write() as session:
        version = await _locked_version(session, version_id)
        _require_submitted(version)
        if not any(c.kind is kind and c.field == field for c in stored_checks(version)):
            raise BadUserInput(
                "Versi ini tidak memiliki pemeriksaan itu.",
                "This version has no such check.",
                field="kind",
            )
        version.accepted = [
            *version.accepted,
            {
                "kind": kind.value,
                "field": field,
                "reason": cleaned,
                "by": actor.name,
                "at": utcnow().isoformat(),
            },
        ]
    return await refresh_checks(parts, actor, version_id)


# ---------------------------------------------------------------- publishing


async def _publish(
    parts: PublishingParts,
    session: AsyncSession,
    version: DatasetVersion,
    dataset: Dataset,
    descriptor: DatasetDescriptor,
    actor: Viewer,
) -> None:
    """Point the dataset at the version, in the caller's transaction. The catalogue load's
    tables it replaces are not dropped here: a request that resolved the resource before the
    commit still reads them; the next catalogue load sweeps them as orphans (as after a push)."""
    previous = await session.scalars(
        select(DatasetVersion).where(
            DatasetVersion.dataset_slug == version.dataset_slug,
            DatasetVersion.state == VersionState.PUBLISHED.value,
            DatasetVersion.id != version.id,
        )
    )
    for old in previous:
        old.state = VersionState.SUPERSEDED.value
    apply_metadata(dataset, descriptor, version.agency_id)
    dataset.published_version = version.number
    record_publication(dataset, regency_date(utcnow()))
    stored = await resource_swap.stored_resources(session, dataset.id)
    for version_resource in version.resources:
        resource, _ = await resource_swap.reuse_resource(
            session,
            dataset.id,
            stored,
            ResourceShape.stored(version_resource),
        )
        resource.row_table = version_resource.row_table
        resource.row_count = version_resource.row_count
    await resource_swap.remove_resources(session, stored.values())
    await replace_facets(session, dataset.id, descriptor)
    now = utcnow()
    if version.state == VersionState.SUBMITTED.value:
        version.reviewed_by_user_id = actor.user_id
        version.reviewed_by = actor.name
        version.reviewed_at = now
    version.state = VersionState.PUBLISHED.value
    version.published_at = now
    await session.flush()
    await record_catalogue_change(parts, session, [dataset.id])
    await queue_data_changed(session, [dataset.id], version_published(version.number))


async def rollback_dataset(
    parts: PublishingParts, viewer: Viewer | None, dataset_slug: str, to_number: int
) -> Dataset:
    """Publish an earlier version again, in one action (its tables were kept)."""
    actor = require_steward(viewer)
    async with parts.database.write() as session:
        dataset = await session.scalar(
            select(Dataset).where(Dataset.slug == dataset_slug).with_for_update()
        )
        if dataset is None:
            raise not_found("Dataset", "Dataset", dataset_slug, field="dataset")
        target = await session.scalar(
            select(DatasetVersion).where(
                DatasetVersion.dataset_slug == dataset_slug, DatasetVersion.number == to_number
            )
        )
        if target is None or target.state not in PUBLIC_STATES:
            raise InvalidTransition(
                f"Versi {to_number} belum pernah diterbitkan; hanya versi terbitan yang dapat "
                "dipulihkan.",
                f"Version {to_number} was never published; only a published version can be "
                "restored.",
                field="toVersion",
            )
        if dataset.published_version == to_number:
            raise InvalidTransition(
                f"Versi {to_number} sudah yang diterbitkan.",
                f"Version {to_number} is already the published one.",
                field="toVersion",
            )
        agency = await session.get(Agency, target.agency_id)
        descriptor = read_staged(Path(target.staging_path), agency.slug if agency else "")
        await _publish(parts, session, target, dataset, descriptor, actor)
    return dataset
