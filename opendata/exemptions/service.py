"""Adding and revoking exemptions: permission, Pasal 17-20 checks, history, and the index.

Each change is one unit of work that also calls `record_catalogue_change`, so the search
index and the response caches see the new visibility in the same commit: an exemption takes
effect on every output path at once. Exemptions are never deleted; a revoked one keeps who
revoked it, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.catalogue.changes import record_catalogue_change
from opendata.db.base import utcnow
from opendata.db.models import Dataset, Exemption, Resource
from opendata.errors import (
    BadUserInput,
    Forbidden,
    InvalidTransition,
    Unauthenticated,
    not_found,
)
from opendata.follows.notify import queue_exemptions_ended
from opendata.inputs import too_long
from opendata.parts import HasIndex
from opendata.publishing.pending import fields_under_review, merged, under_review_clause
from opendata.regency_time import regency_today
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import active_clause, is_active
from opendata.visibility.rules import ExemptionDraft, exemption_record, validate_exemption

# Safety limits: texts fit their columns, and a dataset's visibility clause stays small.
MAX_TEXT_CHARS = 5000
MAX_REFERENCE_CHARS = 300
MAX_ACTIVE_PER_DATASET = 100


@dataclass(frozen=True)
class ExemptionRequest:
    """What an officer asks for through `addExemption` (the consequence test record)."""

    dataset_slug: str
    scope: str
    basis: str
    consequence_test: str
    field: str | None = None
    row_filter: Any = None
    decision_reference: str | None = None
    expires_on: date | None = None
    public_interest: str | None = None
    decided_on: date | None = None


def actor_of(viewer: Viewer) -> str:
    """How the history records who acted: the account, not its personal details."""
    return f"user:{viewer.user_id}"


def require_signed_in(viewer: Viewer | None) -> Viewer:
    """Anonymous callers are refused first: before anything is parsed, read or locked."""
    if viewer is None:
        raise Unauthenticated(
            "Masuk sebagai petugas PPID untuk mengelola pengecualian.",
            "Sign in as a PPID officer to manage exemptions.",
        )
    return viewer


def require_officer(viewer: Viewer | None, agency_id: int) -> Viewer:
    """Only the agency's own officers (PPID) and admins decide its exemptions."""
    viewer = require_signed_in(viewer)
    if not viewer.is_officer_of(agency_id):
        raise Forbidden(
            "Hanya petugas PPID badan publik pemilik dataset (atau admin) yang dapat "
            "mengelola pengecualiannya.",
            "Only PPID officers of the dataset's public body (or admins) may manage its "
            "exemptions.",
        )
    return viewer


def _checked_text(value: str | None, limit: int, argument: str) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()
    if len(cleaned) > limit:
        raise too_long(argument, limit)
    return cleaned or None


async def dataset_resources(session: AsyncSession, dataset_id: int) -> dict[str, list[FieldDef]]:
    """Each resource name of the dataset with its fields, in order (as the reader gives them)."""
    found = await session.execute(
        select(Resource.name, Resource.fields)
        .where(Resource.dataset_id == dataset_id)
        .order_by(Resource.position)
    )
    return {name: [FieldDef.from_json(raw) for raw in fields] for name, fields in found}


async def exemptible_fields(session: AsyncSession, dataset_id: int) -> dict[str, list[FieldDef]]:
    """The resources an exemption is checked against, with their fields: the published ones
    and those of the versions under review (a new NIK column must be withholdable first)."""
    return merged(
        await dataset_resources(session, dataset_id),
        await fields_under_review(session, dataset_id),
    )


def _same_rule(exemption: Exemption, draft: ExemptionDraft) -> bool:
    return (
        exemption.scope == draft.scope
        and exemption.basis == draft.basis
        and exemption.field == draft.field
        and (exemption.row_filter or None) == (dict(draft.row_filter or {}) or None)
    )


async def add_exemption(
    services: HasIndex,
    viewer: Viewer | None,
    request: ExemptionRequest,
    *,
    today: date | None = None,
) -> Exemption:
    """Store a decided exemption; it applies to rows, downloads and search on commit."""
    require_signed_in(viewer)  # before taking a write lock
    async with services.database.write() as session:
        exemption = await stage_exemption(session, viewer, request, today=today)
        await record_catalogue_change(services, session, [exemption.dataset_id])
    return exemption


async def exemptible_dataset(session: AsyncSession, slug: str) -> Dataset | None:
    """A dataset an exemption may be decided for: published, or with a version under review
    (the PPID withholds a NIK column before the steward may approve it)."""
    return await session.scalar(
        select(Dataset).where(
            Dataset.slug == slug, or_(Dataset.removed_at.is_(None), under_review_clause())
        )
    )


