"""The working calendar's overrides in the database, so every server counts on the same one.

A regional holiday, a cuti bersama decree or a day given back as a working day is a row here;
each change bumps one version row. A process keeps its calendar with the version it read and
checks that version once per request and inside every step's transaction
(`refreshed_calendar`), so a change made by one server (or the CLI) is used by every other
server from its next request on, never a deadline counted on a stale calendar.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from opendata.calendar import WorkingCalendar
from opendata.db.base import Base, UtcDateTime, utcnow
from opendata.parts import HasCalendar

HOLIDAY = "HOLIDAY"  # a day off the calendar does not know (regional holiday, late decree)
WORKING = "WORKING"  # a national holiday given back as a working day
VERSION_ROW = 1


class CalendarOverride(Base):
    """One day the national calendar gets wrong for this regency."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # HOLIDAY | WORKING
    name: Mapped[str] = mapped_column(String(200), default="")


class CalendarDecree(Base):
    """A year whose SKB (national holidays and cuti bersama) is entered: its dates are final."""

    __tablename__ = "calendar_decrees"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reference: Mapped[str] = mapped_column(String(300))


class CalendarVersion(Base):
    """One row: bumped by every change, read by every process to notice a change."""

    __tablename__ = "calendar_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


# the stored calendar's version (no row: none was ever stored); a scalar subquery of it lets
# a door read it together with other facts in one statement
STORED_VERSION = select(CalendarVersion.version).where(CalendarVersion.id == VERSION_ROW)


async def stored_version(session: AsyncSession) -> int:
    """0 when no calendar was ever stored (the override file then stands)."""
    return await session.scalar(STORED_VERSION) or 0


async def read_calendar(session: AsyncSession, version: int) -> WorkingCalendar:
    overrides = (await session.scalars(select(CalendarOverride))).all()
    decrees = (await session.scalars(select(CalendarDecree))).all()
    return WorkingCalendar(
        added_days={o.day: o.name for o in overrides if o.kind == HOLIDAY},
        removed_days={o.day for o in overrides if o.kind == WORKING},
        decreed={d.year: d.reference for d in decrees},
        version=version,
    )


async def write_calendar(session: AsyncSession, calendar: WorkingCalendar, now: datetime) -> None:
    """Store `calendar`'s overrides in the caller's transaction and give it the new version
    (the version row is locked first, so two changes never share a version)."""
    row = await session.scalar(
        select(CalendarVersion).where(CalendarVersion.id == VERSION_ROW).with_for_update()
    )
    if row is None:
        row = CalendarVersion(id=VERSION_ROW, version=0)
        session.add(row)
    row.version += 1
    row.changed_at = now
    await session.execute(delete(CalendarOverride))
    await session.execute(delete(CalendarDecree))
    added = calendar.added_days.items()
    session.add_all(
        [CalendarOverride(day=day, kind=HOLIDAY, name=name) for day, name in added]
        + [CalendarOverride(day=day, kind=WORKING, name="") for day in calendar.removed_days]
        + [CalendarDecree(year=year, reference=ref) for year, ref in calendar.decreed.items()]
    )
    await session.flush()
    calendar.version = row.version


async def refreshed_calendar(holder: HasCalendar, session: AsyncSession) -> WorkingCalendar:
    """The process's calendar, re-read first if another process changed the stored one."""
    return await calendar_of_version(holder, session, await stored_version(session))


async def calendar_of_version(
    holder: HasCalendar, session: AsyncSession, version: int | None
) -> WorkingCalendar:
    """The process's calendar, re-read first if the stored `version` (read by the caller;
    None or 0: none stored) is not the one it holds."""
    if version and version != holder.calendar.version:
        holder.calendar = await read_calendar(session, version)
    return holder.calendar


async def refresh_calendar(holder: HasCalendar) -> WorkingCalendar:
    """Once per request, before the pages or the API count a day: one small read."""
    async with holder.database.session() as session:
        return await refreshed_calendar(holder, session)
