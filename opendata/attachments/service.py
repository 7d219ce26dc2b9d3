"""Attaching documents to a request and deciding who may read them.

`can_read` is THE check for every path that shows an attachment (the GraphQL field, the
download route, the pages): public documents to everyone; the rest only to those who may see
the request's private side (`can_see_requester`: the requester and the agency's staff).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from opendata.accounts.viewer import Viewer
from opendata.attachments.models import Attachment, AttachmentStage
from opendata.attachments.rules import (
    FILE_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_FILES_PER_UPLOAD,
    MAX_NAME_LENGTH,
)
from opendata.attachments.store import AttachmentStore
from opendata.errors import BadUserInput, Forbidden, NotFound, Unauthenticated
from opendata.information_requests.lifecycle import STEP_BY_ACTION, Action, Actor, acts_as
from opendata.information_requests.mails import MailDocument
from opendata.information_requests.models import InformationRequest
from opendata.information_requests.privacy import can_see_requester
from opendata.urls import path


@dataclass(frozen=True)
class UploadedFile:
    """An uploaded file as the domain sees it: its name and its bytes (no HTTP objects)."""

    name: str
    data: bytes


def can_read(viewer: Viewer | None, attachment: Attachment) -> bool:
    """Everyone when public; otherwise the requester and the agency's officers and superiors."""
    return attachment.public or can_see_requester(viewer, attachment.request)


def mail_document(attachment: Attachment) -> MailDocument:
    """The attachment as a step's mail carries it: attached, or linked when public."""
    public_path = path("attachment", attachment_id=attachment.id) if attachment.public else None
    return MailDocument(
        attachment.name,
        attachment.content_type,
        attachment.size,
        attachment.storage_key,
        public_path,
    )


def clean_name(raw: str) -> str:
    """The file's own name, without folders or control characters, at most 200 characters."""
    name = PurePosixPath(raw.replace("\\", "/")).name
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C"
    )
    name = name.strip().strip(".")
    if not name:
        raise BadUserInput("Nama berkas kosong.", "The file has no name.", field="attachments")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        name = (
            (stem[: MAX_NAME_LENGTH - len(extension) - 1] + dot + extension)
            if dot
            else name[:MAX_NAME_LENGTH]
        )
    return name


