"""The DIK (Daftar Informasi yang Dikecualikan): what each public body withholds, in public.

Pasal 17-20 and Perki 1/2021 make the list of withheld information itself public. These
reads serve `withheldDatasets(agency:)` and `exemptionHistory(dataset:)`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Agency, Dataset, Exemption
from opendata.regency_time import regency_today
from opendata.visibility.policy import active_clause


def _withheld_datasets(agency_id: int, today: date) -> Select[Dataset]:
    has_active = (
        select(Exemption.id)
        .where(Exemption.dataset_id == Dataset.id, active_clause(today))
        .correlate(Dataset)
        .exists()
    )
    return select(Dataset).where(
        Dataset.agency_id == agency_id, Dataset.removed_at.is_(None), has_active
    )


async def withheld_datasets_page(
    session: AsyncSession, agency: Agency, offset: int, limit: int, today: date | None = None
) -> tuple[list[Dataset], int]:
    """A page of the agency's datasets with at least one exemption in force, by title."""
    statement = _withheld_datasets(agency.id, today or regency_today())
    total = await session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    datasets = await session.scalars(
        statement.order_by(func.lower(Dataset.title), Dataset.slug).offset(offset).limit(limit)
    )
    return list(datasets), total


async def exemption_history(session: AsyncSession, dataset: Dataset) -> list[Exemption]:
    """Every exemption the dataset has had, in force or not, oldest first (never deleted)."""
    return list(
        await session.scalars(
            select(Exemption)
            .where(Exemption.dataset_id == dataset.id)
            .order_by(Exemption.created_at, Exemption.id)
        )
    )


async def ending_exemptions(
    session: AsyncSession, limit: int, agency_id: int | None = None
) -> list[Exemption]:
    """Exemptions that end (an expiry date, or revoked) on live datasets, latest end first.

    The feed a journalist follows: what becomes public, and when.
    """
    statement = (
        select(Exemption)
        .join(Dataset, Dataset.id == Exemption.dataset_id)
        .where(
            Dataset.removed_at.is_(None),
            or_(Exemption.expires_on.is_not(None), Exemption.revoked_at.is_not(None)),
        )
    )
    if agency_id is not None:
        statement = statement.where(Dataset.agency_id == agency_id)
    ended_on = func.coalesce(func.date(Exemption.revoked_at), Exemption.expires_on)
    return list(
        await session.scalars(statement.order_by(ended_on.desc(), Exemption.id.desc()).limit(limit))
    )


async def exemptions_in_force(
    session: AsyncSession, agency_id: int | None, today: date | None = None
) -> list[tuple[Exemption, Dataset]]:
    """The exemptions in force on an agency's live datasets (None: every agency), by dataset
    title: what the staff page lists, revokes and warns about before they expire."""
    statement = (
        select(Exemption, Dataset)
        .join(Dataset, Dataset.id == Exemption.dataset_id)
        .where(Dataset.removed_at.is_(None), active_clause(today or regency_today()))
        .order_by(func.lower(Dataset.title), Dataset.slug, Exemption.id)
    )
    if agency_id is not None:
        statement = statement.where(Dataset.agency_id == agency_id)
    return [(exemption, dataset) for exemption, dataset in await session.execute(statement)]
