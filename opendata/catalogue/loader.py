"""Loading a catalogue folder into the store, idempotently, in one unit of work.

Unchanged datasets (same content hash) are left alone; changed ones are replaced (their
resources keep their ids, matched by name: `resource_swap`); ones no
longer in their agency's folder are removed (soft: their exemption history and requests
stay); ones whose descriptor was refused keep their stored version. Exemptions added through
the API are never touched; catalogue exemptions that leave the file are revoked, not deleted.

A careless reload must not wipe the catalogue: a path that is missing, empty, or one
agency's own folder is refused before anything is touched; agencies absent from the folder
(and their datasets) stay unless the operator asks for `prune`; `dry_run` computes the same
summary in a transaction that is rolled back.

Which wins when a dataset is changed both in the folder and through the service (issue 22):
the service. A dataset with a version published through the service (`published_version`)
is left alone by a load, neither replaced nor removed, and listed as "kept (published through
the service)" in the summary; `over_service` (`catalog load --over-service`) replaces it with
the folder's content anyway, its versions staying in its history. A reload so never
silently undoes a version the steward approved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.changes import record_catalogue_change
from opendata.catalogue.dates import keep_issued
from opendata.catalogue.extras import registered_extras
from opendata.catalogue.reader import (
    AgencyDescriptor,
    CatalogRead,
    DatasetDescriptor,
    Refusal,
    read_catalog,
)
from opendata.catalogue.resource_swap import (
    ResourceShape,
    remove_resources,
    reuse_resource,
    stored_resources,
)
from opendata.catalogue.row_load import ProgressCallback, RowsRefused, load_rows
from opendata.catalogue.sources import sync_catalogue_source
from opendata.catalogue.tables import (
    build_missing_indexes,
    drop_tables,
    loader_may_drop,
    new_table_name,
    row_table_names,
)
from opendata.db.base import utcnow
from opendata.db.models import Agency, Dataset, DatasetFacet, Exemption, Resource
from opendata.follows.notify import queue_data_changed, reloaded
from opendata.parts import HasIndex
from opendata.regency_time import regency_today
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import is_active
from opendata.visibility.rules import ExemptionDraft, exemption_record, unmatched_reason

CATALOGUE_ACTOR = "catalogue"


@dataclass(frozen=True)
class RowOptions:
    """How rows are loaded: skip bad lines (reporting them) or refuse; where progress goes."""

    skip_bad_rows: bool = False
    progress: ProgressCallback | None = None


@dataclass
class LoadSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    agencies_added: list[str] = field(default_factory=list)
    agencies_updated: list[str] = field(default_factory=list)
    agencies_removed: list[str] = field(default_factory=list)
    # "path: line N: reason" of each line skipped with --skip-bad-rows
    skipped_rows: list[str] = field(default_factory=list)
    # datasets the folder changes but the service published a version of: left alone
    kept_by_service: list[str] = field(default_factory=list)

    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused

    def lines(self) -> list[str]:
        counts = (
            f"datasets: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.refused)} refused; agencies: {len(self.agencies_added)} added, "
            f"{len(self.agencies_updated)} updated, {len(self.agencies_removed)} removed"
        )
        details = [f"  added: {slug}" for slug in self.added]
        details += [f"  updated: {slug}" for slug in self.updated]
        details += [f"  removed: {slug}" for slug in self.removed]
        details += [f"  agency removed: {slug}" for slug in self.agencies_removed]
        details += [f"  refused: {refusal}" for refusal in self.refused]
        details += [f"  skipped row: {line}" for line in self.skipped_rows]
        details += [
            f"  kept (published through the service; --over-service replaces it): {slug}"
            for slug in self.kept_by_service
        ]
        if self.dry_run:
            counts = "dry run, nothing changed; would be " + counts
        return [*details, counts]


def exemption_source_key(draft: ExemptionDraft) -> str:
    """Identity of a catalogue exemption across reloads (what it withholds, on what basis)."""
    identity = [draft.scope, draft.field, draft.row_filter, draft.basis, str(draft.decided_on)]
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


def _facet_values(descriptor: DatasetDescriptor, agency_slug: str) -> set[tuple[str, str]]:
    values = {("agency", agency_slug), ("category", descriptor.category)}
    values |= {("topic", topic) for topic in descriptor.topics}
    values |= {("format", resource.format.upper()) for resource in descriptor.resources}
    if descriptor.temporal_start is not None:
        end = descriptor.temporal_end or descriptor.temporal_start
        values |= {("year", str(year)) for year in range(descriptor.temporal_start, end + 1)}
    return values


async def _sync_agencies(
    session: AsyncSession,
    descriptors: list[AgencyDescriptor],
    refused: set[str],
    summary: LoadSummary,
    prune: bool,
) -> dict[str, Agency]:
    stored = {a.slug: a for a in await session.scalars(select(Agency))}
    for descriptor in descriptors:
        agency = stored.get(descriptor.slug)
        values = {
            "name": descriptor.name,
            "acronym": descriptor.acronym,
            "description": descriptor.description,
            "description_en": descriptor.description_en,
            "website": descriptor.website,
            "address": descriptor.address,
            "phone": descriptor.phone,
            "email": descriptor.email,
            "opening_hours": descriptor.opening_hours,
            "content_hash": descriptor.content_hash,
        }
        if agency is None:
            agency = Agency(slug=descriptor.slug, **values)
            session.add(agency)
            stored[descriptor.slug] = agency
            summary.agencies_added.append(descriptor.slug)
        elif agency.content_hash != descriptor.content_hash or agency.removed_at is not None:
            for key, value in values.items():
                setattr(agency, key, value)
            agency.removed_at = None
            summary.agencies_updated.append(descriptor.slug)
    present = {d.slug for d in descriptors} | refused
    for slug, agency in stored.items():
        if prune and slug not in present and agency.removed_at is None:
            agency.removed_at = utcnow()
            summary.agencies_removed.append(slug)
    await session.flush()
    return stored


async def _row_tables(session: AsyncSession, dataset_id: int) -> list[str]:
    return list(
        await session.scalars(select(Resource.row_table).where(Resource.dataset_id == dataset_id))
    )


async def _replace_content(
    session: AsyncSession,
    dataset: Dataset,
    descriptor: DatasetDescriptor,
    options: RowOptions,
    summary: LoadSummary,
) -> list[str]:
    """Resources of the same name kept (ids stable), each with a freshly built typed table;
    returns the tables replaced.

    The old tables stay until the caller's commit has swapped the resources over, so a
    reader sees the whole old version or the whole new one; the caller drops them after.
    """
    stored = await stored_resources(session, dataset.id)
    replaced: list[str] = []
    for position, resource_descriptor in enumerate(descriptor.resources):
        resource, previous = await reuse_resource(
            session,
            dataset.id,
            stored,
            ResourceShape.read(position, resource_descriptor),
        )
        replaced += [previous] if previous else []
        resource.row_table = new_table_name(resource.id)
        report = await load_rows(
            session,
            resource.row_table,
            resource_descriptor,
            skip_bad_rows=options.skip_bad_rows,
            progress=options.progress,
        )
        resource.row_count = report.rows
        summary.skipped_rows += [str(bad) for bad in report.bad_rows]
        if report.bad_row_count > len(report.bad_rows):
            summary.skipped_rows.append(
                f"{resource_descriptor.csv_path}: "
                f"{report.bad_row_count - len(report.bad_rows)} more bad lines"
            )
    replaced += await remove_resources(session, stored.values())
    await replace_facets(session, dataset.id, descriptor)
    return replaced


async def replace_facets(
    session: AsyncSession, dataset_id: int, descriptor: DatasetDescriptor
) -> None:
    """The dataset's facet rows, as its new version says."""
    await session.execute(delete(DatasetFacet).where(DatasetFacet.dataset_id == dataset_id))
    session.add_all(
        DatasetFacet(dataset_id=dataset_id, facet=facet, value=value)
        for facet, value in sorted(_facet_values(descriptor, descriptor.agency_slug))
    )


