"""A push publishes a version of its dataset, inside the push's own transaction.

Like a version a producer submits (opendata.publishing), the new version has its own row
tables, kept with it (older versions stay downloadable, rollback is a swap), and the
dataset's resources are pointed at them, ids unchanged. Unlike one, it is published at once:
a push is checked against the resource's schema (opendata.apps.rows) and the exemptions in
force apply at read time, so nothing waits for review. Resources the push does not touch
keep sharing their version's table (a version table never changes); a catalogue load's
table is copied into a version table first (the loader may drop its own tables). The load's
table is not dropped here: a request that resolved the resource before the push commits still
reads it; the next catalogue load sweeps it as an orphan (`loader._drop_orphan_tables`).

The version's descriptor and staging folder are the published version's (a push changes
rows, not metadata); a dataset only ever loaded from the catalogue gets a staging folder
written from its stored metadata, so a rollback to a pushed version reads like any other.
"""

from __future__ import annotations

import csv
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.apps.push_changes import count_later
from opendata.apps.rows import RowProblem, TypedRows, refused
from opendata.calendar import regency_date
from opendata.catalogue.freshness import record_publication
from opendata.catalogue.resource_swap import ResourceShape, stored_resources
from opendata.catalogue.tables import (
    ROW_ID,
    appendable_version_table,
    bounded_view,
    create_indexes,
    create_table,
    insert_rows,
    loader_may_drop,
    new_version_table_name,
    new_version_view_name,
    row_table,
)
from opendata.db.base import utcnow
from opendata.db.models import Agency, Dataset, Resource
from opendata.publishing.changes import VersionChanges
from opendata.publishing.checks import CheckKind, CheckResult
from opendata.publishing.drafts import catalogue_descriptor
from opendata.publishing.models import DatasetVersion, VersionResource, VersionSource, VersionState
from opendata.publishing.staging import stage_files
from opendata.publishing.versions import add_version, changes_pending
from opendata.visibility.fields import FieldDef


def _schema_passed(resource: str) -> dict[str, Any]:
    result = CheckResult(
        CheckKind.SCHEMA,
        passed=True,
        blocking=True,
        field=None,
        message="Setiap baris kiriman aplikasi sesuai skema.",
        message_en="Every row the app pushed fits the schema.",
        resource=resource,
    )
    return {**asdict(result), "kind": result.kind.value}


async def publish_push(
    session: AsyncSession,
    data_dir: Path,
    dataset: Dataset,
    resource_name: str,
    *,
    replace: bool,
    rows: TypedRows,
    submitted_by: str,
) -> DatasetVersion:
    """The published version holding the push (the caller holds the dataset's row lock)."""
    resources = sorted(
        (await stored_resources(session, dataset.id)).values(), key=lambda r: r.position
    )
    previous = await session.scalar(
        select(DatasetVersion).where(
            DatasetVersion.dataset_slug == dataset.slug,
            DatasetVersion.number == dataset.published_version,
        )
    )
    descriptor, staging = (
        (previous.descriptor, previous.staging_path)
        if previous is not None
        else await _staged_from_store(session, data_dir, dataset, resources)
    )
    now = utcnow()
    version = await add_version(
        session,
        dataset,
        dataset.agency_id,
        state=VersionState.PUBLISHED.value,
        source=VersionSource.PUSH.value,
        descriptor=descriptor,
        staging_path=staging,
        submitted_by=submitted_by,
        submitted_at=now,
        published_at=now,
        checks=[_schema_passed(resource_name)],
    )
    changes = VersionChanges()
    for resource in resources:
        fields = tuple(FieldDef.from_json(raw) for raw in resource.fields)
        kept = VersionResource(
            version_id=version.id,
            **ResourceShape.stored(resource).columns(),
            row_count=resource.row_count,
            row_table=resource.row_table,
        )
        session.add(kept)
        await session.flush()
        pushed = resource.name == resource_name
        if pushed and not replace and appendable_version_table(resource.row_table):
            await _append_in_place(session, kept, fields, rows)
            changes = VersionChanges(rows_added=len(rows))
        elif pushed or loader_may_drop(resource.row_table):
            kept.row_table = new_version_table_name(kept.id)
            table = row_table(kept.row_table, fields)
            await create_table(session, table)
            if resource.row_table and not (pushed and replace):
                await _copy_rows(session, row_table(resource.row_table, fields), table)
            if pushed:
                if replace:
                    kept.row_count = 0
                start = await session.scalar(select(sa.func.max(table.c[ROW_ID])))
                await _insert(session, table, fields, rows, 0 if start is None else start + 1)
                kept.row_count += len(rows)
                if replace and resource.row_table:
                    await count_later(session, version, resource, table.name)
                else:
                    changes = VersionChanges(rows_added=len(rows), by_key=not replace)
            await _unique_or_refused(fields, create_indexes(session, table, fields))
        resource.row_table = kept.row_table
        resource.row_count = kept.row_count
        version.row_count += kept.row_count
    if not changes_pending(version.changes):
        version.changes = asdict(changes)
    if previous is not None:
        previous.state = VersionState.SUPERSEDED.value
    dataset.published_version = version.number
    record_publication(dataset, regency_date(now))
    await session.flush()
    return version


