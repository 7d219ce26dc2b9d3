"""Read as the person receiving it: each step's mail names what that step acted on (the
objection answered, not the newest one), the written notice says what Pasal 22(7) asks in
words, files said to be attached are attached, and every mail carries its Date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from sqlalchemy import delete, select

from opendata.attachments.service import UploadedFile
from opendata.attachments.steps import answer_request, record_fulfilment
from opendata.attachments.store import AttachmentBlob
from opendata.background import JOB_HANDLERS
from opendata.db.base import utcnow
from opendata.information_requests.mail_catalog import MAX_ATTACHED_BYTES
from opendata.information_requests.notice import Fee
from opendata.information_requests.records import RequestRecord
from opendata.information_requests.service import answer_objection
from opendata.outbox.models import JobStatus, OutboxJob
from opendata.outbox.worker import Worker
from opendata.services import Services
from tests.information_requests.builders import object_to, refuse
from tests.information_requests.helpers import Desk, make_desk, online, wib
from tests.mail.catcher import MailCatcher, Received

REQUESTER = ("wartawan@example.org",)
PDF = b"%PDF-1.4\n% daftar penerima\n"


async def _send(services: Services) -> None:
    await Worker(services, JOB_HANDLERS).run_until_idle()


def _to_requester(catcher: MailCatcher, subject: str) -> list[Received]:
    return [mail for mail in catcher.messages(subject) if mail.recipients == REQUESTER]


async def _two_pending_objections(desk: Desk) -> int:
    """Received Mon 16 March 2026 and not answered in time: objection 1 (not responded) on
    8 April, a late refusal on 10 April, objection 2 on it on 13 April; both pending."""
    request_id = (await online(desk, wib(2026, 3, 16))).request.id
    await object_to(desk, request_id, wib(2026, 4, 8), grounds=["NOT_RESPONDED"])
    await refuse(desk, request_id, wib(2026, 4, 10), consequence_test="Data kesehatan")
    await object_to(desk, request_id, wib(2026, 4, 13))
    return request_id


async def test_the_answer_to_the_older_of_two_objections_names_it_and_its_outcome(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    request_id = await _two_pending_objections(desk)
    # the older is upheld first; the newer is answered too before the worker sends anything
    # (a server down meanwhile): the first mail still says what the first step did
    for number, outcome, answer, day in (
        ("000001", "UPHELD", "Pemberitahuan wajib diberikan dalam 10 hari kerja.", 20),
        ("000002", "REJECTED", "Pengecualian sah menurut uji konsekuensi.", 21),
    ):
        await answer_objection(
            mail_services,
            desk.superior,
            request_id,
            outcome=outcome,
            answer=answer,
            objection_number=f"DISKOMINFO/KEB/2026/{number}",
            now=wib(2026, 4, day),
        )
    await _send(mail_services)

    answers = _to_requester(catcher, "Tanggapan atas keberatan")
    assert len(answers) == 2
    first, second = sorted(answers, key=lambda mail: "000002" in mail.part("plain"))
    text = first.part("plain")
    assert "keberatan Anda nomor DISKOMINFO/KEB/2026/000001" in text
    assert "Tanggapan: Keberatan diterima" in text and "Outcome: Objection upheld" in text
    assert "Pemberitahuan wajib diberikan dalam 10 hari kerja." in text
    assert "ditolak" not in text.lower() and "000002" not in text
    assert "wajib memberikan informasi yang Anda minta paling lambat" in text
    other = second.part("plain")
    assert "nomor DISKOMINFO/KEB/2026/000002" in other and "Keberatan ditolak" in other
    assert "Pengecualian sah menurut uji konsekuensi." in other
    # each objection's receipt names its own number, to the requester and to the superior
    receipts = _to_requester(catcher, "Tanda terima keberatan")
    assert sorted("000002" in mail.part("plain") for mail in receipts) == [False, True]
    superiors = [m for m in catcher.messages("Keberatan baru") if "atasan" in m.recipients[0]]
    assert sorted("KEB/2026/000002" in mail.part("plain") for mail in superiors) == [False, True]


@dataclass(frozen=True)
class NoticeMail:
    received: Received
    indonesian: str
    english: str
    number: str
    desk: Desk
    request_id: int


async def _answered(
    services: Services, decision: str, answer: str, **notice: Any
) -> tuple[Desk, RequestRecord]:
    """A request filed online on Mon 30 March 2026 and answered on Wed 1 April."""
    desk = await make_desk(services)
    record = await online(desk, wib(2026, 3, 30))
    await answer_request(
        services,
        desk.officer,
        record.request.id,
        decision=decision,
        answer=answer,
        now=wib(2026, 4, 1),
        **notice,
    )
    return desk, record


async def _notice_mail(
    services: Services, catcher: MailCatcher, decision: str, answer: str, **notice: Any
) -> NoticeMail:
    """The notice mail the requester of `_answered` receives."""
    desk, record = await _answered(services, decision, answer, **notice)
    await _send(services)
    (mail,) = _to_requester(catcher, "Pemberitahuan tertulis")
    indonesian, english = mail.part("plain").split("English")
    number = record.request.registration_number
    return NoticeMail(mail, indonesian, english, number, desk, record.request.id)


async def test_a_granted_notice_states_form_fee_files_and_the_objection_date(
    mail_services: Services, catcher: MailCatcher
) -> None:
    notice = await _notice_mail(
        mail_services,
        catcher,
        "GRANTED",
        "Data anggaran terlampir.",
        attachments=[UploadedFile("anggaran-2025.pdf", PDF)],
    )
    indonesian, english = notice.indonesian, notice.english
    assert "Keputusan: Diberikan seluruhnya" in indonesian
    assert "Bentuk informasi yang diminta: Salinan elektronik (softcopy)" in indonesian
    assert "Biaya: tidak ada" in indonesian
    assert "- anggaran-2025.pdf (1 KB): terlampir pada surel ini." in indonesian
    # 30 working days from Wed 1 April 2026 (Good Friday, Labour Day, Ascension, Vesak skipped)
    assert "keberatan kepada atasan PPID paling lambat 19 Mei 2026" in indonesian
    assert "Data anggaran terlampir." in english  # the English half carries the answer
    assert "Form asked for: Electronic copy" in english and "Fee: none" in english
    assert "object to the PPID's superior by 19 May 2026" in english
    (attached,) = list(notice.received.message.iter_attachments())
    assert attached.get_filename() == "anggaran-2025.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == PDF


async def test_a_notice_states_the_delivery_day_it_sets(
    mail_services: Services, catcher: MailCatcher
) -> None:
    notice = await _notice_mail(
        mail_services, catcher, "GRANTED", "Disalin.", deliver_by=date(2026, 4, 20)
    )
    assert "Informasi diberikan paling lambat 20 April 2026" in notice.indonesian
    assert "The information is given by 20 April 2026" in notice.english


async def test_a_partial_grant_states_the_fee_the_basis_in_words_and_the_consequence_test(
    mail_services: Services, catcher: MailCatcher
) -> None:
    notice = await _notice_mail(
        mail_services,
        catcher,
        "PARTIALLY_GRANTED",
        "Nama penerima dihitamkan.",
        exemptions=["PASAL_17H"],
        consequence_test="Membuka nama penerima bantuan mengungkap keadaan ekonominya.",
        fee=Fee(
            50_000, "fotokopi 500 lembar", "Tunai di loket PPID, Jl. Sudirman 1, pukul 08.00-15.00"
        ),
    )
    indonesian, english = notice.indonesian, notice.english
    assert "Keputusan: Diberikan sebagian" in indonesian
    assert "- UU KIP Pasal 17 huruf h: mengungkap rahasia pribadi" in indonesian
    assert (
        "Uji konsekuensi (UU KIP Pasal 19): Membuka nama penerima bantuan mengungkap "
        "keadaan ekonominya." in indonesian
    )
    assert "Biaya: Rp 50.000 untuk fotokopi 500 lembar" in indonesian
    assert "Cara pembayaran: Tunai di loket PPID, Jl. Sudirman 1, pukul 08.00-15.00" in indonesian
    # no file came with the notice: the mail says so and how the information will come
    assert "terlampir" not in indonesian and "tidak disertai berkas" in indonesian
    assert "- UU KIP Pasal 17 huruf h: disclosure would reveal personal secrets" in english
    assert "Fee: Rp 50.000 for fotokopi 500 lembar" in english
    assert "How to pay (as written, in Indonesian): Tunai di loket PPID" in english
    assert "Nama penerima dihitamkan." in english
    assert "PASAL_17" not in indonesian + english


async def test_a_refusal_on_two_bases_names_both_in_words_and_gives_nothing(
    mail_services: Services, catcher: MailCatcher
) -> None:
    notice = await _notice_mail(
        mail_services,
        catcher,
        "REFUSED",
        "Akta dan data kesehatan tidak dapat diberikan.",
        exemptions=["PASAL_17G", "PASAL_17H"],
        consequence_test="Akta wasiat dan riwayat kesehatan perorangan.",
    )
    indonesian, english = notice.indonesian, notice.english
    assert "Keputusan: Ditolak" in indonesian
    assert "UU KIP Pasal 17 huruf g: mengungkapkan isi akta otentik" in indonesian
    assert "UU KIP Pasal 17 huruf h: mengungkap rahasia pribadi" in indonesian
    assert "Uji konsekuensi (UU KIP Pasal 19): Akta wasiat" in indonesian
    assert "Biaya" not in indonesian and "Bentuk informasi" not in indonesian
    assert "paling lambat 19 Mei 2026" in indonesian
    assert "UU KIP Pasal 17 huruf g: disclosure would reveal authentic private deeds" in english
    assert "Decision: Refused" in english and "Akta dan data kesehatan" in english


async def test_a_file_over_the_mail_cap_is_named_with_the_way_to_get_it(
    mail_services: Services, catcher: MailCatcher
) -> None:
    big = PDF + b"0" * MAX_ATTACHED_BYTES
    notice = await _notice_mail(
        mail_services,
        catcher,
        "GRANTED",
        "Berkas besar.",
        attachments=[UploadedFile("kecil.pdf", PDF), UploadedFile("peta.pdf", big)],
    )
    text = notice.indonesian + notice.english
    assert "- kecil.pdf (1 KB): terlampir pada surel ini." in text
    assert (
        "- peta.pdf (10 MB): tidak dilampirkan karena melebihi batas 10 MB per surel; "
        "masuk ke akun Anda, lalu unduh dari halaman permohonan "
        f"https://data.kuburayakab.go.id/permohonan/{notice.number}"
    ) in text
    assert [part.get_filename() for part in notice.received.message.iter_attachments()] == [
        "kecil.pdf"
    ]


async def test_every_mail_carries_its_date_and_message_id(
    mail_services: Services, catcher: MailCatcher
) -> None:
    desk = await make_desk(mail_services)
    before = utcnow().replace(microsecond=0)
    await online(desk, wib(2026, 3, 30))
    await _send(mail_services)
    mails = catcher.messages()
    assert len(mails) == 2
    for mail in mails:
        sent = parsedate_to_datetime(str(mail.message["Date"]))
        assert before <= sent <= utcnow() + timedelta(seconds=1)
        assert str(mail.message["Message-ID"]).startswith("<opendata-job-")


async def test_the_fulfilment_mail_carries_the_files_given(
    mail_services: Services, catcher: MailCatcher
) -> None:
    notice = await _notice_mail(mail_services, catcher, "GRANTED", "Diberikan.")
    csv = b"kecamatan,jumlah\nSungai Raya,120\n"
    await record_fulfilment(
        mail_services,
        notice.desk.officer,
        notice.request_id,
        delivered_on=date(2026, 4, 2),
        form="SOFT_COPY",
        attachments=[UploadedFile("penerima.csv", csv)],
        now=wib(2026, 4, 2),
    )
    await _send(mail_services)
    (given,) = _to_requester(catcher, "Informasi telah diberikan")
    text = given.part("plain")
    assert "telah diberikan pada 2 April 2026, dalam bentuk: Salinan elektronik" in text
    assert "- penerima.csv (1 KB): terlampir pada surel ini." in text
    (attached,) = list(given.message.iter_attachments())
    assert attached.get_filename() == "penerima.csv"
    assert attached.get_content_type() == "text/csv"
    assert attached.get_payload(decode=True) == csv


async def test_a_mail_whose_file_is_missing_is_not_sent_without_it(
    mail_services: Services, catcher: MailCatcher
) -> None:
    await _answered(
        mail_services, "GRANTED", "Terlampir.", attachments=[UploadedFile("hilang.pdf", PDF)]
    )
    for blob in (mail_services.settings.data_dir / "attachments").rglob("*"):
        if blob.is_file():
            blob.unlink()
    async with mail_services.database.write() as session:  # the database store (PostgreSQL)
        await session.execute(delete(AttachmentBlob))
    await _send(mail_services)
    assert _to_requester(catcher, "Pemberitahuan tertulis") == []
    async with mail_services.database.session() as session:
        job = await session.scalar(
            select(OutboxJob).where(OutboxJob.payload["template"].as_string() == "notice")
        )
    assert job is not None and job.status == JobStatus.PENDING.value
    assert "FileNotFoundError" in (job.last_error or "")
