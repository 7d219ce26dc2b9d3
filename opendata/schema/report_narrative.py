"""The annual report's narrative parts (Perki 1/2021, parts a, b, e and f) in GraphQL:
the type `serviceReport.narrative` returns and the admin's `setReportNarrative`."""

from __future__ import annotations

from datetime import datetime

import strawberry

from opendata.information_requests.report_narrative import (
    NARRATIVE_FIELDS,
    Narrative,
    save_narrative,
)
from opendata.schema.info import Info
from opendata.statute import report_article


@strawberry.type(name="ReportNarrative")
class ReportNarrativeType:
    policy: str | None = strawberry.field(description=f"{report_article('a')}: the service policy.")
    implementation: str | None = strawberry.field(
        description=f"{report_article('b')}: how the service was carried out (facilities, "
        "staff, budget)."
    )
    obstacles: str | None = strawberry.field(description=f"{report_article('e')}: obstacles.")
    recommendations: str | None = strawberry.field(
        description=f"{report_article('f')}: recommendations and the follow-up plan."
    )
    updated_at: datetime | None

    @classmethod
    def from_domain(cls, narrative: Narrative) -> ReportNarrativeType:
        return cls(
            **{field: narrative.text_of(field) for field in NARRATIVE_FIELDS},
            updated_at=narrative.updated_at,
        )


@strawberry.input
class ReportNarrativeInput:
    year: int
    agency: str | None = strawberry.field(
        default=None, description="An agency's slug; none: the whole regency."
    )
    policy: str | None = None
    implementation: str | None = None
    obstacles: str | None = None
    recommendations: str | None = None


@strawberry.type
class ReportNarrativeMutation:
    @strawberry.mutation(
        description="Admins only: the annual report's narrative parts for a year (an empty or "
        "missing text clears its part)."
    )
    async def set_report_narrative(
        self, info: Info, input: ReportNarrativeInput
    ) -> ReportNarrativeType:
        scope = info.context
        texts = {field: getattr(input, field) for field in NARRATIVE_FIELDS}
        saved = await save_narrative(scope, scope.viewer, input.year, input.agency, texts)
        return ReportNarrativeType.from_domain(saved)
