"""The running service's parts, built once per process and handed to every layer.

The CLI, the web app and the tests all build the same `Services` from `Settings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opendata.config import Settings
from opendata.db.engine import Database
from opendata.db.migrate import upgrade_to_head


@dataclass
class Services:
    settings: Settings
    database: Database
    # set by opendata.search.open_search_index (the search issue); None until then
    search: Any = None
    # opendata.calendar.WorkingCalendar (the requests issue)
    calendar: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    async def close(self) -> None:
        if self.search is not None and hasattr(self.search, "close"):
            await self.search.close()
        await self.database.dispose()


async def open_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Connect, migrate to head, and build the search index and calendar."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.resolved_database_url, echo=settings.log_sql)
    if migrate:
        await upgrade_to_head(database)
    services = Services(settings=settings, database=database)
    await _attach_optional_parts(services)
    # the exemption expiry sweep, started by the app's lifespan (imported here: it needs Services)
    from opendata.exemptions.sweep import register_background

    register_background(services)
    # the outbox worker and reminder scan (e-mail), also started by the lifespan
    from opendata.mail.background import register_background as register_mail_background

    register_mail_background(services)
    return services


async def _attach_optional_parts(services: Services) -> None:
    """Search and calendar come from their own packages; each attaches itself."""
    try:
        from opendata.search.service import open_search_index
    except ModuleNotFoundError:
        pass
    else:
        services.search = await open_search_index(services.settings, services.database)
    try:
        from opendata.calendar import WorkingCalendar
    except ModuleNotFoundError:
        pass
    else:
        services.calendar = WorkingCalendar.from_settings(services.settings)
