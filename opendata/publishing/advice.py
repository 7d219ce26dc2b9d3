"""What to do about a failed check, told beside it at upload and in review.

A check says what it found ("kolom nik berisi NIK"); the producer also needs the way out,
which depends on who may resolve it: the producer (fix the file or the metadata), the PPID
(withhold the column under Pasal 17 huruf h) or the steward (record why it is not personal).
"""

from __future__ import annotations

from opendata.publishing.checks import CheckKind
from opendata.statute import exemption_article

PERSONAL_SECRETS = exemption_article("h").pasal_text  # "Pasal 17 huruf h"

# per kind: (Indonesian, English); `{field}` is the column the check is about
ADVICE: dict[CheckKind, tuple[str, str]] = {
    CheckKind.SCHEMA: (
        "perbaiki baris yang disebut di berkas lalu unggah lagi",
        "correct the lines named in the file and upload it again",
    ),
    CheckKind.METADATA: (
        "lengkapi isian metadata lalu kirim lagi",
        "complete the metadata and submit again",
    ),
    CheckKind.AREA_CODES: (
        "pakai nama dan kode wilayah resmi Kemendagri, lalu unggah lagi",
        "use the official Kemendagri area names and codes, then upload again",
    ),
    CheckKind.PERSONAL_DATA: (
        f"minta PPID mengecualikan kolom {{field}} ({PERSONAL_SECRETS}) atau walidata "
        "mencatat alasannya",
        f"ask the PPID to withhold the column {{field}} ({PERSONAL_SECRETS}) or the data "
        "steward to record why it is not personal data",
    ),
    CheckKind.REIDENTIFICATION: (
        "gabungkan kategori kecil (mis. umur per kelompok) atau terbitkan sebagai agregat",
        "merge small categories (e.g. age in bands) or publish as aggregates",
    ),
}


def advice(kind: str, field: str | None) -> tuple[str, str]:
    """The way out of a failed check of `kind` about `field`, in both languages."""
    indonesian, english = ADVICE[CheckKind(kind)]
    column = field or "ini"
    return indonesian.format(field=column), english.format(field=field or "this")
