"""One tick of one source: fetch it, check it, submit it as a version, and record what happened.

The attempt row (unique per source and tick) is written before the fetch: a tick whose attempt
finished is never pulled again, even if its job runs twice; a RUNNING attempt left by a server
that died is taken over by the job's retry. Whatever fails (the fetch, the file, a check)
finishes the attempt as FAILED with its message and leaves the published version as it was;
the job itself succeeds, since the next tick tries again. Only a fault of our own (the
database away) fails the job, for the outbox to retry.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from opendata.accounts.models import User
from opendata.accounts.tokens import viewer_of
from opendata.accounts.viewer import Viewer
from opendata.catalogue.sources import DatasetSource
from opendata.db.base import utcnow
from opendata.db.models import Agency, Dataset
from opendata.errors import DomainError
from opendata.outbox.worker import Job
from opendata.publishing.models import DatasetVersion, VersionSource, VersionState
from opendata.publishing.versions import PublishingParts, Submission, submit_version
from opendata.pull.fetch import FetchFailed, fetch_to
from opendata.pull.files import source_csv
from opendata.pull.models import PullOutcome, SourceAttempt

logger = logging.getLogger("opendata.pull")


@dataclass(frozen=True)
class Target:
    """What a pull needs of its source, read in the claim's transaction."""

    attempt_id: int
    url: str
    format: str
    review: bool
    resource: str | None
    dataset_slug: str
    agency_slug: str
    last_sha256: str | None
    # who the version is submitted as: the person who declared the source (None: nobody yet,
    # or their account was disabled)
    actor: Viewer | None


@dataclass(frozen=True)
class Result:
    outcome: PullOutcome
    message: str
    message_en: str
    http_status: int | None = None
    size: int | None = None
    sha256: str | None = None
    version_number: int | None = None


async def _begin(
    parts: PublishingParts, source_id: int, tick: datetime, job_id: int
) -> Target | None:
    """The attempt for this tick, started (or taken over); None when there is nothing to do."""
    async with parts.database.write() as session:
        source = await session.get(DatasetSource, source_id, with_for_update=True)
        if source is None:  # the source was removed after its tick was queued
            return None
        later = await session.scalar(
            select(SourceAttempt.id).where(
                SourceAttempt.source_id == source_id, SourceAttempt.tick > tick
            )
        )
        attempt = await session.scalar(
            select(SourceAttempt).where(
                SourceAttempt.source_id == source_id, SourceAttempt.tick == tick
            )
        )
        if later is not None or (attempt is not None and attempt.outcome != PullOutcome.RUNNING):
            return None  # a newer tick ran already, or this one finished
        if attempt is None:
            attempt = SourceAttempt(source_id=source_id, tick=tick)
            session.add(attempt)
        attempt.job_id, attempt.started_at = job_id, utcnow()
        attempt.outcome = PullOutcome.RUNNING.value
        attempt.message = attempt.message_en = ""
        await session.flush()
        last_sha = await session.scalar(
            select(SourceAttempt.content_sha256)
            .where(
                SourceAttempt.source_id == source_id,
                SourceAttempt.tick < tick,
                SourceAttempt.content_sha256.is_not(None),
            )
            .order_by(SourceAttempt.tick.desc())
            .limit(1)
        )
        slugs = (
            await session.execute(
                select(Dataset.slug, Agency.slug)
                .join(Agency, Agency.id == Dataset.agency_id)
                .where(Dataset.id == source.dataset_id)
            )
        ).one()
        declarer = (
            await session.get(User, source.declared_by_user_id)
            if source.declared_by_user_id
            else None
        )
        return Target(
            attempt.id,
            source.url,
            source.format,
            source.review,
            source.resource,
            slugs[0],
            slugs[1],
            last_sha,
            viewer_of(declarer) if declarer and declarer.disabled_at is None else None,
        )


