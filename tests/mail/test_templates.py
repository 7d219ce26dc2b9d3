"""Each registered mail renders from exactly the keys it declares, in both languages, and the
SMTP URL is read the way the README says."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

from opendata.information_requests.lifecycle import Action
from opendata.information_requests.mail_catalog import TEMPLATES, MissingMailKeys
from opendata.information_requests.mails import EVENT_BY_ACTION, EVENT_MAILS
from opendata.mail.render import render
from opendata.mail.smtp import SmtpServer, SmtpUrlError

SAMPLES: dict[str, Any] = {
    "registration_number": "DISKOMINFO/2026/000007",
    "agency_name": "Dinas Komunikasi dan Informatika",
    "request_path": "/permohonan/DISKOMINFO/2026/000007",
    "requester_name": "Siti Aminah",
    "information_requested": "Anggaran 2025",
    "received_on": "2026-03-13",
    "due_on": "2026-03-31",
    "extension_reason": "Arsip di gudang",
    "decision_id": "Ditolak",
    "decision_en": "Refused",
    "answer": "Informasi dikecualikan.",
    "bases": ["PASAL_17H"],
    "answered_on": "2026-03-20",
    "delivered_on": "2026-03-25",
    "grounds": [["Permohonan tidak ditanggapi", "The request was not answered"]],
    "objection_due_on": "2026-05-20",
    "outcome_id": "Keberatan ditolak",
    "outcome_en": "Objection rejected",
    "working_days_left": 3,
    "overdue": False,
    "moved": [
        {
            "clock": "NOTICE",
            "from": "2026-12-21",
            "to": "2026-12-22",
            "label_id": "Pemberitahuan tertulis",
            "label_en": "Written notice",
            "article": "UU KIP Pasal 22(7)",
        }
    ],
    "windows": [
        {
            "party_id": "PPID",
            "party_en": "The information officer (PPID)",
            "duty": True,
            "duty_id": "wajib",
            "duty_en": "must",
            "label_id": "Pemberitahuan tertulis",
            "label_en": "Written notice",
            "article": "UU KIP Pasal 22(7)",
            "due_on": "2026-12-22",
            "objection_number": None,
            "provisional": False,
        }
    ],
}


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_mail_renders_from_its_declared_keys_alone(key: str) -> None:
    needs = TEMPLATES[key].needs
    mail = render(key, {name: SAMPLES[name] for name in needs}, "https://ppid.example/")
    assert mail.subject.startswith("[DISKOMINFO/2026/000007] ")
    assert " / " in mail.subject  # Indonesian / English
    for body in (mail.text, mail.html):
        assert "DISKOMINFO/2026/000007" in body
        assert "https://ppid.example/permohonan/DISKOMINFO/2026/000007" in body
    assert mail.html.count('lang="en"') == 1 and mail.text.index("English") > 0


def test_every_template_file_is_registered_and_every_event_mail_exists() -> None:
    on_disk = {
        path.name.removesuffix(".jinja")
        for path in files("opendata.mail").joinpath("templates").iterdir()
        if not path.name.startswith("_")
    }
    assert on_disk == set(TEMPLATES)
    assert {key for keys in EVENT_MAILS.values() for key in keys} <= set(TEMPLATES)


def test_a_missing_key_is_refused_before_anything_is_queued() -> None:
    context = {name: SAMPLES[name] for name in TEMPLATES["receipt"].needs - {"due_on"}}
    with pytest.raises(MissingMailKeys, match="due_on"):
        render("receipt", context, "https://ppid.example")


def test_overdue_reminders_say_so() -> None:
    context = {name: SAMPLES[name] for name in TEMPLATES["notice_reminder"].needs}
    mail = render("notice_reminder", context | {"overdue": True, "working_days_left": -2}, "")
    assert "TERLAMBAT" in mail.text and "OVERDUE" in mail.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://ppid:rahasia%40123@mail.example:587",
            ("mail.example", 587, "ppid", "rahasia@123", False, True),
        ),
        ("smtp://relay.local", ("relay.local", 587, None, None, False, None)),
        ("smtps://u:p@mail.example", ("mail.example", 465, "u", "p", True, False)),
    ],
)
def test_smtp_urls(url: str, expected: tuple[object, ...]) -> None:
    server = SmtpServer.from_url(url)
    assert (
        server.hostname,
        server.port,
        server.username,
        server.password,
        server.implicit_tls,
        server.start_tls,
    ) == expected


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://host:notaport"])
def test_unusable_smtp_urls_are_refused(url: str) -> None:
    with pytest.raises(SmtpUrlError):
        SmtpServer.from_url(url)


def test_every_step_that_sends_mail_is_a_lifecycle_action() -> None:
    assert set(EVENT_BY_ACTION) <= {action.value for action in Action}
    assert "WITHDRAW" not in EVENT_BY_ACTION and "RECORD_DISPUTE" not in EVENT_BY_ACTION
