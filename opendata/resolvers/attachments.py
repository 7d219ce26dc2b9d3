"""Thin: attachments of a request for the viewer, uploads from the Upload scalar, publishing."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import UploadFile

from opendata.attachments.models import Attachment, AttachmentStage
from opendata.attachments.service import (
    UploadedFile,
    add_attachments,
    attachments_by_request_ids,
    can_read,
    set_public,
)
from opendata.attachments.store import attachment_store
from opendata.errors import BadUserInput, not_found
from opendata.information_requests.models import InformationRequest
from opendata.public_ids import from_global_id
from opendata.resolvers.context import Info
from opendata.resolvers.requests import request_pk
from opendata.services import Services
from opendata.urls import PublicUrls

ATTACHMENT_TYPE = "Attachment"


async def _attachments(services: Services, ids: Sequence[int]) -> list[list[Attachment]]:
    async with services.database.session() as session:
        return await attachments_by_request_ids(session, ids)


async def attachments_of(info: Info, request_id: int) -> list[Attachment]:
    """The request's attachments this viewer may read (one query per page of requests)."""
    loaded = await info.context.loader("attachments", _attachments).load(request_id)
    return [attachment for attachment in loaded if can_read(info.context.viewer, attachment)]


def download_url(info: Info, attachment: Attachment) -> str:
    urls = PublicUrls.for_settings(info.context.services.settings)
    return urls.route("attachment", attachment_id=attachment.id)


async def uploaded(files: Sequence[object]) -> list[UploadedFile]:
    """The Upload scalar's values (Starlette files from the multipart parser) as domain files."""
    converted = []
    for file in files:
        if not isinstance(file, UploadFile):
            raise BadUserInput(
                "Berkas harus dikirim sebagai unggahan multipart.",
                "Files must be sent as a multipart upload.",
                field="files",
            )
        converted.append(UploadedFile(name=file.filename or "", data=await file.read()))
    return converted


async def add(
    info: Info, request_id: str, stage: AttachmentStage, files: Sequence[object], public: bool
) -> list[Attachment]:
    services = info.context.services
    domain_files = await uploaded(files)
    pk = request_pk(request_id, "request")
    async with services.database.write() as session:
        request = await session.get(InformationRequest, pk, with_for_update=True)
        if request is None:
            raise not_found(
                "Permohonan informasi", "Information request", request_id, field="request"
            )
        added = await add_attachments(
            session,
            attachment_store(services.settings.data_dir),
            info.context.viewer,
            request,
            domain_files,
            stage=stage,
            public=public,
        )
    info.context.forget_loaders()
    return added


async def publish(info: Info, attachment_id: str, public: bool) -> Attachment:
    _, pk = from_global_id(attachment_id, ATTACHMENT_TYPE)
    async with info.context.services.database.write() as session:
        attachment = await set_public(session, info.context.viewer, pk, public)
    info.context.forget_loaders()
    return attachment
