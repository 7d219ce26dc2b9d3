"""One coroutine run beside the server's requests for the app's lifespan, cancelled at
shutdown: the shape every background task (sweeps, heap trims, the outbox worker, reminder
scans) shares, written once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


@contextlib.asynccontextmanager
async def running_until_shutdown(work: Coroutine[Any, Any, None], name: str) -> AsyncIterator[None]:
    """Runs `work` as a task named `name` while the context is open, then cancels it."""
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
