"""`/healthz`: the process answers. `/readyz`: it can serve: the database answers within a
second, its schema is the one this code knows, search agrees with the catalogue, and the
outbox worker runs (when this server runs jobs). 200 when all hold, 503 otherwise, with each
check's result, so a load balancer takes a server out while its database is away and puts it
back when it returns."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from opendata.db.migrate import head_versions
from opendata.observability.metrics import search_lag
from opendata.request_scope import Parts

# the whole readiness check answers within this
READY_TIMEOUT_SECONDS = 1.0
WORKER_TASK = "outbox-worker"  # the name opendata.outbox.worker gives its task


@dataclass
class Readiness:
    parts: Parts
    heads: frozenset[str]

    @classmethod
    def of(cls, parts: Parts) -> Readiness:
        return cls(parts, head_versions())

    async def checks(self) -> dict[str, str]:
        found = {"database": "unreachable", "schema": "unknown", "search": "unknown"}
        try:
            await asyncio.wait_for(self._database(found), READY_TIMEOUT_SECONDS)
        except TimeoutError:
            found["database"] = "no answer within a second"
        except Exception as error:  # any failure to reach the database means "not ready"
            found["database"] = f"unreachable ({type(error).__name__})"
        if self.parts.settings.mail.run_jobs:
            found["outbox_worker"] = "ok" if _task_running(WORKER_TASK) else "not running"
        return found

    async def _database(self, found: dict[str, str]) -> None:
        async with self.parts.database.session() as session:
            versions = frozenset(
                (await session.execute(text("SELECT version_num FROM alembic_version"))).scalars()
            )
            found["database"] = "ok"
            found["schema"] = (
                "ok"
                if versions == self.heads
                else f"at {', '.join(sorted(versions))}, "
                f"this server's head is {', '.join(sorted(self.heads))}"
            )
            lag = await search_lag(session, self.parts.search)
            # behind is normal for whoosh (it catches up before its next search); ahead means
            # the index was built from another database and must not answer
            found["search"] = "ok" if lag >= 0 else "index ahead of the database"

    async def respond(self, _: Request) -> Response:
        found = await self.checks()
        ready = all(value == "ok" for value in found.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": found},
            status_code=200 if ready else 503,
            headers={"Cache-Control": "no-store"},
        )


def _task_running(name: str) -> bool:
    return any(task.get_name() == name and not task.done() for task in asyncio.all_tasks())


async def healthz(_: Request) -> Response:
    """Alive: the process answers (no database needed)."""
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
