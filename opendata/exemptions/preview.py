"""What an exemption would remove, before an officer saves it: rows, fields, search values.

The draft is checked and written by the same code that saves it (`service.stage_exemption`)
inside a savepoint that is always rolled back, and measured with the same readers every
output path uses: `row_query.count_rows` over THE visibility function's clause for rows and
`search.documents.build_documents` for what search can find (a value is lost when a search
for it would no longer match the dataset's document). So the preview cannot drift
from what the save does, and it saves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.accounts.viewer import Viewer
from opendata.catalogue import queries
from opendata.catalogue.row_query import count_rows, figure_source
from opendata.db.models import Resource
from opendata.errors import not_found
from opendata.exemptions.service import (
    ExemptionRequest,
    exemptible_dataset,
    exemptible_fields,
    require_officer,
    require_signed_in,
    stage_exemption,
)
from opendata.parts import HasDatabase
from opendata.regency_time import regency_today
from opendata.search.documents import SearchDocument, build_documents
from opendata.search.query import exact_plans
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy, load_policy


@dataclass(frozen=True)
class ResourceLoss:
    """One resource before and after: visible rows, and the fields that would be withheld."""

    name: str
    rows_before: int
    rows_after: int
    withheld_fields: tuple[str, ...]

    @property
    def rows_hidden(self) -> int:
        return self.rows_before - self.rows_after


@dataclass(frozen=True)
class ExemptionPreview:
    dataset_slug: str
    dataset_title: str
    resources: tuple[ResourceLoss, ...]
    # distinct cell values the dataset is searchable by now, and how many of them would no
    # longer find it (a value whose words all remain elsewhere in it still does)
    search_values_before: int
    search_values_lost: int
    withheld_whole: bool

    @property
    def rows_hidden(self) -> int:
        return sum(resource.rows_hidden for resource in self.resources)

    @property
    def withheld_fields(self) -> list[str]:
        return list(dict.fromkeys(f for r in self.resources for f in r.withheld_fields))


@dataclass(frozen=True)
class _Visible:
    rows: dict[str, int]  # by resource name
    fields: dict[str, tuple[str, ...]]
    document: SearchDocument | None
    withheld_whole: bool

    @property
    def search_values(self) -> list[str]:
        return self.document.values if self.document else []


def found_by(document: SearchDocument | None, text: str) -> bool:
    """Would a search for `text` find this document: every word of it among the document's
    terms in either language (both backends require every word)."""
    if document is None:
        return False
    terms = {term for group in document.terms().values() for term in group}
    plans = exact_plans(text)
    return bool(plans) and all(
        terms.intersection(plan.id_terms) or terms.intersection(plan.en_terms) for plan in plans
    )


async def _visible(
    session: AsyncSession,
    dataset_id: int,
    resources: Sequence[Resource],
    fields_by_resource: dict[str, list[FieldDef]],
    today: date,
) -> _Visible:
    """What anyone may see of the dataset as the session sees its exemptions now: rows of
    the published resources, fields of those and of the versions under review."""
    policy: DatasetPolicy = await load_policy(session, dataset_id, today)
    fields = {
        name: tuple(f.name for f in policy.visible_fields(defs))
        for name, defs in fields_by_resource.items()
    }
    rows = {
        resource.name: 0
        if policy.content_withheld
        else await count_rows(session, figure_source(resource, policy))
        for resource in resources
    }
    documents, _ = await build_documents(session, [dataset_id])
    return _Visible(rows, fields, documents[0] if documents else None, policy.content_withheld)


async def preview_exemption(
    services: HasDatabase,
    viewer: Viewer | None,
    request: ExemptionRequest,
    *,
    today: date | None = None,
) -> ExemptionPreview:
    """The exemption's effect, measured and rolled back; the same refusals as saving it."""
    require_signed_in(viewer)
    today = today or regency_today()
    async with services.database.write() as session:
        dataset = await exemptible_dataset(session, request.dataset_slug)
        if dataset is None:
            raise not_found("Dataset", "Dataset", request.dataset_slug, field="dataset")
        require_officer(viewer, dataset.agency_id)  # before anything about its rows is read
        (resources,) = await queries.resources_by_dataset_ids(session, [dataset.id])
        defs = await exemptible_fields(session, dataset.id)
        slug, title = dataset.slug, dataset.title
        before = await _visible(session, dataset.id, resources, defs, today)
        savepoint = await session.begin_nested()
        try:
            await stage_exemption(session, viewer, request, today=today)
            after = await _visible(session, dataset.id, resources, defs, today)
        finally:
            await savepoint.rollback()
    return ExemptionPreview(
        dataset_slug=slug,
        dataset_title=title,
        resources=tuple(
            ResourceLoss(
                name=name,
                rows_before=before.rows.get(name, 0),  # a resource under review has none yet
                rows_after=after.rows.get(name, 0),
                withheld_fields=tuple(
                    field for field in before.fields[name] if field not in after.fields[name]
                ),
            )
            for name in defs
        ),
        search_values_before=len(before.search_values),
        search_values_lost=sum(
            1
            for value in before.search_values
            if found_by(before.document, value) and not found_by(after.document, value)
        ),
        withheld_whole=after.withheld_whole and not before.withheld_whole,
    )
