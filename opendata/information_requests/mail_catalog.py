"""Every mail the service sends, beside the rule it serves and the keys its template needs.

A lifecycle step or the reminder scan fills the keys; `render` refuses a mail missing one,
so a template never prints an empty due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from opendata.statute import Articles, Cited, cite, objection_ground_article


class Audience(StrEnum):
    REQUESTER = "REQUESTER"
    OFFICERS = "OFFICERS"  # the agency's PPID officers
    SUPERIORS = "SUPERIORS"  # the atasan PPID, who answers objections
    PRODUCERS = "PRODUCERS"  # the agency's data producers (produsen data, issue 22)


# Every mail carries these: who, which request, and the link to it.
COMMON_KEYS = frozenset({"registration_number", "agency_name", "request_path"})

# Our rule: a step's documents ride in its mail up to this total (common mail servers refuse
# messages of 20-25 MB once encoded); the rest are named with the way to get them.
MAX_ATTACHED_BYTES = 10 * 1024 * 1024
# the keys of a step's documents (`mails.documents_context`)
DOCUMENT_KEYS = ("documents", "requester_has_account")
# the keys naming the objection a mail is about
OBJECTION_KEYS = ("objection_number", "objection_filed_on", "grounds", "objection_due_on")


@dataclass(frozen=True)
class MailTemplate:
    key: str
    audiences: tuple[Audience, ...]
    rule: Cited
    subject_id: str
    subject_en: str
    keys: frozenset[str]
    # (key, value): the mail goes only when the step's context has that value (an answer's
    # outcome); None: always
    only_when: tuple[str, str] | None = None

    def sent_for(self, context: dict[str, Any]) -> bool:
        return self.only_when is None or context.get(self.only_when[0]) == self.only_when[1]

    @property
    def needs(self) -> frozenset[str]:
        return COMMON_KEYS | self.keys


def _template(
    key: str,
    audience: Audience | tuple[Audience, ...],
    rule: Cited,
    subject_id: str,
    subject_en: str,
    *keys: str,
) -> MailTemplate:
    audiences = audience if isinstance(audience, tuple) else (audience,)
    return MailTemplate(key, audiences, rule, subject_id, subject_en, frozenset(keys))


TEMPLATES: dict[str, MailTemplate] = {
    template.key: template
    for template in (
        _template(
            "receipt",
            Audience.REQUESTER,
            cite(Articles.REGISTRATION_NUMBER, Articles.NOTICE),
            "Tanda bukti penerimaan permohonan",
            "Receipt of your request",
            "requester_name",
            "information_requested",
            "received_on",
            "due_on",
        ),
        _template(
            "new_request",
            Audience.OFFICERS,
            Articles.NOTICE,
            "Permohonan baru",
            "New request",
            "information_requested",
            "received_on",
            "due_on",
        ),
        _template(
            "extension",
            Audience.REQUESTER,
            Articles.EXTENSION,
            "Perpanjangan waktu pemberitahuan",
            "The notice period was extended",
            "extension_reason",
            "due_on",
        ),
        _template(
            "notice",
            Audience.REQUESTER,
            cite(Articles.NOTICE, Articles.EXEMPTIONS, Articles.CONSEQUENCE_TEST),
            "Pemberitahuan tertulis",
            "Written notice",
            "requester_name",
            "information_requested",
            "decision_id",
            "decision_en",
            "decision",
            "notice_article",
            "answer",
            "answered_on",
            "bases",
            "consequence_test",
            "exemption_expires_on",
            "decision_reference",
            "held_by",
            "expected_on",
            "delivery_form_id",
            "delivery_form_en",
            "fee_amount",
            "fee_basis",
            "fee_payment",
            "objection_until",
            "deliver_by",
            *DOCUMENT_KEYS,
        ),
        _template(
            "fulfilment",
            Audience.REQUESTER,
            cite(Articles.NOTICE_DELIVERY, Articles.FULFILMENT),
            "Informasi telah diberikan",
            "The information was delivered",
            "delivered_on",
            "delivery_form_id",
            "delivery_form_en",
            *DOCUMENT_KEYS,
        ),
        _template(
            "objection_receipt",
            Audience.REQUESTER,
            cite(Articles.OBJECTION_GROUNDS, Articles.OBJECTION_ANSWER),
            "Tanda terima keberatan",
            "Receipt of your objection",
            *OBJECTION_KEYS,
        ),
        _template(
            "new_objection",
            (Audience.SUPERIORS, Audience.OFFICERS),
            Articles.OBJECTION_ANSWER,
            "Keberatan baru",
            "New objection",
            *OBJECTION_KEYS,
        ),
        _template(
            "objection_answer",
            Audience.REQUESTER,
            cite(Articles.OBJECTION_ANSWER, Articles.DISPUTE_WINDOW),
            "Tanggapan atas keberatan",
            "Answer to your objection",
            *OBJECTION_KEYS,
            "outcome_id",
            "outcome_en",
            "outcome",
            "answer",
            "objection_answered_on",
            "dispute_until",
            "fulfil_by",
        ),
        MailTemplate(
            "objection_upheld",
            (Audience.OFFICERS,),
            cite(Articles.OBJECTION_ANSWER, Articles.FULFILMENT),
            "Keberatan diterima: informasi wajib diberikan",
            "Objection upheld: the information must be given",
            frozenset({*OBJECTION_KEYS, "answer", "objection_answered_on", "fulfil_by"}),
            only_when=("outcome", "UPHELD"),
        ),
        _template(
            "notice_reminder",
            Audience.OFFICERS,
            cite(Articles.NOTICE, Articles.EXTENSION),
            "Pengingat tenggat pemberitahuan",
            "Notice deadline reminder",
            "due_on",
            "working_days_left",
            "overdue",
        ),
        _template(
            "fulfilment_reminder",
            Audience.OFFICERS,
            Articles.FULFILMENT,
            "Pengingat tenggat pemberian informasi",
            "Reminder: information to be given",
            "due_on",
            "working_days_left",
            "overdue",
        ),
        _template(
            "objection_reminder",
            Audience.SUPERIORS,
            Articles.OBJECTION_ANSWER,
            "Pengingat tenggat tanggapan keberatan",
            "Objection answer deadline reminder",
            "due_on",
            "working_days_left",
            "overdue",
        ),
        _template(
            "delivery_reminder",
            Audience.OFFICERS,
            cite(Articles.DELIVERY, objection_ground_article("e")),
            "Pengingat tenggat penyerahan informasi",
            "Reminder: information granted to be delivered",
            "due_on",
            "working_days_left",
            "overdue",
        ),
    )
}


class MissingMailKeys(ValueError):
    """A mail was asked for without every key its template needs."""


def template_for(key: str) -> MailTemplate:
    try:
        return TEMPLATES[key]
    except KeyError as error:
        raise MissingMailKeys(f"no mail template {key!r}") from error


def check_keys(key: str, context: dict[str, Any]) -> None:
    missing = template_for(key).needs - context.keys()
    if missing:
        raise MissingMailKeys(f"mail {key!r} needs {', '.join(sorted(missing))}")

# A calendar change moved a running deadline (recalculation.py): the requester is told.
TEMPLATES["calendar_change"] = _template(
    "calendar_change",
    Audience.REQUESTER,
    cite(Articles.NOTICE, Articles.OBJECTION_WINDOW, Articles.DISPUTE_WINDOW),
    "Perubahan kalender: batas waktu bergeser",
    "Calendar change: a deadline moved",
    "moved",
    "windows",
)

# A data steward (walidata) approved or returned a dataset version (issue 22): its producers
# are told, with the steward's comment. `registration_number` carries the version's label
# ("<dataset>/v<number>") and `request_path` the producer's page of that version.
TEMPLATES["version_reviewed"] = _template(
    "version_reviewed",
    Audience.PRODUCERS,
    cite(Articles.PERIODIC, Articles.EXEMPTIONS),
    "Hasil pemeriksaan walidata",
    "The data steward's review",
    "dataset_title",
    "version_number",
    "approved",
    "comment",
    "steward_name",
)
