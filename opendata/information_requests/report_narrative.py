"""The annual report's narrative parts (Perki 1/2021 Pasal 56(2)): text an admin writes.

The figures of the report are counted from the requests (`report.py`); the service policy,
how the service was carried out (facilities, staff, budget), its obstacles and the
recommendations are no table's data, so an admin writes them once per year, for an agency
or for the whole regency, and every door (page, CSV, GraphQL) shows what is stored here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Select, Text, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from opendata.accounts.viewer import Role, Viewer, require_role
from opendata.db.base import Base, UtcDateTime, utcnow
from opendata.db.models import Agency
from opendata.errors import not_found
from opendata.information_requests.report_year import check_year
from opendata.information_requests.validation import MAX_TEXT, optional_text
from opendata.parts import HasDatabase
from opendata.statute import report_article

_REGENCY_ROW = text("agency_id IS NULL")


class ReportNarrative(Base):
    """One year's narrative of one agency (or of the regency: no agency)."""

    __tablename__ = "report_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    policy: Mapped[str | None] = mapped_column(Text)
    implementation: Mapped[str | None] = mapped_column(Text)
    obstacles: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # private: who wrote it (accountability; never shown in the public report)
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        Index("uq_report_narratives_agency_year", "agency_id", "year", unique=True),
        Index(
            "uq_report_narratives_regency_year",
            "year",
            unique=True,
            sqlite_where=_REGENCY_ROW,
            postgresql_where=_REGENCY_ROW,
        ),
    )


# The narrative places of Pasal 56(2), in its order: (field, label id, label en, article).
NARRATIVE_PARTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "policy",
        "Gambaran umum kebijakan layanan informasi publik",
        "The public information service policy in general",
        str(report_article("a")),
    ),
    (
        "implementation",
        "Gambaran umum pelaksanaan layanan (sarana dan prasarana, sumber daya manusia, anggaran)",
        "How the service was carried out (facilities, staff, budget)",
        str(report_article("b")),
    ),
    (
        "obstacles",
        "Kendala eksternal dan internal",
        "External and internal obstacles",
        str(report_article("e")),
    ),
    (
        "recommendations",
        "Rekomendasi dan rencana tindak lanjut",
        "Recommendations and follow-up plan",
        str(report_article("f")),
    ),
)
NARRATIVE_FIELDS = tuple(part[0] for part in NARRATIVE_PARTS)


@dataclass(frozen=True)
class Narrative:
    """What an admin wrote for a year (None: not written yet)."""

    policy: str | None = None
    implementation: str | None = None
    obstacles: str | None = None
    recommendations: str | None = None
    updated_at: datetime | None = None

    def text_of(self, field: str) -> str | None:
        value: str | None = getattr(self, field)
        return value


def _narrative(row: ReportNarrative | None) -> Narrative:
    if row is None:
        return Narrative()
    return Narrative(
        **{field: getattr(row, field) for field in NARRATIVE_FIELDS}, updated_at=row.updated_at
    )


def _where_scope(year: int, agency_id: int | None) -> Select[ReportNarrative]:
    scope = (
        ReportNarrative.agency_id.is_(None)
        if agency_id is None
        else ReportNarrative.agency_id == agency_id
    )
    return select(ReportNarrative).where(ReportNarrative.year == year, scope)


async def narrative_of(session: AsyncSession, year: int, agency_id: int | None) -> Narrative:
    """The stored narrative of `year` for the agency (None: the regency)."""
    return _narrative((await session.execute(_where_scope(year, agency_id))).scalar_one_or_none())


async def narrative_for(services: HasDatabase, year: int, agency_slug: str | None) -> Narrative:
    """The stored narrative of `year` for the agency `agency_slug` (None: the regency)."""
    check_year(year)
    async with services.database.session() as session:
        return await narrative_of(session, year, await _agency_id(session, agency_slug))


async def save_narrative(
    services: HasDatabase,
    viewer: Viewer | None,
    year: int,
    agency_slug: str | None,
    texts: dict[str, str | None],
    *,
    now: datetime | None = None,
) -> Narrative:
    """Writes the year's narrative (admins only); an empty text clears its part."""
    acting = require_role(
        viewer,
        (Role.ADMIN,),
        "Narasi laporan tahunan hanya diisi oleh admin.",
        "Only an admin writes the annual report's narrative.",
    )
    check_year(year)
    cleaned = {
        field: optional_text(texts.get(field), field, limit=MAX_TEXT) for field in NARRATIVE_FIELDS
    }
    for attempt in range(2):
        try:
            async with services.database.write() as session:
                agency_id = await _agency_id(session, agency_slug)
                row = (await session.execute(_where_scope(year, agency_id))).scalar_one_or_none()
                if row is None:
                    row = ReportNarrative(year=year, agency_id=agency_id)
                    session.add(row)
                for field, value in cleaned.items():
                    setattr(row, field, value)
                row.updated_at = now or utcnow()
                row.updated_by_user_id = acting.user_id
                await session.flush()
                return _narrative(row)
        except IntegrityError:
            if attempt:  # another admin created the row at the same moment: update it
                raise
    raise AssertionError("unreachable")


async def _agency_id(session: AsyncSession, agency_slug: str | None) -> int | None:
    if agency_slug is None:
        return None
    agency_id = await session.scalar(select(Agency.id).where(Agency.slug == agency_slug))
    if agency_id is None:
        raise not_found("Badan publik", "Public body", agency_slug, field="agency")
    return int(agency_id)
