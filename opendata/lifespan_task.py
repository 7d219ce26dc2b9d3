"""One coroutine run beside the server's requests for the app's lifespan, cancelled at
shutdown: the shape every background task (sweeps, heap trims, the outbox worker, reminder
scans) shares, written once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

logger = logging.getLogger("opendata.background")


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


@contextlib.asynccontextmanager
async def running_every(
    step: Callable[[], Awaitable[object]], interval: float, name: str
) -> AsyncIterator[None]:
    """`step` at start-up, then every `interval` seconds, until shutdown. A failing step is
    logged and tried again at the next interval: the server keeps serving."""

    async def forever() -> None:
        while True:
            try:
                await step()
            except Exception:  # the database may be briefly away; the next interval retries
                logger.exception("%s failed; retrying at the next interval", name)
            await asyncio.sleep(interval)

    async with running_until_shutdown(forever(), name):
        yield
