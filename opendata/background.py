"""What a serving process runs beside its requests, started and stopped by the app's lifespan.

An explicit table rather than a registry the parts append to: adding a task is one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from opendata.apps.push_changes import CHANGES_KIND, count_changes_job
from opendata.catalogue.observed_filters import index_observed_filters
from opendata.exemptions.sweep import scheduled_sweeps
from opendata.heap import scheduled_heap_trims
from opendata.information_requests.mails import MAIL_KIND
from opendata.lifespan_task import running_every
from opendata.mail.outgoing import send_mail_job
from opendata.mail.reminders import scan_reminders
from opendata.outbox.worker import Handler, Job, Worker, running_worker
from opendata.parts import HasDatabaseAndSettings
from opendata.pull.job import pull_source_job
from opendata.pull.schedule import PULL_KIND, scan_sources
from opendata.request_scope import Parts

BackgroundTask = Callable[[], AbstractAsyncContextManager[None]]

# the outbox's job kinds and who runs them
JOB_HANDLERS: dict[str, Handler] = {MAIL_KIND: send_mail_job, CHANGES_KIND: count_changes_job}


def job_handlers(services: Parts) -> dict[str, Handler]:
    """Every job kind a server runs: the table above, and pulls, which publish through the
    whole service (its search index too)."""

    async def pull(_: HasDatabaseAndSettings, job: Job) -> None:
        await pull_source_job(services, job)

    return {**JOB_HANDLERS, PULL_KIND: pull}


def background_tasks(services: Parts) -> list[BackgroundTask]:
    """The tasks `services.settings` turns on, each entered for the life of the server."""
    tasks: list[BackgroundTask] = []
    if services.settings.exemption_sweep_seconds > 0:
        tasks.append(lambda: scheduled_sweeps(services, services.settings.exemption_sweep_seconds))
    if services.settings.heap_trim_seconds > 0:
        tasks.append(lambda: scheduled_heap_trims(services.settings.heap_trim_seconds))
    if services.settings.observed_filter_seconds > 0:
        tasks.append(
            lambda: running_every(
                lambda: index_observed_filters(services.database),
                services.settings.observed_filter_seconds,
                "observed-filters",
            )
        )
    if services.settings.mail.run_jobs:
        tasks.append(lambda: running_worker(Worker(services, job_handlers(services))))
        # a scan at start-up, then every so many seconds
        tasks.append(
            lambda: running_every(
                lambda: scan_reminders(services),
                services.settings.mail.reminder_scan_seconds,
                "reminder-scan",
            )
        )
        if services.settings.pull.scan_seconds > 0:
            tasks.append(
                lambda: running_every(
                    lambda: scan_sources(services),
                    services.settings.pull.scan_seconds,
                    "source-scan",
                )
            )
    return tasks