def checked_type(name: str, data: bytes) -> str:
    """The content type for a file, or a bilingual refusal naming what is allowed."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    allowed = ", ".join(sorted(FILE_TYPES))
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        raise BadUserInput(
            f"Jenis berkas '{name}' tidak diterima. Yang diterima: {allowed}.",
            f"The file type of '{name}' is not accepted. Accepted: {allowed}.",
            field="attachments",
        )
    if not file_type.looks_right(data):
        raise BadUserInput(
            f"Isi berkas '{name}' tidak sesuai dengan jenisnya (.{extension}).",
            f"The content of '{name}' does not match its type (.{extension}).",
            field="attachments",
        )
    return file_type.content_type


def _check_size(name: str, data: bytes) -> None:
    if not data:
        raise BadUserInput(
            f"Berkas '{name}' kosong.", f"The file '{name}' is empty.", field="attachments"
        )
    if len(data) > MAX_ATTACHMENT_BYTES:
        limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        raise BadUserInput(
            f"Berkas '{name}' melebihi {limit} MB.",
            f"The file '{name}' is larger than {limit} MB.",
            field="attachments",
        )


# Attaching is part of a lifecycle step: whoever may take the step may attach its documents,
# and nobody else (an admin never acts on a request; the superior only answers objections).
STEP_OF_STAGE: dict[AttachmentStage, Action] = {
    AttachmentStage.REQUEST: Action.FILE,
    AttachmentStage.NOTICE: Action.ANSWER,
    AttachmentStage.FULFILMENT: Action.RECORD_FULFILMENT,
    AttachmentStage.OBJECTION_ANSWER: Action.ANSWER_OBJECTION,
}
# Publishing a document to everyone is the PPID's decision (as the notice is): never the
# requester's about their own upload, never an admin's or a superior's.
PUBLISHER = Actor.PPID


def _acts_as_any(viewer: Viewer, actors: frozenset[Actor], request: InformationRequest) -> bool:
    return any(
        acts_as(viewer, actor, request.agency_id, request.requester_user_id) for actor in actors
    )


def may_publish(viewer: Viewer | None, request: InformationRequest) -> bool:
    """Whether this viewer may make a document of this request public (or private again)."""
    return viewer is not None and _acts_as_any(viewer, frozenset({PUBLISHER}), request)


def _may_attach(
    viewer: Viewer | None, request: InformationRequest, stage: AttachmentStage, public: bool
) -> None:
    if viewer is None:
        raise Unauthenticated("Silakan masuk terlebih dahulu.", "Please sign in first.")
    if not _acts_as_any(viewer, STEP_BY_ACTION[STEP_OF_STAGE[stage]].actors, request):
        raise Forbidden(
            "Anda tidak berwenang melampirkan dokumen pada permohonan ini.",
            "You may not attach documents to this request.",
        )
    if public and not may_publish(viewer, request):
        raise _only_the_ppid_publishes()


def _only_the_ppid_publishes() -> Forbidden:
    return Forbidden(
        "Hanya PPID badan publik ini yang dapat mengubah status publik lampiran.",
        "Only this public body's officers may publish or unpublish an attachment.",
    )


async def add_attachments(
    session: AsyncSession,
    store: AttachmentStore,
    viewer: Viewer | None,
    request: InformationRequest,
    files: Sequence[UploadedFile],
    *,
    stage: AttachmentStage,
    public: bool = False,
) -> list[Attachment]:
    """Check every file first, then store them and add their rows to the caller's transaction."""
    _may_attach(viewer, request, stage, public)
    assert viewer is not None
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise BadUserInput(
            f"Paling banyak {MAX_FILES_PER_UPLOAD} berkas sekaligus.",
            f"At most {MAX_FILES_PER_UPLOAD} files at once.",
            field="attachments",
        )
    checked = []
    for file in files:
        name = clean_name(file.name)
        _check_size(name, file.data)
        checked.append((name, checked_type(name, file.data), file.data))
    added = []
    for name, content_type, data in checked:
        key = await store.put(data, session)
        attachment = Attachment(
            request_id=request.id,
            stage=stage.value,
            name=name,
            content_type=content_type,
            size=len(data),
            sha256=key,
            storage_key=key,
            public=public,
            uploaded_by_user_id=viewer.user_id,
        )
        attachment.request = request
        session.add(attachment)
        added.append(attachment)
    await session.flush()
    return added


async def attachments_by_request_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Attachment]]:
    """Each request's attachments in upload order, with the request loaded (one query)."""
    grouped: dict[int, list[Attachment]] = {key: [] for key in ids}
    rows = await session.scalars(
        select(Attachment)
        .options(joinedload(Attachment.request))
        .where(Attachment.request_id.in_(list(ids)))
        .order_by(Attachment.id)
    )
    for attachment in rows:
        grouped[attachment.request_id].append(attachment)
    return [grouped[key] for key in ids]


def _not_found(attachment_id: int) -> NotFound:
    # the same answer whether it does not exist or is not yours: existence does not leak
    return NotFound(
        f"Lampiran {attachment_id} tidak ditemukan.",
        f"Attachment {attachment_id} was not found.",
        field="id",
    )


async def readable_attachment(
    session: AsyncSession, viewer: Viewer | None, attachment_id: int, *, locked: bool = False
) -> Attachment:
    """The attachment if this viewer may read it; NOT_FOUND otherwise. `locked`: its row is
    locked for the caller's change (SELECT ... FOR UPDATE)."""
    statement = (
        select(Attachment)
        .options(joinedload(Attachment.request))
        .where(Attachment.id == attachment_id)
    )
    if locked:
        statement = statement.with_for_update(of=Attachment)
    attachment = await session.scalar(statement)
    if attachment is None or not can_read(viewer, attachment):
        raise _not_found(attachment_id)
    return attachment


async def set_public(
    session: AsyncSession, viewer: Viewer | None, attachment_id: int, public: bool
) -> Attachment:
    """Publish or unpublish a document: the agency's officers only."""
    attachment = await readable_attachment(session, viewer, attachment_id, locked=True)
    if not may_publish(viewer, attachment.request):
        raise _only_the_ppid_publishes()
    attachment.public = public
    await session.flush()
    return attachment
