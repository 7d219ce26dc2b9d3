"""GraphQL types of the exemption half of the contract: the mutations and the public DIK."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.scalars import JSON

from opendata.copying import copied
from opendata.exemptions.service import ExemptionRequest
from opendata.resolvers import exemptions as resolve
from opendata.schema.catalogue import (
    DatasetConnection,
    DatasetEdge,
    DatasetType,
    ExemptionBasis,
    ExemptionScope,
    ExemptionType,
    offset_connection,
)
from opendata.schema.info import Info
from opendata.schema.paging import page_size
from opendata.statute import Articles


@strawberry.input
class AddExemptionInput:
    dataset: str
    scope: ExemptionScope
    basis: ExemptionBasis
    consequence_test: str = strawberry.field(
        description="The consequence test (uji konsekuensi, "
        f"{Articles.CONSEQUENCE_TEST}): what harm disclosure would cause."
    )
    field: str | None = strawberry.field(default=None, description="FIELD scope: the field.")
    row_filter: JSON | None = strawberry.field(
        default=None,
        description="ROW scope: a JSON filter of the same form as Resource.rows(where:), e.g. "
        '{"status": "rahasia"}.',
    )
    decision_reference: str | None = None
    expires_on: date | None = strawberry.field(
        default=None,
        description="Required for PASAL_17A to PASAL_17F "
        f"({Articles.NOT_PERMANENT}: not permanent).",
    )
    public_interest: str | None = strawberry.field(
        default=None, description="Why withholding serves a greater public interest."
    )
    decided_on: date | None = strawberry.field(
        default=None, description="The decision date (SK PPID); default today (regency time)."
    )

    def to_domain(self) -> ExemptionRequest:
        """The service's request: the same fields, the slug and enums as the service names them."""
        return copied(
            ExemptionRequest,
            self,
            dataset_slug=self.dataset,
            scope=self.scope.value,
            basis=self.basis.value,
        )


@strawberry.type
class ExemptionMutation:
    @strawberry.mutation(
        description="An officer of the dataset's agency withholds a dataset, a field or rows, "
        "after a consequence test."
    )
    async def add_exemption(self, info: Info, input: AddExemptionInput) -> ExemptionType:
        exemption = await resolve.add_exemption(info.context, input.to_domain())
        return ExemptionType.from_model(exemption)

    @strawberry.mutation(
        description="Ends an exemption now; it stays in the history with who revoked it and why."
    )
    async def revoke_exemption(self, info: Info, id: strawberry.ID, reason: str) -> ExemptionType:
        return ExemptionType.from_model(
            await resolve.revoke_exemption(info.context, str(id), reason)
        )


@strawberry.type
class ExemptionQuery:
    @strawberry.field(
        description="The DIK (Daftar Informasi yang Dikecualikan) of a public body: its datasets "
        "with at least one exemption in force; each lists its notices in `exemptions`."
    )
    async def withheld_datasets(
        self, info: Info, agency: str, first: int | None = 20, after: str | None = None
    ) -> DatasetConnection:
        window, datasets, total = await resolve.withheld_datasets(
            info.context, agency, page_size(info, first), after
        )
        nodes = map(DatasetType.from_model, datasets)
        return offset_connection(DatasetConnection, DatasetEdge, window, nodes, total)

    @strawberry.field(
        description="Every exemption a dataset has had, in force, expired or revoked (the "
        "history is never deleted); `active` tells which apply today."
    )
    async def exemption_history(self, info: Info, dataset: str) -> list[ExemptionType]:
        return [
            ExemptionType.from_model(e)
            for e in await resolve.exemption_history(info.context, dataset)
        ]
