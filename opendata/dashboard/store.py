"""The validated dashboard, stored in the database so every app server reads the same one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from opendata.catalogue.extras import register_extra
from opendata.catalogue.reader import CatalogRead, Refusal
from opendata.dashboard.config import DashboardConfig, Panel, read_dashboard
from opendata.db.base import Base, JsonValue, UtcDateTime, utcnow

NAME = "dasbor"


class DashboardDocument(Base):
    """One row per dashboard: its panels as loaded from `dashboard.yaml`."""

    __tablename__ = "dashboards"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    panels: Mapped[list[dict[str, Any]]] = mapped_column(JsonValue, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


async def store_dashboard(
    session: AsyncSession, root: Path, catalogue: CatalogRead, refused: list[Refusal]
) -> bool:
    """Read and store `root/dashboard.yaml` in the loader's unit of work; True if it changed.

    A refused file is added to `refused` and the stored dashboard stays as it was.
    """
    read = read_dashboard(root, catalogue)
    if read is None:
        return False
    if isinstance(read, Refusal):
        refused.append(read)
        return False
    stored = await session.get(DashboardDocument, NAME)
    if stored is not None and stored.content_hash == read.content_hash:
        return False
    if stored is None:
        stored = DashboardDocument(name=NAME)
        session.add(stored)
    stored.panels = read.to_json()
    stored.content_hash = read.content_hash
    stored.loaded_at = utcnow()
    await session.flush()
    return True


async def load_dashboard(session: AsyncSession) -> DashboardConfig:
    """The stored dashboard (no panels before a catalogue with a dashboard.yaml is loaded)."""
    stored = await session.scalar(select(DashboardDocument).where(DashboardDocument.name == NAME))
    if stored is None:
        return DashboardConfig(())
    return DashboardConfig(
        tuple(Panel.from_json(raw) for raw in stored.panels), stored.content_hash
    )


register_extra(NAME, store_dashboard)  # the loader stores the dashboard beside the catalogue