async def _index_live_tables(session: AsyncSession) -> None:
    """Row tables made before an index rule changed get its indexes (`build_missing_indexes`)."""
    live = (await session.execute(select(Resource.row_table, Resource.fields))).all()
    await build_missing_indexes(
        session,
        [(name, [FieldDef.from_json(raw) for raw in fields or ()]) for name, fields in live],
    )


async def _drop_orphan_tables(session: AsyncSession) -> None:
    """Typed tables no resource points at (left by a crash between commit and drop)."""
    live = set(await session.scalars(select(Resource.row_table)))
    orphans = await row_table_names(session) - live
    await drop_tables(session, sorted(name for name in orphans if loader_may_drop(name)))


async def _sync_exemptions(
    session: AsyncSession, dataset: Dataset, drafts: list[ExemptionDraft]
) -> None:
    stored = {
        e.source_key: e
        for e in await session.scalars(
            select(Exemption).where(
                Exemption.dataset_id == dataset.id,
                Exemption.source == "catalog",
                Exemption.revoked_at.is_(None),
            )
        )
    }
    wanted = {exemption_source_key(draft): draft for draft in drafts}
    for key, draft in wanted.items():
        exemption = stored.get(key)
        if exemption is None:
            session.add(
                exemption_record(
                    dataset.id, draft, source="catalog", created_by=CATALOGUE_ACTOR, source_key=key
                )
            )
        else:
            exemption.consequence_test = draft.consequence_test
            exemption.public_interest = draft.public_interest
            exemption.decision_reference = draft.decision_reference
            exemption.expires_on = draft.expires_on
    for stored_key, exemption in stored.items():
        if stored_key not in wanted:
            exemption.revoked_at = utcnow()
            exemption.revoked_by = CATALOGUE_ACTOR
            exemption.revoke_reason = (
                "Dihapus dari berkas katalog. / Removed from the catalogue file."
            )


