"""Each registered mail renders from exactly the keys it declares, in both languages, and the
SMTP URL is read the way the README says."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

from opendata.information_requests.lifecycle import STEPS, Action
from opendata.information_requests.mail_catalog import TEMPLATES, MissingMailKeys
from opendata.information_requests.mails import PARTS
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
    "decision": "REFUSED",
    "notice_article": "UU KIP Pasal 22(7)",
    "answer": "Informasi dikecualikan.",
    "bases": [["h", "mengungkap rahasia pribadi", "reveal personal secrets"]],
    "consequence_test": "Data kesehatan perorangan",
    "exemption_expires_on": "",
    "decision_reference": "",
    "held_by": "",
    "expected_on": "",
    "delivery_form_id": "Salinan elektronik (softcopy)",
    "delivery_form_en": "Electronic copy",
    "fee_amount": 0,
    "fee_basis": "",
    "fee_payment": "",
    "objection_until": "2026-05-04",
    "deliver_by": "2026-04-20",
    "documents": [],
    "requester_has_account": True,
    "answered_on": "2026-03-20",
    "delivered_on": "2026-03-25",
    "objection_number": "DISKOMINFO/KEB/2026/000001",
    "objection_filed_on": "2026-04-01",
    "grounds": [["Permohonan tidak ditanggapi", "The request was not answered"]],
    "objection_due_on": "2026-05-20",
    "outcome_id": "Keberatan ditolak",
    "outcome_en": "Objection rejected",
    "outcome": "REJECTED",
    "objection_answered_on": "2026-04-20",
    "dispute_until": "2026-05-11",
    "fulfil_by": "",
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
    "dataset_title": "Laporan RT Online",
    "version_number": 3,
    "approved": False,
    "comment": "Kolom nik harus dikecualikan dulu.",
    "steward_name": "Walidata Diskominfo",
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
    # follow and be told (issue 24)
    "target_label": "Kasus DBD per Kecamatan",
    "unsubscribe_path": "/ikuti/berhenti/token-rahasia",
    "confirm_path": "/ikuti/konfirmasi/token-rahasia",
    "change_id": "versi 3 diterbitkan",
    "change_en": "version 3 was published",
    "pasal": "Pasal 17 huruf a",
    "opened_id": "kolom umur",
    "opened_en": "the column umur",
    "status_id": "Waktu diperpanjang",
    "status_en": "Extended",
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
    sent = {key for step in STEPS for key in step.mails}
    assert sent <= set(TEMPLATES) and sent == set(PARTS)


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


def test_each_step_declares_its_mails_in_the_lifecycle_table() -> None:
    mails = {step.action: step.mails for step in STEPS}
    assert mails[Action.ANSWER] == ("notice",)
    assert mails[Action.WITHDRAW] == () and mails[Action.RECORD_DISPUTE] == ()


def _notice(**changes: Any) -> str:
    context = {name: SAMPLES[name] for name in TEMPLATES["notice"].needs}
    return render("notice", context | changes, "https://ppid.example").text


def test_a_file_over_the_cap_is_fetched_by_link_or_at_the_desk_without_an_account() -> None:
    over = {"content_type": "application/pdf", "storage_key": "0" * 64, "attached": False}
    text = _notice(
        decision="GRANTED",
        bases=[],
        consequence_test="",
        requester_has_account=False,
        documents=[
            {**over, "name": "peta.pdf", "size": 12 * 1024 * 1024, "public_path": "/lampiran/7"},
            {**over, "name": "foto.zip", "size": 30 * 1024 * 1024, "public_path": None},
        ],
    )
    assert "- peta.pdf (12 MB): tidak dilampirkan" in text
    assert "unduh di https://ppid.example/lampiran/7" in text
    assert (
        "- foto.zip (30 MB): tidak dilampirkan karena melebihi batas 10 MB per surel; salinannya "
        "dapat diambil di meja layanan PPID Dinas Komunikasi dan Informatika dengan menyebut "
        "nomor pendaftaran DISKOMINFO/2026/000007." in text
    )
    assert "terlampir pada surel ini" not in text and "masuk ke akun" not in text


def test_a_not_held_notice_names_who_holds_the_information() -> None:
    text = _notice(
        decision="NOT_HELD",
        decision_id="Tidak dikuasai",
        decision_en="Not held",
        bases=[],
        consequence_test="",
        held_by="Badan Pusat Statistik",
    )
    assert "informasi dikuasai oleh: Badan Pusat Statistik" in text
    assert "it is held by: Badan Pusat Statistik" in text
    assert "Biaya" not in text and "Uji konsekuensi" not in text
