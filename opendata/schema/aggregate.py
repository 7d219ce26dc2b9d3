"""GraphQL types of `Resource.aggregate`: Aggregate, AggregateGroup, MeasureInput."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from opendata.catalogue import aggregate as domain

AggregateOp = strawberry.enum(domain.AggregateOp, name="AggregateOp")


@strawberry.input
class MeasureInput:
    op: AggregateOp  # type: ignore[valid-type]
    field: str | None = strawberry.field(default=None, description="Not needed for COUNT.")

    def to_domain(self) -> tuple[str, str | None]:
        return self.op.value, self.field  # type: ignore[attr-defined]


@strawberry.type
class AggregateGroup:
    key: JSON = strawberry.field(description="The grouped fields' values, keyed by field name.")
    values: list[float | None] = strawberry.field(
        description="One value per measure, in the order asked; null when suppressed."
    )
    suppressed: bool


@strawberry.type
class Aggregate:
    groups: list[AggregateGroup]
    suppressed_groups: int

    @classmethod
    def from_domain(cls, result: domain.AggregateResult) -> Aggregate:
        return cls(
            groups=[
                AggregateGroup(key=cast(JSON, g.key), values=g.values, suppressed=g.suppressed)
                for g in result.groups
            ],
            suppressed_groups=result.suppressed_groups,
        )