def apply_metadata(dataset: Dataset, descriptor: DatasetDescriptor, agency_id: int) -> None:
    dataset.agency_id = agency_id
    dataset.title = descriptor.title
    dataset.title_en = descriptor.title_en
    dataset.description = descriptor.description
    dataset.description_en = descriptor.description_en
    dataset.keywords = descriptor.keywords
    dataset.topics = descriptor.topics
    dataset.license = descriptor.license
    dataset.category = descriptor.category
    dataset.modified = descriptor.modified
    keep_issued(dataset, descriptor.modified)
    dataset.temporal_start = descriptor.temporal_start
    dataset.temporal_end = descriptor.temporal_end
    dataset.minimum_cell_size = descriptor.minimum_cell_size
    dataset.publication_mode = descriptor.publication_mode
    dataset.update_frequency = descriptor.update_frequency
    dataset.source_path = descriptor.source_path
    dataset.content_hash = descriptor.content_hash
    dataset.removed_at = None


async def _active_exemptions(session: AsyncSession, dataset_id: int) -> list[Exemption]:
    stored = await session.scalars(
        select(Exemption).where(Exemption.dataset_id == dataset_id).order_by(Exemption.id)
    )
    today = regency_today()
    return [exemption for exemption in stored if is_active(exemption, today)]


def _exemption_name(exemption: Exemption) -> str:
    target = exemption.field or json.dumps(exemption.row_filter, ensure_ascii=False) or ""
    return f"exemption {exemption.id} ({exemption.scope} {target}, {exemption.basis})".replace(
        "  ", " "
    )


async def refuse_unmatched_exemptions(
    session: AsyncSession, dataset: Dataset, descriptor: DatasetDescriptor
) -> None:
    """Refuse a new version of the dataset under which an active exemption withholds nothing.

    The stored version (whose fields the exemption matches) stays until the PPID re-points or
    revokes the exemption: a renamed or retyped field never makes withheld values public.
    """
    await session.flush()
    resources = {r.name: r.fields for r in descriptor.resources}
    for exemption in await _active_exemptions(session, dataset.id):
        reason = unmatched_reason(exemption.scope, exemption.field, exemption.row_filter, resources)
        if reason is not None:
            raise RowsRefused(
                descriptor.source_path,
                "exemptions",
                f"{_exemption_name(exemption)} of '{dataset.slug}': {reason}; the stored "
                "version stays until the PPID re-points or revokes it / versi tersimpan "
                "tetap sampai PPID menyesuaikan atau mencabut pengecualian itu",
            )


