"""Mail jobs queued before the mails rework (fewer keys, bases as codes, no `queued_at`) are
still sent after the upgrade, completed from the database for what they name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from opendata.background import JOB_HANDLERS
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.outbox.worker import Worker
from opendata.services import Services
from tests.mail.catcher import MailCatcher
from tests.mail.seeding import objection_answered

BASE = (
    "registration_number",
    "agency_name",
    "request_path",
    "requester_name",
    "information_requested",
    "received_on",
    "due_on",
)
# what `mail_context` wrote before the rework (git show main:.../mails.py), per template
OLD_KEYS: dict[str, tuple[str, ...]] = {
    "notice": ("decision_id", "decision_en", "answer", "bases", "answered_on"),
    "objection_receipt": ("grounds", "objection_due_on"),
    "new_objection": ("grounds", "objection_due_on"),
    "objection_answer": ("grounds", "objection_due_on", "outcome_id", "outcome_en", "answer"),
}


def _old_shape(payload: dict[str, Any]) -> dict[str, Any]:
    context = payload["context"]
    keys = BASE + OLD_KEYS.get(payload["template"], ())
    old = {key: context[key] for key in keys if key in context}
    if "bases" in old:
        old["bases"] = ["PASAL_17H"]  # the codes the old notice carried
    return {
        "template": payload["template"],
        "to": payload["to"],
        "context": old,
        "summary": payload["summary"],
    }


async def test_jobs_queued_in_the_old_shape_are_sent_with_what_they_lacked(
    mail_services: Services, catcher: MailCatcher
) -> None:
    await objection_answered(mail_services, "UPHELD", "Informasi wajib diberikan.")
    async with mail_services.database.write() as session:
        for job in await session.scalars(select(OutboxJob)):
            job.payload = _old_shape(dict(job.payload))

    await Worker(mail_services, JOB_HANDLERS).run_until_idle()

    async with mail_services.database.session() as session:
        jobs = list(await session.scalars(select(OutboxJob)))
    assert jobs and {job.status for job in jobs} == {JobStatus.DONE.value}, [
        (job.payload["template"], job.last_error) for job in jobs
    ]
    (notice,) = catcher.messages("Pemberitahuan tertulis")
    text = notice.part("plain")
    assert "Pasal 17 huruf h" in text and "Rahasia pribadi" in text
    assert "PASAL_17H" not in text
    (answer,) = catcher.messages("Tanggapan atas keberatan")
    text = answer.part("plain")
    assert "/KEB/2026/000001" in text and "Keberatan diterima" in text
    assert "wajib memberikan informasi yang Anda minta paling lambat" in text
