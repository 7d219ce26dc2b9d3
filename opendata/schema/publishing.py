"""GraphQL types of publishing (contract v3): versions, their checks and changes, and the
producer's and steward's mutations. Declarative; behaviour in resolvers/publishing.py."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from opendata.copying import copied
from opendata.publishing import versions
from opendata.publishing.checks import CheckKind
from opendata.publishing.models import DatasetVersion, VersionState
from opendata.resolvers import publishing as resolve
from opendata.schema.catalogue import DatasetType, Node
from opendata.schema.info import Info
from opendata.schema.node_registry import node_copied, register_node

VersionStateEnum = strawberry.enum(VersionState, name="VersionState")
CheckKindEnum = strawberry.enum(CheckKind, name="CheckKind")


@strawberry.type(name="PublicationCheck")
class PublicationCheckType:
    kind: CheckKindEnum  # type: ignore[valid-type]
    passed: bool
    blocking: bool = strawberry.field(description="A failing blocking check stops publication.")
    field: str | None = strawberry.field(description="The column it is about, where it is.")
    message: str
    message_en: str
    resource: str | None = strawberry.field(description="The resource it is about, where it is.")


@strawberry.type(name="AcceptedCheck", description="A check the steward accepted, and why.")
class AcceptedCheckType:
    kind: CheckKindEnum  # type: ignore[valid-type]
    field: str | None
    reason: str
    accepted_by: str


@strawberry.type(name="VersionChanges")
class VersionChangesType:
    rows_added: int
    rows_removed: int
    rows_changed: int
    fields_added: list[str]
    fields_removed: list[str]
    metadata_changed: list[str]


@strawberry.type(name="VersionResource")
class VersionResourceType:
    name: str
    row_count: int
    fields: list[str]
    download_url: str | None = strawberry.field(
        description="This version's rows as CSV, under the exemptions in force today; null "
        "for a version never published or a dataset withheld whole."
    )


@strawberry.type(name="DatasetVersion")
class DatasetVersionType(Node):
    _model: strawberry.Private[DatasetVersion]
    id: strawberry.ID
    number: int
    dataset_slug: str
    submitted_at: datetime
    submitted_by: str
    reviewed_at: datetime | None
    reviewed_by: str | None
    published_at: datetime | None
    comment: str | None = strawberry.field(description="The steward's note on return or approval.")
    row_count: int
    checks: list[PublicationCheckType]
    accepted_checks: list[AcceptedCheckType]
    changes: VersionChangesType | None = strawberry.field(
        description="Against the version published when this one was submitted; null for the first."
    )
    changes_pending: bool = strawberry.field(
        description="True while the change summary of a replacing push is still being counted "
        "(`changes` is null until then)."
    )

    @classmethod
    def from_model(cls, model: DatasetVersion) -> DatasetVersionType:
        changes = versions.stored_changes(model)
        return node_copied(
            cls,
            resolve.VERSION_TYPE,
            model,
            checks=[copied(PublicationCheckType, c) for c in versions.stored_checks(model)],
            accepted_checks=[
                AcceptedCheckType(
                    kind=CheckKind(a["kind"]),
                    field=a.get("field"),
                    reason=str(a["reason"]),
                    accepted_by=str(a.get("by") or ""),
                )
                for a in model.accepted
            ],
            changes=copied(VersionChangesType, changes) if changes is not None else None,
            changes_pending=versions.changes_pending(model.changes),
        )

    @strawberry.field(description="Each resource of this version, with its download link.")
    async def resources(self, info: Info) -> list[VersionResourceType]:
        links = await resolve.download_urls(info.context, self._model)
        return [
            VersionResourceType(
                name=r.name,
                row_count=r.row_count,
                fields=[str(raw["name"]) for raw in r.fields],
                download_url=links.get(r.name),
            )
            for r in self._model.resources
        ]

    @strawberry.field
    async def state(self, info: Info) -> VersionStateEnum:  # type: ignore[valid-type]
        return await resolve.state(info.context, self._model)


async def dataset_versions(info: Info, dataset_id: int) -> list[DatasetVersionType]:
    """`Dataset.versions`: staff of the agency and the steward see all; others the published."""
    return [
        DatasetVersionType.from_model(v)
        for v in await versions.versions_of(info.context, info.context.viewer, dataset_id)
    ]


@register_node(resolve.VERSION_TYPE)
async def _fetch_version(info: Info, pk: int) -> DatasetVersionType | None:
    found = await versions.version_for(info.context, info.context.viewer, pk)
    return DatasetVersionType.from_model(found) if found is not None else None


@strawberry.input
class ResourceUpload:
    name: str
    file: Upload = strawberry.field(description="CSV.")


@strawberry.input
class SubmitVersionInput:
    dataset: str = strawberry.field(description="Slug; a new dataset when it does not exist yet.")
    agency: str = strawberry.field(
        description="Slug; a producer may submit only for their own agency."
    )
    metadata: JSON = strawberry.field(
        description="The data package descriptor (title, description, licenses, topics, "
        "category, schema per resource, ...) as in catalog-format.md."
    )
    resources: list[ResourceUpload]


@strawberry.type
class PublishingMutation:
    @strawberry.mutation(
        description="PRODUCER (own agency) or DATA_STEWARD: a new version, "
        "checked at once, waiting for review."
    )
    async def submit_dataset_version(
        self, info: Info, input: SubmitVersionInput
    ) -> DatasetVersionType:
        version = await resolve.submit(
            info.context,
            input.dataset,
            input.agency,
            input.metadata,
            [(r.name, r.file) for r in input.resources],
        )
        return DatasetVersionType.from_model(version)

    @strawberry.mutation(
        description="DATA_STEWARD: publish a submitted version; CHECK_FAILED while blocked."
    )
    async def approve_dataset_version(
        self, info: Info, id: strawberry.ID, comment: str | None = None
    ) -> DatasetVersionType:
        return DatasetVersionType.from_model(await resolve.approve(info.context, str(id), comment))

    @strawberry.mutation(description="DATA_STEWARD: send a version back with a comment.")
    async def return_dataset_version(
        self, info: Info, id: strawberry.ID, comment: str
    ) -> DatasetVersionType:
        return DatasetVersionType.from_model(await resolve.return_(info.context, str(id), comment))

    @strawberry.mutation(description="DATA_STEWARD: publish an earlier version again.")
    async def rollback_dataset(self, info: Info, dataset: str, to_version: int) -> DatasetType:
        return DatasetType.from_model(await resolve.rollback(info.context, dataset, to_version))

    @strawberry.mutation(
        description="DATA_STEWARD: record why a flagged check does not stop publication. A "
        "PERSONAL_DATA check also passes once the PPID withholds the column (addExemption)."
    )
    async def accept_publication_check(
        self,
        info: Info,
        version_id: strawberry.ID,
        kind: CheckKindEnum,  # type: ignore[valid-type]
        reason: str,
        field: str | None = None,
    ) -> DatasetVersionType:
        return DatasetVersionType.from_model(
            await resolve.accept(info.context, str(version_id), kind, field, reason)
        )
