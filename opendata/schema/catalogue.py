"""GraphQL types of the catalogue half of the contract: declarative, resolving via resolvers."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from opendata import urls
from opendata.catalogue.freshness import is_overdue
from opendata.catalogue.queries import DatasetFilter, FacetCount, resource_fields
from opendata.db import models
from opendata.errors import not_found
from opendata.regency_time import regency_today
from opendata.resolvers import catalogue as resolve
from opendata.resolvers.aggregate import resource_aggregate
from opendata.schema.aggregate import Aggregate, MeasureInput
from opendata.schema.connection import Connection, Edge, PageInfo, offset_connection, page_info
from opendata.schema.enums import (
    AccessLevel,
    ExemptionBasis,
    ExemptionScope,
    InformationCategory,
    PublicationMode,
)
from opendata.schema.info import Info
from opendata.schema.node_registry import node_copied, register_node
from opendata.schema.paging import page_size
from opendata.visibility.policy import DatasetPolicy, is_active
from opendata.visibility.rules import covered_resources

if TYPE_CHECKING:
    from opendata.schema.publishing import DatasetVersionType

C = TypeVar("C")


@strawberry.interface
class Node:
    id: strawberry.ID


@strawberry.enum
class DatasetOrder(Enum):
    RELEVANCE = "RELEVANCE"
    TITLE = "TITLE"
    RECENTLY_UPDATED = "RECENTLY_UPDATED"


@strawberry.input(name="DatasetFilter")
class DatasetFilterInput:
    agency: list[str] | None = None
    topic: list[str] | None = None
    format: list[str] | None = None
    year: int | None = None
    category: list[InformationCategory] | None = None

    def to_domain(self) -> DatasetFilter:
        return DatasetFilter(
            agencies=tuple(self.agency or ()),
            topics=tuple(self.topic or ()),
            formats=tuple(self.format or ()),
            year=self.year,
            categories=tuple(c.value for c in self.category or ()),
        )


@strawberry.type(name="Exemption")
class ExemptionType(Node):
    _model: strawberry.Private[models.Exemption]
    id: strawberry.ID
    basis: ExemptionBasis
    scope: ExemptionScope
    consequence_test: str = strawberry.field(
        description="The consequence test (uji konsekuensi): what harm disclosure would cause."
    )
    public_interest: str | None
    decision_reference: str | None
    decided_on: date
    expires_on: date | None = strawberry.field(
        description="Exemptions under 17a-17f are not permanent; after this date the content "
        "is public again without any action."
    )

    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked (kept in the history); null if never."
    )
    revoke_reason: str | None

    @strawberry.field(
        description="FIELD: the field name. ROW: a description of the rows withheld (values "
        "of withheld fields masked). DATASET: null."
    )
    async def target(self, info: Info) -> str | None:
        policy = await resolve.policy_of(info.context, self._model.dataset_id)
        only: list[str] | None = None
        if self._model.scope == "ROW" and self._model.row_filter:
            resources = await resolve.resources_of(info.context, self._model.dataset_id)
            covered = covered_resources(
                self._model.row_filter, {r.name: resource_fields(r) for r in resources}
            )
            only = covered if len(covered) < len(resources) else None
        return policy.notice_target(self._model, only)

    @strawberry.field
    def active(self) -> bool:
        return is_active(self._model, regency_today())

    @strawberry.field(description="Who decided or revoked it and when (history is kept).")
    def revoked(self) -> bool:
        return self._model.revoked_at is not None

    @classmethod
    def from_model(cls, model: models.Exemption) -> ExemptionType:
        return node_copied(
            cls,
            "Exemption",
            model,
            basis=ExemptionBasis(model.basis),
            scope=ExemptionScope(model.scope),
        )


@strawberry.type
class Field:
    name: str
    title: str | None
    type: str
    withheld: bool


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(
    description="`where` is a JSON object keyed by field name: a plain value means equality; "
    "an object uses operators eq, ne, lt, lte, gt, gte, in (a list), contains and startsWith "
    "(strings), isNull. Values are checked against the field's type. Text comparisons (eq, "
    'ne, in, contains, startsWith on strings) ignore case and accents: "sungai kakap" '
    'finds "Sungai Kakap". Withheld fields cannot be filtered, ordered or chosen.'
)
class RowOrder:
    field: str
    direction: SortDirection | None = SortDirection.ASC


def _selected(selections: Iterable[Any], prefix: str = "") -> set[str]:
    """Dotted names of the fields asked for below a field, through fragments too."""
    found: set[str] = set()
    for selection in selections:
        name = getattr(selection, "name", None)
        children = getattr(selection, "selections", None) or []
        if name is None or not hasattr(selection, "arguments"):  # a fragment
            found |= _selected(children, prefix)
            continue
        found.add(prefix + name)
        found |= _selected(children, f"{prefix}{name}.")
    return found


@strawberry.type
class RowEdge(Edge[JSON]):
    pass


@strawberry.type
class RowConnection(Connection[RowEdge]):
    pass


@strawberry.type(name="Resource")
class ResourceType(Node):
    _model: strawberry.Private[models.Resource]
    id: strawberry.ID
    name: str
    format: str
    title: str | None = strawberry.field(
        description="What the table is called (the data package's `title`); null when it "
        "declares none (then its name stands)."
    )
    title_en: str | None = strawberry.field(description="The title in English, where given.")

    @classmethod
    def from_model(cls, model: models.Resource) -> ResourceType:
        return node_copied(cls, "Resource", model, format=model.format.upper())

    @strawberry.field(graphql_type=list[Field])
    def fields(self, info: Info) -> list[Field] | Awaitable[list[Field]]:
        return resolve.from_policy(info.context, self._model.dataset_id, self._fields)

    def _fields(self, policy: DatasetPolicy) -> list[Field]:
        return [
            Field(
                name=raw["name"],
                title=raw.get("title"),
                type=raw.get("type", "string"),
                withheld=policy.field_withheld(raw["name"]),
            )
            for raw in self._model.fields
        ]

    @strawberry.field(
        description="Rows as JSON objects keyed by field name. Withheld fields are null; "
        "withheld rows are absent and not counted. Null, with a FORBIDDEN error at this path, "
        "when the dataset is withheld whole; the rest of the answer stays."
    )
    async def rows(
        self,
        info: Info,
        first: int | None = 100,
        after: str | None = None,
        where: JSON | None = None,
        order_by: list[RowOrder] | None = None,
        fields: list[str] | None = None,
    ) -> RowConnection | None:
        wanted = _selected(info.selected_fields[0].selections)
        answer = await resolve.resource_rows(
            info.context,
            self._model,
            first=page_size(info, first),
            after=after,
            where=where,
            order_by=[(o.field, o.direction == SortDirection.DESC) for o in order_by or ()],
            fields=fields,
            want_total="totalCount" in wanted,
        )
        query, page = answer.query, answer.page
        # a cursor is enciphered and encoded: only for the edges that ask for one
        edge_cursors = "edges.cursor" in wanted
        edges = [
            RowEdge(cursor=query.cursor(row) if edge_cursors else "", node=cast(JSON, row.row))
            for row in page.rows
        ]
        end_cursor = None  # likewise only when asked: the last edge's, when they carry theirs
        if page.rows and "pageInfo.endCursor" in wanted:
            end_cursor = edges[-1].cursor if edge_cursors else query.cursor(page.rows[-1])
        return RowConnection(
            total_count=page.total or 0,
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=end_cursor),
        )

    @strawberry.field(
        description="Grouped figures over the visible rows only. Withheld fields cannot be "
        "grouped or measured (FORBIDDEN). Where the dataset carries a personal-data exemption "
        "(17g/17h), a group counting fewer rows than the dataset's minimum cell size (default "
        "5) is suppressed: its values are null."
    )
    async def aggregate(
        self,
        info: Info,
        group_by: list[str],
        measures: list[MeasureInput],
        where: JSON | None = None,
    ) -> Aggregate | None:
        result = await resource_aggregate(
            info.context, self._model, group_by, [m.to_domain() for m in measures], where
        )
        return Aggregate.from_domain(result)

    @strawberry.field(description="A download of exactly what `rows` shows.")
    async def download_url(self, info: Info) -> str | None:
        policy = await resolve.policy_of(info.context, self._model.dataset_id)
        if not policy.rows_public:
            return None
        return urls.api_link(info.context.settings, "download_csv", resource_id=self.id)


@strawberry.type(name="Dataset")
class DatasetType(Node):
    _model: strawberry.Private[models.Dataset]
    id: strawberry.ID
    slug: str
    title: str
    title_en: str | None
    description: str
    description_en: str | None
    topics: list[str]
    keywords: list[str]
    license: str
    category: InformationCategory
    modified: date | None
    years: list[int]

    @classmethod
    def from_model(cls, model: models.Dataset) -> DatasetType:
        return node_copied(
            cls,
            "Dataset",
            model,
            topics=list(model.topics),
            keywords=list(model.keywords),
            category=InformationCategory(model.category),
        )

    @strawberry.field
    async def agency(self, info: Info) -> AgencyType:
        agency = await resolve.agency_by_id(info.context, self._model.agency_id)
        assert agency is not None  # foreign key
        return AgencyType.from_model(agency)

    @strawberry.field(graphql_type=AccessLevel)
    def access(self, info: Info) -> AccessLevel | Awaitable[AccessLevel]:
        return resolve.from_policy(info.context, self._model.id, lambda p: AccessLevel(p.access))

    @strawberry.field(
        description="ROWS: the visible rows are public. AGGREGATES: no row is listed or "
        "downloaded (rows answers FORBIDDEN, downloadUrl is null); only aggregate."
    )
    def publication_mode(self) -> PublicationMode:
        return PublicationMode(self._model.publication_mode)

    @strawberry.field(
        description="As in the catalogue format (DAILY, WEEKLY, MONTHLY, QUARTERLY, "
        "SEMIANNUAL, ANNUAL, IRREGULAR); null when not declared."
    )
    def update_frequency(self) -> str | None:
        return self._model.update_frequency

    @strawberry.field(
        description="More than one period of its update frequency has passed since its last "
        "published modification (never for IRREGULAR or undeclared)."
    )
    def overdue_for_update(self) -> bool:
        return is_overdue(self._model)

    @strawberry.field(
        description="How many information requests name this dataset (filed from its page)."
    )
    async def times_requested(self, info: Info) -> int:
        return await resolve.times_requested(info.context, self._model.id)

    @strawberry.field
    async def resources(self, info: Info) -> list[ResourceType]:
        return [
            ResourceType.from_model(r)
            for r in await resolve.resources_of(info.context, self._model.id)
        ]

    @strawberry.field(
        description="The public notice of every active exemption on this dataset: basis, scope, "
        "reason, decision, expiry.",
        graphql_type=list[ExemptionType],
    )
    def exemptions(self, info: Info) -> list[ExemptionType] | Awaitable[list[ExemptionType]]:
        return resolve.from_policy(
            info.context,
            self._model.id,
            lambda policy: [ExemptionType.from_model(e) for e in policy.exemptions],
        )

    @strawberry.field(
        description="Its versions, newest first: staff of the agency and the data steward see "
        "all; others the published ones."
    )
    async def versions(
        self, info: Info
    ) -> list[Annotated[DatasetVersionType, strawberry.lazy("opendata.schema.publishing")]]:
        from opendata.schema.publishing import dataset_versions  # the type builds on this one

        return await dataset_versions(info, self._model.id)


@strawberry.type
class DatasetEdge(Edge[DatasetType]):
    score: float | None = None
    highlight: str | None = strawberry.field(
        default=None, description="A short snippet of public text around the matched words."
    )


@strawberry.type
class DatasetConnection(Connection[DatasetEdge]):
    pass


@strawberry.type
class FacetValue:
    value: str
    label: str
    label_en: str
    count: int

    @classmethod
    def from_domain(cls, facet: FacetCount) -> FacetValue:
        return cls(value=facet.value, label=facet.label, label_en=facet.label_en, count=facet.count)


@strawberry.type
class DatasetFacets:
    agency: list[FacetValue]
    topic: list[FacetValue]
    format: list[FacetValue]
    year: list[FacetValue]


@strawberry.type
class DatasetSearchResult(Connection[DatasetEdge]):
    facets: DatasetFacets
    counts_exact: bool = strawberry.field(
        default=True,
        description="False when more datasets match than a search counts (a broad query on "
        "a national-scale catalogue): more than `totalCount` datasets match, each facet count "
        "is a lower bound, and the list holds the best of the first `totalCount` matches "
        "found, title matches first. True: the counts are exact.",
    )


@strawberry.type(name="Agency")
class AgencyType(Node):
    _model: strawberry.Private[models.Agency]
    id: strawberry.ID
    slug: str
    name: str
    acronym: str | None
    description: str | None
    description_en: str | None
    website: str | None

    @classmethod
    def from_model(cls, model: models.Agency) -> AgencyType:
        return node_copied(cls, "Agency", model)

    @strawberry.field
    async def datasets(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> DatasetConnection:
        window, page = await resolve.browse_datasets(
            info.context,
            DatasetFilter(agencies=(self.slug,)),
            "TITLE",
            page_size(info, first),
            after,
            kind=f"agency-datasets:{self.slug}",
            with_facets=False,
        )
        nodes = map(DatasetType.from_model, page.datasets)
        return offset_connection(DatasetConnection, DatasetEdge, window, nodes, page.total)


@strawberry.type
class AgencyEdge(Edge[AgencyType]):
    pass


@strawberry.type
class AgencyConnection(Connection[AgencyEdge]):
    pass


def facets_type(facets: dict[str, list[FacetCount]]) -> DatasetFacets:
    def convert(name: str) -> list[FacetValue]:
        return [FacetValue.from_domain(f) for f in facets.get(name, [])]

    return DatasetFacets(
        agency=convert("agency"),
        topic=convert("topic"),
        format=convert("format"),
        year=convert("year"),
    )


@strawberry.type
class CatalogueQuery:
    @strawberry.field
    async def agencies(
        self, info: Info, first: int | None = 50, after: str | None = None
    ) -> AgencyConnection:
        window, agencies, total = await resolve.agencies_page(
            info.context, page_size(info, first), after
        )
        nodes = map(AgencyType.from_model, agencies)
        return offset_connection(AgencyConnection, AgencyEdge, window, nodes, total)

    @strawberry.field
    async def agency(self, info: Info, slug: str) -> AgencyType | None:
        agency = await resolve.agency_by_slug(info.context, slug)
        if agency is None:
            raise not_found("Instansi", "Agency", slug, field="slug")
        return AgencyType.from_model(agency)

    @strawberry.field
    async def dataset(self, info: Info, slug: str) -> DatasetType | None:
        dataset = await resolve.dataset_by_slug(info.context, slug)
        if dataset is None:
            raise not_found("Dataset", "Dataset", slug, field="slug")
        return DatasetType.from_model(dataset)

    @strawberry.field(
        description="Catalogue search. With `query`, results are ranked by relevance (Indonesian "
        "and English stemming, typo tolerance); without it, by `orderBy`. Withheld content never "
        "matches and never appears in a highlight."
    )
    async def datasets(
        self,
        info: Info,
        query: str | None = None,
        filter: DatasetFilterInput | None = None,
        order_by: DatasetOrder | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> DatasetSearchResult:
        dataset_filter = filter.to_domain() if filter else DatasetFilter()
        order = (order_by or DatasetOrder.RELEVANCE).value
        wants_facets = any(
            getattr(selection, "name", None) == "facets"
            for selection in info.selected_fields[0].selections
        )
        window, page = await resolve.search_datasets(
            info.context,
            query,
            dataset_filter,
            order,
            page_size(info, first),
            after,
            with_facets=wants_facets,
        )
        edges = [
            DatasetEdge(
                cursor=window.cursor(i),
                node=DatasetType.from_model(hit.dataset),
                score=hit.score,
                highlight=hit.highlight,
            )
            for i, hit in enumerate(page.hits)
        ]
        return DatasetSearchResult(
            total_count=page.total,
            edges=edges,
            page_info=page_info([e.cursor for e in edges], window.has_next(page.total)),
            facets=facets_type(page.facets),
            counts_exact=page.exact,
        )


__all__ = ["AgencyType", "DatasetType", "ExemptionType", "Node", "ResourceType"]


@register_node("Agency")
async def _fetch_agency(info: Info, pk: int) -> AgencyType | None:
    agency = await resolve.agency_by_id(info.context, pk)
    return AgencyType.from_model(agency) if agency and agency.removed_at is None else None


@register_node("Dataset")
async def _fetch_dataset(info: Info, pk: int) -> DatasetType | None:
    dataset = await resolve.dataset_by_id(info.context, pk)
    return DatasetType.from_model(dataset) if dataset else None


@register_node("Resource")
async def _fetch_resource(info: Info, pk: int) -> ResourceType | None:
    resource = await resolve.resource_by_id(info.context, pk)
    return ResourceType.from_model(resource) if resource else None


@register_node("Exemption")
async def _fetch_exemption(info: Info, pk: int) -> ExemptionType | None:
    exemption = await resolve.exemption_by_id(info.context, pk)
    return ExemptionType.from_model(exemption) if exemption else None
