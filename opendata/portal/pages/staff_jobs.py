"""The job queue for admins (`/petugas/pekerjaan`): a failed send is visible, never lost.

Counts per state, then every failed or held job with its attempts and last error, and a
button that queues it again (`outbox.admin.retry_job`, as `opendata jobs retry` does).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from opendata.accounts.viewer import Role
from opendata.errors import BadUserInput
from opendata.inputs import int_or
from opendata.outbox.admin import count_by_status, failed_jobs, retry_held, retry_job
from opendata.outbox.models import JobStatus
from opendata.portal.page import Page, page
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form

STATUS_LABELS = {
    JobStatus.PENDING.value: ("Menunggu", "Waiting"),
    JobStatus.RUNNING.value: ("Sedang berjalan", "Running"),
    JobStatus.DONE.value: ("Selesai", "Done"),
    JobStatus.FAILED.value: ("Gagal", "Failed"),
    JobStatus.HELD.value: ("Ditahan", "Held"),
}


@page
async def staff_jobs(current: Page) -> Response:
    """Counts per state and the jobs that need an admin."""
    viewer = staff_viewer(current, Role.ADMIN)
    async with current.services.database.session() as session:
        jobs = await failed_jobs(session, viewer)
        counts = await count_by_status(session)
    params = current.request.query_params
    return current.render(
        "staff_jobs.html",
        jobs=jobs,
        counts=[(status.value, counts.get(status.value, 0)) for status in JobStatus],
        labels=STATUS_LABELS,
        mail_configured=bool(current.services.settings.mail.smtp_url),
        retried=params.get("retried"),
        retried_held=params.get("held"),
    )


@page
async def staff_jobs_post(current: Page) -> Response:
    """Queue one failed or held job again, or every held one."""
    staff_viewer(current, Role.ADMIN)
    form = await checked_form(current.request, current.visitor)
    action = form.get("action")
    async with current.services.database.write() as session:
        if action == "retry_held":
            done = urlencode({"held": await retry_held(session)})
        elif action == "retry":
            job_text = str(form.get("job") or "")
            job = await retry_job(session, int_or(job_text, -1))
            done = urlencode({"retried": job.id})
        else:
            raise BadUserInput("Tindakan tidak dikenal.", "Unknown action.", field="action")
    return current.redirect(current.url("staff_jobs") + "?" + done)