async def _append_in_place(
    session: AsyncSession, kept: VersionResource, fields: tuple[FieldDef, ...], rows: TypedRows
) -> None:
    """Append to the published version's own table instead of copying it: the versions that
    read it (the published one, and earlier ones sharing it) are pointed at a view of the rows
    it holds now, so each still reads exactly its rows, and the new version takes the table.
    An append then costs its own rows (into indexes kept up), not a copy of every earlier one."""
    table = row_table(kept.row_table, fields)
    last = await session.scalar(select(sa.func.max(table.c[ROW_ID])))
    last = -1 if last is None else int(last)
    view = new_version_view_name(kept.id)
    await bounded_view(session, view, table.name, last)
    await session.execute(
        sa.update(VersionResource)
        .where(VersionResource.row_table == table.name, VersionResource.id != kept.id)
        .values(row_table=view)
    )
    await _insert(session, table, fields, rows, last + 1)
    kept.row_count += len(rows)


async def _copy_rows(session: AsyncSession, source: sa.Table, target: sa.Table) -> None:
    """Every row, `_id` included (cursors into the old version stay meaningful), in SQL."""
    await session.execute(
        target.insert().from_select(list(target.c.keys()), select(*source.columns))
    )


async def _staged_from_store(
    session: AsyncSession, data_dir: Path, dataset: Dataset, resources: Sequence[Resource]
) -> tuple[dict[str, Any], str]:
    """A staging folder for a dataset only ever loaded from the catalogue: its stored
    metadata as a data package, each resource as a header-only CSV (the rows are in tables)."""
    agency_slug = await session.scalar(select(Agency.slug).where(Agency.id == dataset.agency_id))
    # the metadata keys as a draft of this dataset states them (publicationMode and
    # updateFrequency too: a rollback to this version reads them back)
    descriptor: dict[str, Any] = {
        **catalogue_descriptor(dataset),
        "modified": dataset.modified.isoformat() if dataset.modified else None,
        "resources": [
            {
                "name": r.name,
                **{k: v for k, v in (("title", r.title), ("title_en", r.title_en)) if v},
                "path": f"{r.name}.csv",
                "format": r.format,
                "schema": {"fields": list(r.fields)},
            }
            for r in resources
        ],
    }
    descriptor = {key: value for key, value in descriptor.items() if value is not None}
    with tempfile.TemporaryDirectory() as scratch:
        files = []
        for r in resources:
            header = Path(scratch) / f"{r.name}.csv"
            with header.open("w", newline="", encoding="utf-8") as out:
                csv.writer(out).writerow([str(raw["name"]) for raw in r.fields])
            files.append((r.name, header))
        folder = stage_files(data_dir, agency_slug or "", dataset.slug, descriptor, files)
    return descriptor, str(folder)


async def _insert(
    session: AsyncSession,
    table: sa.Table,
    fields: tuple[FieldDef, ...],
    rows: TypedRows,
    start: int,
) -> None:
    """One COPY (PostgreSQL) or one executemany (SQLite), numbered as the rows stream."""
    connection = await session.connection()
    await _unique_or_refused(fields, insert_rows(connection, table, rows.numbered(start)))


async def _unique_or_refused(fields: tuple[FieldDef, ...], work: Any) -> None:
    """Run `work`; a broken unique constraint refuses the push (409) naming the fields."""
    try:
        await work
    except (IntegrityError, sqlite3.IntegrityError) as error:
        raise _not_unique(fields) from error
    except Exception as error:
        if getattr(error, "sqlstate", None) == "23505":  # asyncpg's COPY: unique_violation
            raise _not_unique(fields) from error
        raise


def _not_unique(fields: tuple[FieldDef, ...]) -> Exception:
    unique = [f.name for f in fields if f.constraints.unique]
    return refused(
        [RowProblem(0, name, "a value that must be unique is repeated") for name in unique]
        or [RowProblem(0, None, "a value that must be unique is repeated")]
    )
