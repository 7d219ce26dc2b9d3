"""What may be attached, and how it is stored: limits, types by name and content, hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from opendata.attachments.service import checked_type, clean_name
from opendata.attachments.store import LocalStore
from opendata.errors import BadUserInput

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def test_a_pdf_is_accepted_by_its_name_and_first_bytes() -> None:
    assert checked_type("Surat Pemberitahuan.PDF", PDF) == "application/pdf"
    assert checked_type("rekap.csv", b"desa;jumlah\nSungai Raya;12\n") == (
        "text/csv; charset=utf-8"
    )


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("halaman.html", b"<script>alert(1)</script>", "not accepted"),
        ("tanpa-ekstensi", PDF, "not accepted"),
        ("skrip.pdf", b"<script>alert(1)</script>", "does not match"),
        ("data.csv", b"\x00\x01binary", "does not match"),
        ("foto.png", b"\xff\xd8\xff\xe0jpeg really", "does not match"),
    ],
)
def test_a_file_whose_type_is_not_allowed_or_not_what_it_claims_is_refused(
    name: str, data: bytes, says: str
) -> None:
    with pytest.raises(BadUserInput) as refused:
        checked_type(name, data)
    assert says in refused.value.message_en
    assert name in refused.value.message_id  # the Indonesian message names the file too


def test_names_lose_folders_and_control_characters_and_keep_their_extension() -> None:
    assert clean_name("C:\\Users\\ppid\\..\\surat.pdf") == "surat.pdf"
    assert clean_name("../../etc/passwd\x00.pdf") == "passwd.pdf"
    long = clean_name("a" * 500 + ".xlsx")
    assert len(long) == 200 and long.endswith(".xlsx")
    with pytest.raises(BadUserInput):
        clean_name("/../")


async def test_the_local_store_keeps_each_content_once_under_its_hash(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "attachments")
    key = await store.put(PDF)
    assert key == hashlib.sha256(PDF).hexdigest()
    assert await store.put(PDF) == key
    assert await store.read(key) == PDF and await store.exists(key)
    assert len([p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]) == 1
    with pytest.raises(ValueError):
        await store.read("../../secret")