async def stage_exemption(
    session: AsyncSession,
    viewer: Viewer | None,
    request: ExemptionRequest,
    *,
    today: date | None = None,
) -> Exemption:
    """Check and write an exemption in `session` without committing it: `add_exemption`
    commits it, the staff page's preview (`exemptions.preview`) rolls it back."""
    require_signed_in(viewer)
    today = today or regency_today()
    dataset = await exemptible_dataset(session, request.dataset_slug)
    if dataset is None:
        raise not_found("Dataset", "Dataset", request.dataset_slug, field="dataset")
    actor = require_officer(viewer, dataset.agency_id)
    decided_on = request.decided_on or today
    if decided_on > today:
        raise BadUserInput(
            "Tanggal keputusan tidak boleh di masa depan.",
            "The decision date cannot be in the future.",
            field="decidedOn",
        )
    draft = validate_exemption(
        ExemptionDraft(
            scope=request.scope,
            basis=request.basis,
            consequence_test=_checked_text(
                request.consequence_test, MAX_TEXT_CHARS, "consequenceTest"
            )
            or "",
            decided_on=decided_on,
            field=request.field if request.scope == "FIELD" else None,
            row_filter=request.row_filter if request.scope == "ROW" else None,
            decision_reference=_checked_text(
                request.decision_reference, MAX_REFERENCE_CHARS, "decisionReference"
            ),
            expires_on=request.expires_on,
            public_interest=_checked_text(
                request.public_interest, MAX_TEXT_CHARS, "publicInterest"
            ),
        ),
        category=dataset.category,
        resources=await exemptible_fields(session, dataset.id),
        today=today,
    )
    active = list(
        await session.scalars(
            select(Exemption).where(Exemption.dataset_id == dataset.id, active_clause(today))
        )
    )
    if any(_same_rule(existing, draft) for existing in active):
        raise BadUserInput(
            "Pengecualian yang sama sudah berlaku untuk dataset ini.",
            "The same exemption is already in force for this dataset.",
            field="input",
        )
    if len(active) >= MAX_ACTIVE_PER_DATASET:
        raise BadUserInput(
            f"Satu dataset paling banyak memiliki {MAX_ACTIVE_PER_DATASET} pengecualian "
            "aktif; gabungkan atau cabut yang lama.",
            f"A dataset has at most {MAX_ACTIVE_PER_DATASET} active exemptions; merge or "
            "revoke older ones.",
            field="input",
        )
    exemption = exemption_record(dataset.id, draft, source="api", created_by=actor_of(actor))
    session.add(exemption)
    await session.flush()
    return exemption


async def revoke_exemption(
    services: HasIndex,
    viewer: Viewer | None,
    exemption_id: int,
    reason: str,
    *,
    today: date | None = None,
) -> Exemption:
    """End an exemption now, keeping it (and who ended it, when and why) in the history."""
    require_signed_in(viewer)
    today = today or regency_today()
    cleaned_reason = _checked_text(reason, MAX_TEXT_CHARS, "reason")
    async with services.database.write() as session:
        exemption = await session.scalar(
            select(Exemption).where(Exemption.id == exemption_id).with_for_update()
        )
        dataset = (
            await session.get(Dataset, exemption.dataset_id) if exemption is not None else None
        )
        if exemption is None or dataset is None:
            raise not_found("Pengecualian", "Exemption", str(exemption_id), field="id")
        actor = require_officer(viewer, dataset.agency_id)
        if not cleaned_reason:
            raise BadUserInput(
                "Alasan pencabutan wajib diisi.",
                "A reason for revoking is required.",
                field="reason",
            )
        if exemption.revoked_at is not None:
            raise InvalidTransition(
                "Pengecualian ini sudah dicabut.", "This exemption has already been revoked."
            )
        if not is_active(exemption, today):
            raise InvalidTransition(
                "Pengecualian ini sudah berakhir masa berlakunya; tidak ada yang perlu dicabut.",
                "This exemption has already expired; there is nothing to revoke.",
            )
        if exemption.source == "catalog":
            raise InvalidTransition(
                "Pengecualian ini berasal dari berkas katalog (datapackage); cabut dengan "
                "menghapusnya dari berkas itu lalu muat ulang katalog.",
                "This exemption comes from the catalogue file (datapackage); revoke it by "
                "removing it there and reloading the catalogue.",
            )
        exemption.revoked_at = utcnow()
        exemption.revoked_by = actor_of(actor)
        exemption.revoke_reason = cleaned_reason
        await session.flush()
        await record_catalogue_change(services, session, [dataset.id])
        await queue_exemptions_ended(session, [exemption], today)  # the DIK watch (issue 24)
    return exemption