async def _withheld_datasets_gone(
    session: AsyncSession,
    stored: dict[str, Dataset],
    read: CatalogRead,
    agencies: dict[str, Agency],
    prune: bool,
) -> list[Refusal]:
    """Refusals for datasets this load would remove while the PPID withholds part of them.

    A dataset whose slug changed comes back as a new dataset without the exemptions decided
    through the API: the load stops until the PPID revokes them or the old slug returns.
    """
    refusals = []
    for dataset in _to_remove(stored, read, agencies, prune):
        for exemption in await _active_exemptions(session, dataset.id):
            if exemption.source == "catalog":
                continue  # it leaves with its descriptor (revoked, not deleted)
            refusals.append(
                Refusal(
                    dataset.source_path or dataset.slug,
                    "name",
                    f"dataset '{dataset.slug}' is gone from the folder but "
                    f"{_exemption_name(exemption)} still withholds part of it: restore the slug "
                    "or have the PPID revoke it; "
                    "nothing was changed / dataset ini hilang dari folder padahal pengecualian "
                    "masih berlaku; tidak ada yang diubah",
                )
            )
    return refusals


def _to_remove(
    stored: dict[str, Dataset],
    read: CatalogRead,
    agencies: dict[str, Agency],
    prune: bool,
    over_service: bool = False,
) -> list[Dataset]:
    """The live datasets this load removes: absent from their (readable) agency's folder,
    and not published through the service (unless `over_service`)."""
    present = {d.slug for d in read.datasets} | read.refused_slugs
    in_folder = {agencies[a.slug].id for a in read.agencies}
    unreadable = {agencies[s].id for s in read.refused_agencies if s in agencies}
    return [
        dataset
        for slug, dataset in stored.items()
        if slug not in present
        and dataset.removed_at is None
        and dataset.agency_id not in unreadable
        and (prune or dataset.agency_id in in_folder)
        and (over_service or dataset.published_version is None)
    ]


class _RollBack(Exception):
    """Ends a dry run's transaction without committing it."""


def refuse_root(root: Path) -> Refusal | None:
    """Why `root` cannot be a catalogue to load, or None: checked before anything is touched."""
    if not root.is_dir():
        return Refusal(str(root), "(folder)", "an existing catalogue folder; nothing was changed")
    if (root / "agency.yaml").is_file():
        return Refusal(
            str(root),
            "(folder)",
            f"the catalogue root (the folder above this agency, {root.parent}); "
            "nothing was changed",
        )
    if not any(p.is_dir() and (p / "agency.yaml").is_file() for p in root.iterdir()):
        return Refusal(
            str(root),
            "(folder)",
            "a catalogue with at least one agency folder (<agency>/agency.yaml); "
            "nothing was changed",
        )
    return None


async def load_catalog(
    services: HasIndex,
    root: Path,
    *,
    prune: bool = False,
    dry_run: bool = False,
    rows: RowOptions | None = None,
    over_service: bool = False,
) -> LoadSummary:
    """Load the folder at `root`; see the module docstring for what changes."""
    refusal = refuse_root(root)
    if refusal is not None:
        return LoadSummary(refused=[refusal], dry_run=dry_run)
    summary = LoadSummary(dry_run=dry_run)
    with contextlib.suppress(_RollBack):  # a dry run's transaction ends here, rolled back
        await _load(
            services,
            root,
            summary,
            prune=prune,
            dry_run=dry_run,
            rows=rows,
            over_service=over_service,
        )
    return summary


