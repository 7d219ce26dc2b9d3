"""What may be attached: size, count, and the file types an officer gives out.

The type is decided by the file's name and confirmed by its first bytes; what the browser
claims is ignored, so a script renamed `.pdf` is refused and a download is never served as
HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10
# one upload request in all (the body is read into memory before parsing)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_NAME_LENGTH = 200


def _starts(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda data: data.startswith(prefixes)


def _zip_container(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _plain_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class FileType:
    content_type: str
    looks_right: Callable[[bytes], bool]


FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _starts(b"%PDF-")),
    "png": FileType("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": FileType("image/jpeg", _starts(b"\xff\xd8\xff")),
    "jpeg": FileType("image/jpeg", _starts(b"\xff\xd8\xff")),
    "csv": FileType("text/csv; charset=utf-8", _plain_text),
    "txt": FileType("text/plain; charset=utf-8", _plain_text),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _zip_container
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip_container
    ),
    "odt": FileType("application/vnd.oasis.opendocument.text", _zip_container),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _zip_container),
    "zip": FileType("application/zip", _zip_container),
}
