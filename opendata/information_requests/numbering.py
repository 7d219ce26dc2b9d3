"""Register numbers, sequential per agency and year with no gaps: requests
`<ACRONYM>/<YEAR>/<000001>` (Pasal 22(2)), objections `<ACRONYM>/KEB/<YEAR>/<000001>` and
letters `<ACRONYM>/SRT/<YEAR>/<000001>`.

The counter row is bumped with one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` inside
the filing transaction. On PostgreSQL the upsert locks the counter row until commit, so
concurrent filings queue; on SQLite `BEGIN IMMEDIATE` already serialises writers. A filing
that fails rolls its number back with it, so no number is skipped or reused.
"""

from __future__ import annotations

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Agency
from opendata.information_requests.models import RegistrationCounter, SequenceCounter

SEQUENCE_DIGITS = 6
OBJECTION_REGISTER = "KEB"  # keberatan
LETTER_REGISTER = "SRT"  # surat: the letters issued on the request's steps


async def next_sequence(
    session: AsyncSession,
    agency_id: int,
    year: int,
    counter: type[SequenceCounter] = RegistrationCounter,
) -> int:
    """The next sequence for this agency and year, reserved inside the caller's transaction."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = counter.__table__
    assert isinstance(table, Table)
    statement: Insert = insert(table).values(agency_id=agency_id, year=year, last_sequence=1)
    statement = statement.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=[table.c.agency_id, table.c.year],
        set_={"last_sequence": table.c.last_sequence + 1},
    ).returning(table.c.last_sequence)
    result = await session.execute(statement)
    return int(result.scalar_one())


def agency_prefix(agency: Agency) -> str:
    """The acronym (or slug) in capitals, without the separator character."""
    prefix = (agency.acronym or agency.slug).strip().upper().replace("/", "-")
    return prefix or f"AGENCY{agency.id}"


def format_registration_number(agency: Agency, year: int, sequence: int) -> str:
    return f"{agency_prefix(agency)}/{year}/{sequence:0{SEQUENCE_DIGITS}d}"


def format_objection_number(agency: Agency, year: int, sequence: int) -> str:
    return _in_register(agency, OBJECTION_REGISTER, year, sequence)


def format_letter_number(agency: Agency, year: int, sequence: int) -> str:
    """The nomor surat `<ACRONYM>/SRT/<YEAR>/<000001>` (issuing.py)."""
    return _in_register(agency, LETTER_REGISTER, year, sequence)


def _in_register(agency: Agency, register: str, year: int, sequence: int) -> str:
    return f"{agency_prefix(agency)}/{register}/{year}/{sequence:0{SEQUENCE_DIGITS}d}"