def _catalogue_descriptor(source_path: str) -> dict[str, Any] | None:
    """The descriptor file a catalogue load read the dataset from (YAML or JSON), if still there."""
    try:
        data = yaml.safe_load(Path(source_path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return dict(data) if isinstance(data, dict) else None


async def _descriptor(parts: PublishingParts, slug: str) -> dict[str, Any] | None:
    """The descriptor the new version keeps: the published version's, else the latest one's,
    else (a dataset only a catalogue load has published) the catalogue's file."""
    async with parts.database.session() as session:
        versions = list(
            await session.scalars(
                select(DatasetVersion)
                .where(DatasetVersion.dataset_slug == slug)
                .order_by(DatasetVersion.number.desc())
            )
        )
        source_path = await session.scalar(select(Dataset.source_path).where(Dataset.slug == slug))
    published = [v for v in versions if v.state == VersionState.PUBLISHED]
    chosen = published or versions
    if chosen:
        return dict(chosen[0].descriptor)
    return _catalogue_descriptor(source_path) if source_path else None


def _resource(descriptor: dict[str, Any], wanted: str | None) -> dict[str, Any]:
    resources = [r for r in descriptor.get("resources") or [] if isinstance(r, dict)]
    if wanted is None and len(resources) == 1:
        return resources[0]
    for resource in resources:
        if resource.get("name") == wanted:
            return resource
    raise FetchFailed(
        "Sumber tidak menyebut sumber daya mana yang diisinya.",
        f"The source names no resource of the dataset ({wanted or 'several resources'}).",
    )


def _failed(
    error: FetchFailed | DomainError, size: int | None = None, sha: str | None = None
) -> Result:
    status = error.http_status if isinstance(error, FetchFailed) else None
    message = error.message if isinstance(error, FetchFailed) else error.message_id
    return Result(PullOutcome.FAILED, message, error.message_en, status, size, sha)


def _submitted(version: DatasetVersion, review: bool, fetched: Result) -> Result:
    """What the version's state means for this pull (`fetched` carries the fetch's facts)."""
    number = version.number
    if version.state == VersionState.PUBLISHED:
        outcome = PullOutcome.PUBLISHED
        message, message_en = f"Versi {number} diterbitkan.", f"Version {number} published."
    elif review:
        outcome = PullOutcome.SUBMITTED
        message = f"Versi {number} menunggu tinjauan walidata."
        message_en = f"Version {number} waits for the steward's review."
    else:
        blocking = [c for c in version.checks if not c.get("passed") and c.get("blocking")]
        outcome = PullOutcome.FAILED
        message = "Pemeriksaan gagal: " + "; ".join(str(c.get("message")) for c in blocking)
        message_en = "Check failed: " + "; ".join(str(c.get("message_en")) for c in blocking)
    return replace(
        fetched, outcome=outcome, message=message, message_en=message_en, version_number=number
    )


async def _pull(parts: PublishingParts, target: Target) -> Result:
    if target.actor is None:
        return Result(
            PullOutcome.FAILED,
            "Belum ada walidata atau produsen data yang bertanggung jawab atas sumber ini: "
            "tetapkan sumbernya melalui layanan.",
            "No steward or producer answers for this source yet: declare it through the "
            "service (a source from the catalogue folder is confirmed there).",
        )
    descriptor = await _descriptor(parts, target.dataset_slug)
    if descriptor is None:
        return Result(
            PullOutcome.FAILED,
            "Set data belum memiliki versi yang menyatakan skemanya.",
            "The dataset has no version yet that declares its schema.",
        )
    with tempfile.TemporaryDirectory(prefix="pull-") as folder:
        fetched_path = Path(folder) / f"fetched.{target.format}"
        try:
            resource = _resource(descriptor, target.resource)
            fetched = await fetch_to(target.url, fetched_path, parts.settings.pull)
        except FetchFailed as error:
            return _failed(error)
        base = Result(
            PullOutcome.UNCHANGED,
            "Isi sumber sama dengan pengambilan sebelumnya; tidak ada versi baru.",
            "The source has the same content as the last fetch; no new version.",
            fetched.http_status,
            fetched.size,
            fetched.sha256,
        )
        if fetched.sha256 == target.last_sha256:
            return base
        try:
            csv_path = source_csv(fetched.path, target.format, resource)
            version = await submit_version(
                parts,
                target.actor,
                Submission(
                    target.dataset_slug,
                    target.agency_slug,
                    descriptor,
                    [(str(resource["name"]), csv_path)],
                ),
                auto_publish=not target.review,
                source=VersionSource.PULL.value,
            )
        except (FetchFailed, DomainError) as error:
            return _failed(error, fetched.size, fetched.sha256)
    return _submitted(version, target.review, base)


async def _finish(parts: PublishingParts, attempt_id: int, result: Result) -> None:
    async with parts.database.write() as session:
        attempt = await session.get(SourceAttempt, attempt_id, with_for_update=True)
        if attempt is None:
            return
        attempt.outcome = result.outcome.value
        attempt.finished_at = utcnow()
        attempt.message, attempt.message_en = result.message, result.message_en
        attempt.http_status, attempt.bytes = result.http_status, result.size
        attempt.content_sha256, attempt.version_number = result.sha256, result.version_number


async def pull_source_job(parts: PublishingParts, job: Job) -> None:
    """The outbox handler of `PULL_KIND`: one tick of one source."""
    tick = datetime.fromisoformat(str(job.payload["tick"]))
    target = await _begin(parts, int(job.payload["source_id"]), tick, job.id)
    if target is None:
        return
    result = await _pull(parts, target)
    await _finish(parts, target.attempt_id, result)
    logger.info("pull %s at %s: %s", target.dataset_slug, tick.isoformat(), result.outcome)