async def _load(
    services: HasIndex,
    root: Path,
    summary: LoadSummary,
    *,
    prune: bool,
    dry_run: bool,
    rows: RowOptions | None,
    over_service: bool = False,
) -> None:
    read = read_catalog(root)
    summary.refused = list(read.refusals)
    changed: set[int] = set()
    reloaded_data: dict[int, str] = {}
    replaced: list[str] = []
    row_options = rows or RowOptions()
    async with services.database.write() as session:
        await _drop_orphan_tables(session)
        await _index_live_tables(session)
        agencies = await _sync_agencies(
            session, read.agencies, read.refused_agencies, summary, prune
        )
        stored = {d.slug: d for d in await session.scalars(select(Dataset))}
        withheld_gone = await _withheld_datasets_gone(session, stored, read, agencies, prune)
        if withheld_gone:  # the whole load stops: a renamed slug would publish what is withheld
            summary.refused += withheld_gone
            summary.agencies_added, summary.agencies_updated, summary.agencies_removed = [], [], []
            raise _RollBack
        for descriptor in read.datasets:
            agency = agencies[descriptor.agency_slug]
            dataset = stored.get(descriptor.slug)
            if (
                dataset is not None
                and dataset.content_hash == descriptor.content_hash
                and dataset.removed_at is None
                and dataset.agency_id == agency.id
            ):
                summary.unchanged.append(descriptor.slug)
                continue
            if dataset is not None and dataset.published_version is not None:
                if not over_service:  # the service wins (module docstring)
                    summary.kept_by_service.append(descriptor.slug)
                    continue
                dataset.published_version = None
            is_new = dataset is None
            try:
                async with session.begin_nested():
                    if dataset is None:
                        dataset = Dataset(
                            slug=descriptor.slug, agency_id=agency.id, title="", category=""
                        )
                        session.add(dataset)
                    apply_metadata(dataset, descriptor, agency.id)
                    await session.flush()
                    old_tables = await _replace_content(
                        session, dataset, descriptor, row_options, summary
                    )
                    await _sync_exemptions(session, dataset, descriptor.exemptions)
                    await refuse_unmatched_exemptions(session, dataset, descriptor)
                    await sync_catalogue_source(
                        session, dataset.id, descriptor.source, CATALOGUE_ACTOR
                    )
            except RowsRefused as refusal:  # the stored version (if any) stays as it was
                summary.refused.append(refusal.refusal())
                if not is_new and dataset is not None:
                    await session.refresh(dataset)
                continue
            (summary.added if is_new else summary.updated).append(descriptor.slug)
            if not is_new:  # its followers hear of it (issue 24)
                reloaded_data[dataset.id] = descriptor.content_hash
            replaced += old_tables
            changed.add(dataset.id)
        renamed = {agencies[slug].id for slug in summary.agencies_updated}
        if renamed:  # agency name and acronym are searched: re-index their datasets
            changed |= {
                d.id for d in stored.values() if d.agency_id in renamed and d.removed_at is None
            }
        for dataset in _to_remove(stored, read, agencies, prune, over_service):
            dataset.removed_at = utcnow()
            replaced += await _row_tables(session, dataset.id)
            await session.execute(delete(Resource).where(Resource.dataset_id == dataset.id))
            await session.execute(delete(DatasetFacet).where(DatasetFacet.dataset_id == dataset.id))
            summary.removed.append(dataset.slug)
            changed.add(dataset.id)
        extras_changed = False
        for extra in registered_extras():  # the dashboard, registered by opendata.dashboard
            extras_changed |= await extra(session, root, read, summary.refused)
        if (
            changed
            or extras_changed
            or summary.agencies_added
            or summary.agencies_updated
            or summary.agencies_removed
        ):
            await session.flush()
            await record_catalogue_change(services, session, changed)
        for dataset_id, content_hash in reloaded_data.items():
            await queue_data_changed(session, [dataset_id], reloaded(content_hash))
        if dry_run:
            raise _RollBack
    replaced = [name for name in replaced if loader_may_drop(name)]  # versions keep theirs
    if replaced:  # after the swap is committed: readers have moved to the new tables
        async with services.database.write() as session:
            await drop_tables(session, replaced)
