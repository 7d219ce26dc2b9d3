"""Every mail the service sends, beside the rule it serves and the keys its template needs.

A lifecycle step or the reminder scan fills the keys; `render` refuses a mail missing one,
so a template never prints an empty due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    REQUESTER = "REQUESTER"
    OFFICERS = "OFFICERS"  # the agency's PPID officers
    SUPERIORS = "SUPERIORS"  # the atasan PPID, who answers objections


# Every mail carries these: who, which request, and the link to it.
COMMON_KEYS = frozenset({"registration_number", "agency_name", "request_path"})


@dataclass(frozen=True)
class MailTemplate:
    key: str
    audiences: tuple[Audience, ...]
    rule: str
    subject_id: str
    subject_en: str
    keys: frozenset[str]

    @property
    def needs(self) -> frozenset[str]:
        return COMMON_KEYS | self.keys


def _template(
    key: str,
    audience: Audience | tuple[Audience, ...],
    rule: str,
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
            "UU KIP Pasal 22(4), 22(7)",
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
            "UU KIP Pasal 22(7)",
            "Permohonan baru",
            "New request",
            "information_requested",
            "received_on",
            "due_on",
        ),
        _template(
            "extension",
            Audience.REQUESTER,
            "UU KIP Pasal 22(8)",
            "Perpanjangan waktu pemberitahuan",
            "The notice period was extended",
            "extension_reason",
            "due_on",
        ),
        _template(
            "notice",
            Audience.REQUESTER,
            "UU KIP Pasal 22(7), Pasal 17, Pasal 19",
            "Pemberitahuan tertulis",
            "Written notice",
            "decision_id",
            "decision_en",
            "answer",
            "bases",
            "answered_on",
        ),
        _template(
            "fulfilment",
            Audience.REQUESTER,
            "UU KIP Pasal 22(7)",
            "Informasi telah diberikan",
            "The information was delivered",
            "delivered_on",
        ),
        _template(
            "objection_receipt",
            Audience.REQUESTER,
            "UU KIP Pasal 35-36",
            "Tanda terima keberatan",
            "Receipt of your objection",
            "grounds",
            "objection_due_on",
        ),
        _template(
            "new_objection",
            (Audience.SUPERIORS, Audience.OFFICERS),
            "UU KIP Pasal 36(1)",
            "Keberatan baru",
            "New objection",
            "grounds",
            "objection_due_on",
        ),
        _template(
            "objection_answer",
            Audience.REQUESTER,
            "UU KIP Pasal 36, Pasal 37",
            "Tanggapan atas keberatan",
            "Answer to your objection",
            "outcome_id",
            "outcome_en",
            "answer",
        ),
        _template(
            "notice_reminder",
            Audience.OFFICERS,
            "UU KIP Pasal 22(7)-(8)",
            "Pengingat tenggat pemberitahuan",
            "Notice deadline reminder",
            "due_on",
            "working_days_left",
            "overdue",
        ),
        _template(
            "fulfilment_reminder",
            Audience.OFFICERS,
            "UU KIP Pasal 36, Pasal 46; kip-rules §2",
            "Pengingat tenggat pemberian informasi",
            "Reminder: information to be given",
            "due_on",
            "working_days_left",
            "overdue",
        ),
        _template(
            "objection_reminder",
            Audience.SUPERIORS,
            "UU KIP Pasal 36(1)",
            "Pengingat tenggat tanggapan keberatan",
            "Objection answer deadline reminder",
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
    "UU KIP Pasal 22(7), 35-38 (hari kerja / working days; kip-rules §1)",
    "Perubahan kalender: batas waktu bergeser",
    "Calendar change: a deadline moved",
    "moved",
    "windows",
)
