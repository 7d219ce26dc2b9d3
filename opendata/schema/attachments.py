"""GraphQL types for request attachments: declarative; behaviour in resolvers/attachments.py."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from opendata.attachments.models import Attachment, AttachmentStage
from opendata.copying import copied
from opendata.public_ids import to_global_id
from opendata.resolvers import attachments as resolve
from opendata.schema.info import Info

AttachmentStageEnum = strawberry.enum(
    AttachmentStage, name="AttachmentStage", description="The step a document belongs to."
)


@strawberry.type(name="Attachment")
class AttachmentType:
    id: strawberry.ID
    name: str
    url: str = strawberry.field(
        description="Download address; answers only to those allowed to read the document."
    )
    size: int = strawberry.field(description="Bytes.")
    content_type: str
    public: bool
    stage: AttachmentStageEnum  # type: ignore[valid-type]
    sha256: str

    @classmethod
    def build(cls, info: Info, model: Attachment) -> AttachmentType:
        return copied(
            cls,
            model,
            id=strawberry.ID(to_global_id(resolve.ATTACHMENT_TYPE, model.id)),
            url=resolve.download_url(info.context, model),
            stage=AttachmentStage(model.stage),
        )


async def attachments_field(info: Info, request_id: int) -> list[AttachmentType]:
    """`InformationRequest.attachments`: public ones to everyone, the rest to the requester
    and the agency's staff."""
    return [
        AttachmentType.build(info, a)
        for a in await resolve.attachments_of(info.context, request_id)
    ]


@strawberry.input
class AddAttachmentsInput:
    request: strawberry.ID
    stage: AttachmentStageEnum  # type: ignore[valid-type]
    files: list[Upload]
    public: bool = False


@strawberry.type
class AttachmentsMutation:
    @strawberry.mutation(
        description="Attach documents to a request (multipart upload). Officers: notices and "
        "fulfilments; requesters: their own request's documents."
    )
    async def add_request_attachments(
        self, info: Info, input: AddAttachmentsInput
    ) -> list[AttachmentType]:
        added = await resolve.add(
            info.context,
            str(input.request),
            AttachmentStage(input.stage),
            input.files,
            input.public,
        )
        return [AttachmentType.build(info, model) for model in added]

    @strawberry.mutation(description="Publish a document to everyone, or make it private again.")
    async def set_attachment_public(
        self, info: Info, id: strawberry.ID, public: bool
    ) -> AttachmentType:
        return AttachmentType.build(info, await resolve.publish(info.context, str(id), public))
