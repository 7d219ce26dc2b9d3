"""The running service's parts, built once per process and handed to every layer.

The CLI, the web app and the tests all build the same `Services` from `Settings`. This is the
composition root: it imports the parts it builds with plain imports (a missing module fails
here, at start-up), and nothing it imports imports it back.
"""

from __future__ import annotations

from dataclasses import dataclass

import opendata.dashboard.store
import opendata.follows.notify  # noqa: F401  (followers register as a step listener)
from opendata.calendar import WorkingCalendar
from opendata.calendar_store import refresh_calendar
from opendata.config import Settings
from opendata.db.engine import Database
from opendata.db.migrate import SchemaGuard, head_versions, prepare_schema, upgrade_to_head
from opendata.search.index import SearchIndex
from opendata.search.service import open_search_index


@dataclass
class Services:
    settings: Settings
    database: Database
    search: SearchIndex
    # The one calendar of this process: deadlines, reports and the resolvers all read it.
    calendar: WorkingCalendar

    async def close(self) -> None:
        await self.search.close()
        await self.database.dispose()


async def open_services(
    settings: Settings, *, migrate: bool = True, upgrade: bool = False
) -> Services:
    """Connect, bring the schema to head, and build the search index and calendar.

    `migrate`: install an empty database, upgrade an embedded one, refuse a PostgreSQL one
    that is behind or any that is ahead (opendata.db.migrate.prepare_schema); `upgrade`:
    upgrade whatever the database (`opendata db upgrade`). Either way every write checks
    that the schema is still the one this code knows."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(
        settings.resolved_database_url,
        echo=settings.log_sql,
        statement_timeout_ms=settings.limits.statement_timeout_ms,
        download_timeout_ms=settings.limits.download_timeout_ms,
    )
    try:
        if upgrade:
            await upgrade_to_head(database)
        elif migrate:
            await prepare_schema(database)
    except BaseException:
        await database.dispose()
        raise
    database.write_guard = SchemaGuard(head_versions())
    services = Services(
        settings=settings,
        database=database,
        search=await open_search_index(settings, database),
        # the override file until a calendar is stored in the database, which then stands
        calendar=WorkingCalendar.from_settings(settings),
    )
    await refresh_calendar(services)
    return services
