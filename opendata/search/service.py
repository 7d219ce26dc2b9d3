"""Choosing and opening the search backend the settings ask for."""

from __future__ import annotations

from opendata.config import Settings
from opendata.db.engine import Database
from opendata.search.index import SearchIndex


async def open_search_index(settings: Settings, database: Database) -> SearchIndex:
    """The backend of `settings.resolved_search_backend`, checked and repaired against the
    database (so it is safe to serve from on return)."""
    if settings.resolved_search_backend == "postgres":
        if not database.is_postgres:
            raise ValueError("OPENDATA_SEARCH_BACKEND=postgres needs a PostgreSQL database")
        from opendata.search.postgres_backend import open_postgres_index

        return await open_postgres_index(database)
    from opendata.search.whoosh_backend import open_whoosh_index

    return await open_whoosh_index(settings.whoosh_dir, database)
