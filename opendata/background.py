"""What a serving process runs beside its requests, started and stopped by the app's lifespan.

An explicit table rather than a registry the parts append to: adding a task is one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from opendata.exemptions.sweep import scheduled_sweeps
from opendata.services import Services

BackgroundTask = Callable[[], AbstractAsyncContextManager[None]]


def background_tasks(services: Services) -> list[BackgroundTask]:
    """The tasks `services.settings` turns on, each entered for the life of the server."""
    tasks: list[BackgroundTask] = []
    if services.settings.exemption_sweep_seconds > 0:
        tasks.append(lambda: scheduled_sweeps(services))
    return tasks
