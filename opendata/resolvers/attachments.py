"""Thin: attachments of a request for the viewer, uploads from the Upload scalar, publishing."""

from __future__ import annotations

from collections.abc import Sequence

from opendata.attachments.models import Attachment, AttachmentStage
from opendata.attachments.service import (
    UploadedFile,
    add_attachments,
    attachments_by_request_ids,
    can_read,
    set_public,
)
from opendata.attachments.store import attachment_store
from opendata.errors import not_found
from opendata.information_requests.models import InformationRequest
from opendata.public_ids import from_global_id
from opendata.request_scope import RequestScope
from opendata.resolvers.batching import in_session
from opendata.resolvers.requests import request_pk
from opendata.resolvers.uploads import upload_file
from opendata.urls import PublicUrls

ATTACHMENT_TYPE = "Attachment"


_attachments = in_session(attachments_by_request_ids)


async def attachments_of(scope: RequestScope, request_id: int) -> list[Attachment]:
    """The request's attachments this viewer may read (one query per page of requests)."""
    loaded = await scope.loader("attachments", _attachments).load(request_id)
    return [attachment for attachment in loaded if can_read(scope.viewer, attachment)]


def download_url(scope: RequestScope, attachment: Attachment) -> str:
    urls = PublicUrls.under(scope.settings, scope.base_url)
    return urls.route("attachment", attachment_id=attachment.id)


async def uploaded(files: Sequence[object]) -> list[UploadedFile]:
    """The Upload scalar's values (Starlette files from the multipart parser) as domain files."""
    converted = []
    for value in files:
        file = upload_file(value, "files")
        converted.append(UploadedFile(name=file.filename or "", data=await file.read()))
    return converted


async def add(
    scope: RequestScope,
    request_id: str,
    stage: AttachmentStage,
    files: Sequence[object],
    public: bool,
) -> list[Attachment]:
    domain_files = await uploaded(files)
    pk = request_pk(request_id, "request")
    async with scope.database.write() as session:
        request = await session.get(InformationRequest, pk, with_for_update=True)
        if request is None:
            raise not_found(
                "Permohonan informasi", "Information request", request_id, field="request"
            )
        added = await add_attachments(
            session,
            attachment_store(scope),
            scope.viewer,
            request,
            domain_files,
            stage=stage,
            public=public,
        )
    scope.forget_loaders()
    return added


async def publish(scope: RequestScope, attachment_id: str, public: bool) -> Attachment:
    _, pk = from_global_id(attachment_id, ATTACHMENT_TYPE)
    async with scope.database.write() as session:
        attachment = await set_public(session, scope.viewer, pk, public)
    scope.forget_loaders()
    return attachment
