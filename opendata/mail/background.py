"""What the app's lifespan starts for mail: the outbox worker and the reminder scan."""

from __future__ import annotations

from opendata.mail.outgoing import MAIL_KIND, send_mail_job
from opendata.mail.reminders import scheduled_reminder_scans
from opendata.outbox.worker import Handler, Worker, running_worker
from opendata.services import Services

JOB_HANDLERS: dict[str, Handler] = {MAIL_KIND: send_mail_job}


def register_background(services: Services) -> None:
    """Add the job worker and the reminder scan to `extras["background"]` (the lifespan)."""
    if not services.settings.mail.run_jobs:
        return
    background = services.extras.setdefault("background", [])
    background.append(lambda: running_worker(Worker(services, JOB_HANDLERS)))
    background.append(lambda: scheduled_reminder_scans(services))
