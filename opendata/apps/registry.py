"""App tokens: made, listed and revoked by the operator (`opendata apps ...`), checked per push.

An app belongs to one agency and names the datasets it may write, each of that agency. Its
token is shown once and stored only as its SHA-256 hash (`accounts.credentials.hash_secret`), so a
database leak reveals no usable token; a revoked app's token stops working at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.credentials import hash_secret
from opendata.accounts.tokens import MAX_TOKEN_LENGTH
from opendata.apps.models import App, AppDataset
from opendata.db.base import utcnow
from opendata.db.engine import Database
from opendata.db.models import Agency, Dataset
from opendata.errors import BadUserInput, not_found

APP_TOKEN_PREFIX = "oda_"
MAX_APP_NAME = 200


@dataclass(frozen=True)
class AppGrant:
    """What a valid app token stands for: the app, its agency and the datasets it may write."""

    app_id: int
    name: str
    agency_id: int
    agency_slug: str
    datasets: frozenset[str]
    created_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class NewApp:
    grant: AppGrant
    token: str  # shown once; only its hash is stored


async def add_app(
    database: Database, *, name: str, agency_slug: str, dataset_slugs: Sequence[str]
) -> NewApp:
    """A new app of `agency_slug` that may write `dataset_slugs` (each of that agency)."""
    name = name.strip()
    if not name or len(name) > MAX_APP_NAME:
        raise BadUserInput(
            f"Nama aplikasi wajib diisi (paling panjang {MAX_APP_NAME} karakter).",
            f"The app's name is required (at most {MAX_APP_NAME} characters).",
            field="name",
        )
    if not dataset_slugs:
        raise BadUserInput(
            "Sebutkan paling sedikit satu dataset (--dataset).",
            "Name at least one dataset (--dataset).",
            field="dataset",
        )
    token = APP_TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with database.write() as session:
        agency = await session.scalar(
            select(Agency).where(Agency.slug == agency_slug, Agency.removed_at.is_(None))
        )
        if agency is None:
            raise not_found("Badan publik", "Public body", agency_slug, field="agency")
        await _check_datasets(session, agency, dataset_slugs)
        if await session.scalar(select(App.id).where(App.name == name)) is not None:
            raise BadUserInput(
                f"Aplikasi '{name}' sudah ada.", f"The app '{name}' already exists.", field="name"
            )
        app = App(name=name, agency_id=agency.id, token_hash=hash_secret(token))
        session.add(app)
        await session.flush()
        slugs = sorted(set(dataset_slugs))
        session.add_all(AppDataset(app_id=app.id, dataset_slug=slug) for slug in slugs)
    grant = AppGrant(app.id, name, agency.id, agency.slug, frozenset(slugs), app.created_at)
    return NewApp(grant, token)


async def _check_datasets(session: AsyncSession, agency: Agency, slugs: Sequence[str]) -> None:
    """Every named dataset exists and is the agency's own (an app writes for its agency only)."""
    rows = await session.execute(
        select(Dataset.slug, Dataset.agency_id).where(
            Dataset.slug.in_(set(slugs)), Dataset.removed_at.is_(None)
        )
    )
    found = {slug: agency_id for slug, agency_id in rows}
    for slug in slugs:
        if slug not in found:
            raise not_found("Dataset", "Dataset", slug, field="dataset")
        if found[slug] != agency.id:
            raise BadUserInput(
                f"Dataset '{slug}' bukan milik {agency.slug}.",
                f"The dataset '{slug}' does not belong to {agency.slug}.",
                field="dataset",
            )


async def list_apps(database: Database) -> list[AppGrant]:
    """Every app, revoked ones included (so the operator sees what was ended and when)."""
    async with database.session() as session:
        grants = [
            (app, slug)
            for app, slug in await session.execute(
                select(App, Agency.slug).join(Agency, Agency.id == App.agency_id).order_by(App.name)
            )
        ]
        granted = await session.execute(select(AppDataset.app_id, AppDataset.dataset_slug))
        datasets: dict[int, set[str]] = {}
        for app_id, slug in granted:
            datasets.setdefault(app_id, set()).add(slug)
    return [_grant(app, slug, datasets.get(app.id, set())) for app, slug in grants]


def _grant(app: App, agency_slug: str, datasets: set[str]) -> AppGrant:
    return AppGrant(
        app.id,
        app.name,
        app.agency_id,
        agency_slug,
        frozenset(datasets),
        app.created_at,
        app.revoked_at,
    )


async def revoke_app(database: Database, name: str) -> bool:
    """End an app's token at once; True if it was active."""
    async with database.write() as session:
        if await session.scalar(select(App.id).where(App.name == name)) is None:
            raise not_found("Aplikasi", "App", name, field="name")
        result = await session.execute(
            update(App)
            .where(App.name == name, App.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    return bool(getattr(result, "rowcount", 0))


async def grant_for_token(database: Database, token: str) -> AppGrant | None:
    """The app an app token stands for, or None if unknown or revoked."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    async with database.session() as session:
        found = (
            await session.execute(
                select(App, Agency.slug)
                .join(Agency, Agency.id == App.agency_id)
                .where(App.token_hash == hash_secret(token), App.revoked_at.is_(None))
            )
        ).one_or_none()
        if found is None:
            return None
        app, agency_slug = found
        slugs = set(
            await session.scalars(
                select(AppDataset.dataset_slug).where(AppDataset.app_id == app.id)
            )
        )
    return _grant(app, agency_slug, slugs)
