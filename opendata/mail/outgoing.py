"""Mail as outbox jobs: one job per mail and recipient, rendered and sent by the worker.

Rendering happens at send time from the stored keys, so a job holds plain JSON; the keys are
checked when the job is written, so a missing one fails the test that forgot it, not the send.
The documents a mail says are attached are read from the attachment store here: a mail never
says "attached" without the file in it (an unreadable file fails the attempt, which is retried
and, failing every time, left FAILED for an administrator).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from opendata.attachments.store import attachment_store
from opendata.db.base import utcnow
from opendata.information_requests.mail_catalog import MissingMailKeys
from opendata.mail.old_jobs import upgraded
from opendata.mail.render import render
from opendata.mail.smtp import SmtpServer, SmtpUrlError, send_message
from opendata.outbox.worker import Job, JobHeld, JobRejected
from opendata.parts import HasDatabaseAndSettings, HasSettings
from opendata.urls import absolute

NOT_CONFIGURED = "not sent: no SMTP configured / tidak terkirim: server SMTP belum diatur"


def _written_at(job: Job) -> datetime:
    """When the step queued the mail (jobs queued before `queued_at` existed: now)."""
    queued_at = job.payload.get("queued_at")
    return datetime.fromisoformat(str(queued_at)) if queued_at else utcnow()


def build_message(services: HasSettings, job: Job) -> EmailMessage:
    """The MIME message of a mail job: plain text with an HTML alternative."""
    mail_settings = services.settings.mail
    try:
        rendered = render(
            str(job.payload["template"]),
            dict(job.payload["context"]),
            services.settings.absolute_base_url,
        )
    except (KeyError, MissingMailKeys) as error:
        raise JobRejected(f"cannot render: {error}") from error
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = mail_settings.mail_from
    message["To"] = str(job.payload["to"])
    message["Date"] = format_datetime(_written_at(job))
    # the same id on every attempt: a receiver can tell a retried message from a new one
    domain = parseaddr(mail_settings.mail_from)[1].rpartition("@")[2] or "opendata.invalid"
    message["Message-ID"] = f"<opendata-job-{job.id}@{domain}>"
    unsubscribe = job.payload["context"].get("unsubscribe_path")
    if unsubscribe:  # a follower's mail (issue 24): one-click unsubscribe, RFC 8058
        link = absolute(services.settings.absolute_base_url, str(unsubscribe))
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def attached_documents(job: Job) -> list[dict[str, Any]]:
    """The documents the mail's text says are attached (`mails.documents_context`)."""
    context = job.payload.get("context", {})
    return [document for document in context.get("documents", []) if document["attached"]]


async def attach_documents(
    services: HasDatabaseAndSettings, job: Job, message: EmailMessage
) -> None:
    store = attachment_store(services)
    for document in attached_documents(job):
        try:
            data = await store.read(str(document["storage_key"]))
        except ValueError as error:  # not a storage key: the payload is broken
            raise JobRejected(f"attachment {document['name']!r}: {error}") from error
        maintype, _, subtype = str(document["content_type"]).partition(";")[0].partition("/")
        message.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=str(document["name"])
        )


async def send_mail_job(services: HasDatabaseAndSettings, job: Job) -> None:
    """The worker's handler for MAIL_KIND (a job queued before the mails rework is completed
    from the database first: `old_jobs`)."""
    mail_settings = services.settings.mail
    if not mail_settings.smtp_url:
        raise JobHeld(NOT_CONFIGURED)
    try:
        server = SmtpServer.from_url(mail_settings.smtp_url)
    except SmtpUrlError as error:
        raise JobHeld(f"not sent: {error}") from error
    job = await upgraded(services, job)
    message = build_message(services, job)
    await attach_documents(services, job, message)
    await send_message(server, message, timeout=mail_settings.job_lease_seconds * 0.5)
