"""METADATA: what a reader needs to find, understand, reuse and ask about a dataset.

Satu Data Indonesia (Perpres 39/2019) asks for metadata with every dataset. Decision:
a missing licence or description BLOCKS (without a licence the data is not open data
anyone may reuse; without a description it cannot be understood); a missing topic,
temporal coverage, update frequency or contact is shown but does not block (the walidata
can still publish, and the freshness pages then say the frequency is unknown).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opendata.catalogue.reader import DatasetDescriptor
from opendata.publishing.checks.kinds import CheckKind, CheckResult


def _has_contact(d: DatasetDescriptor) -> bool:
    contact = d.contact or {}
    return bool(contact.get("name")) and bool(contact.get("email") or contact.get("phone"))


# (descriptor key, Indonesian label, English label, blocking, present?)
ITEMS: tuple[tuple[str, str, str, bool, Callable[[DatasetDescriptor], Any]], ...] = (
    ("title", "judul", "title", True, lambda d: d.title),
    ("description", "deskripsi", "description", True, lambda d: d.description),
    ("licenses", "lisensi", "licence", True, lambda d: d.license),
    ("topics", "topik", "topics", False, lambda d: d.topics),
    ("temporal", "cakupan waktu", "temporal coverage", False, lambda d: d.temporal_start),
    (
        "updateFrequency",
        "frekuensi pemutakhiran",
        "update frequency",
        False,
        lambda d: getattr(d, "update_frequency", None),
    ),
    (
        "contact",
        "kontak (nama dan surel/telepon)",
        "contact (name and e-mail/phone)",
        False,
        _has_contact,
    ),
)


def check_metadata(descriptor: DatasetDescriptor) -> list[CheckResult]:
    """One failing result per missing item (field = the descriptor key), or one pass."""
    missing = [item for item in ITEMS if not item[4](descriptor)]
    if not missing:
        return [
            CheckResult(
                CheckKind.METADATA,
                True,
                True,
                None,
                "Metadata lengkap.",
                "The metadata is complete.",
            )
        ]
    return [
        CheckResult(
            CheckKind.METADATA,
            False,
            blocking,
            key,
            f"Metadata belum lengkap: {label_id} belum diisi"
            f"{' (wajib sebelum terbit)' if blocking else ''}.",
            f"The metadata is incomplete: no {label_en}"
            f"{' (required before publication)' if blocking else ''}.",
        )
        for key, label_id, label_en, blocking, _ in missing
    ]
