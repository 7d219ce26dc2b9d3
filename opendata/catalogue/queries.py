"""Reading the catalogue: pages of agencies and datasets, and batch loads.

Plain functions over a session; resolvers, the CSV download and the CLI share them.
Rows are read in `row_query`, only ever through a `DatasetPolicy`. Reads of a few rows by
a key (a slug, ids, a dataset's resources) are `bounded`: on SQLite they run on the event
loop rather than crossing to aiosqlite's thread (`db.engine`).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import BindParameter, ColumnElement, Select, and_, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from opendata.catalogue.topics import topic_label
from opendata.db.engine import bounded
from opendata.db.models import Agency, Dataset, DatasetFacet, Exemption, Resource
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy, exemptions_in_force, policies_from_rows

FACETS = ("agency", "topic", "format", "year")


@dataclass(frozen=True)
class DatasetFilter:
    agencies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    year: int | None = None
    categories: tuple[str, ...] = ()

    def facet_conditions(self) -> list[tuple[str, tuple[str, ...]]]:
        """(facet, accepted values) pairs; a dataset must match each."""
        pairs = [
            ("agency", self.agencies),
            ("topic", self.topics),
            ("format", tuple(value.upper() for value in self.formats)),
            ("category", self.categories),
        ]
        if self.year is not None:
            pairs.append(("year", (str(self.year),)))
        return [(facet, values) for facet, values in pairs if values]


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    label_en: str
    count: int


@dataclass
class DatasetPage:
    total: int
    datasets: list[Dataset]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


def _live_datasets() -> Select[Dataset]:
    return select(Dataset).where(Dataset.removed_at.is_(None))


def filter_condition(dataset_filter: DatasetFilter) -> ColumnElement[bool]:
    """SQL: the dataset has, for each filtered facet, one of the accepted values."""
    clauses = []
    for facet, values in dataset_filter.facet_conditions():
        matched = aliased(DatasetFacet)
        clauses.append(
            select(matched.dataset_id)
            .where(
                matched.dataset_id == Dataset.id,
                matched.facet == facet,
                matched.value.in_(values),
            )
            .correlate(Dataset)
            .exists()
        )
    return and_(Dataset.removed_at.is_(None), *clauses)


def _ordering(order: str) -> list[Any]:
    if order == "RECENTLY_UPDATED":
        return [Dataset.modified.desc().nulls_last(), Dataset.slug]
    return [func.lower(Dataset.title), Dataset.slug]


async def facet_counts(
    session: AsyncSession, condition: ColumnElement[bool]
) -> dict[str, list[FacetCount]]:
    """Counts of every facet value over all datasets matching `condition` (not one page)."""
    rows = await session.execute(
        select(DatasetFacet.facet, DatasetFacet.value, func.count())
        .join(Dataset, Dataset.id == DatasetFacet.dataset_id)
        .where(condition, DatasetFacet.facet.in_(FACETS))
        .group_by(DatasetFacet.facet, DatasetFacet.value)
    )
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for facet, value, count in rows:
        grouped[facet].append((value, count))
    agency_rows = await session.execute(
        select(Agency.slug, Agency.name).where(
            Agency.slug.in_([value for value, _ in grouped.get("agency", [])])
        )
    )
    agency_names = {slug: name for slug, name in agency_rows}
    return {facet: facet_values(facet, grouped.get(facet, []), agency_names) for facet in FACETS}


def facet_values(
    facet: str, counted: Sequence[tuple[str, int]], agency_names: Mapping[str, str]
) -> list[FacetCount]:
    """Label and sort facet counts: most first, years newest first."""
    result = []
    for value, count in counted:
        if facet == "agency":
            label = label_en = agency_names.get(value, value)
        elif facet == "topic":
            label, label_en = topic_label(value)
        else:
            label = label_en = value
        result.append(FacetCount(value, label, label_en, count))
    if facet == "year":
        return sorted(result, key=lambda f: f.value, reverse=True)
    return sorted(result, key=lambda f: (-f.count, f.value))


async def browse_datasets(
    session: AsyncSession,
    dataset_filter: DatasetFilter,
    order: str,
    offset: int,
    limit: int,
    *,
    with_facets: bool = True,
) -> DatasetPage:
    """A page of datasets without a text query, ordered by `order`, with facets."""
    condition = filter_condition(dataset_filter)
    total = await session.scalar(select(func.count()).select_from(Dataset).where(condition)) or 0
    datasets = list(
        await session.scalars(
            select(Dataset).where(condition).order_by(*_ordering(order)).offset(offset).limit(limit)
        )
    )
    facets = await facet_counts(session, condition) if with_facets else {}
    return DatasetPage(total=total, datasets=datasets, facets=facets)


async def agencies_page(session: AsyncSession, offset: int, limit: int) -> tuple[list[Agency], int]:
    live = Agency.removed_at.is_(None)
    total = await session.scalar(select(func.count()).select_from(Agency).where(live)) or 0
    agencies = await session.scalars(
        select(Agency).where(live).order_by(Agency.name, Agency.slug).offset(offset).limit(limit)
    )
    return list(agencies), total


async def agency_by_slug(session: AsyncSession, slug: str) -> Agency | None:
    return await session.scalar(
        bounded(select(Agency).where(Agency.slug == slug, Agency.removed_at.is_(None)))
    )


async def dataset_by_slug(session: AsyncSession, slug: str) -> Dataset | None:
    return await session.scalar(bounded(_live_datasets().where(Dataset.slug == slug)))


async def live_resource(
    session: AsyncSession, dataset_slug: str, resource_name: str
) -> tuple[Dataset, Resource] | None:
    """A live (not removed) dataset's resource, by the dataset's slug and the resource's name."""
    found = (
        await session.execute(
            select(Dataset, Resource)
            .join(Resource, Resource.dataset_id == Dataset.id)
            .where(
                Dataset.slug == dataset_slug,
                Dataset.removed_at.is_(None),
                Resource.name == resource_name,
            )
        )
    ).first()
    return None if found is None else (found[0], found[1])


@dataclass(frozen=True)
class DatasetAtSlug:
    dataset: Dataset
    agency: Agency
    policy: DatasetPolicy


@lru_cache(maxsize=2)
def _dataset_and_resources(today: date) -> Select[Dataset, Agency, Exemption, Resource]:
    """`dataset_and_resources_at_slug`'s statement on `today`, the slug a bound parameter:
    built once a day, not once a page (building it takes longer than SQLite runs it)."""
    return bounded(
        select(Dataset, Agency, Exemption, Resource)
        .join(Agency, Agency.id == Dataset.agency_id)
        .outerjoin(Exemption, exemptions_in_force(today))
        .outerjoin(Resource, Resource.dataset_id == Dataset.id)
        .where(Dataset.slug == bindparam("slug"), Dataset.removed_at.is_(None))
        .order_by(Exemption.id, Resource.position, Resource.id)
    )


async def dataset_and_resources_at_slug(
    session: AsyncSession, slug: str, today: date
) -> tuple[DatasetAtSlug, tuple[Resource, ...]] | None:
    """A live dataset with its agency, its policy and its resources (by position), in one
    statement where `dataset_by_slug`, `agencies_by_ids`, `load_policies` and
    `resources_by_dataset_ids` would each be a round trip: for GraphQL's `dataset(slug:)` and
    a dataset's record (`interop.records.record_by_slug`: its page, package_show, DCAT). Its
    rows are each exemption in force beside each resource: a handful."""
    statement = _dataset_and_resources(today)
    rows = (await session.execute(statement, {"slug": slug})).all()
    if not rows:
        return None
    dataset, agency, _, _ = rows[0]
    exemptions = {e.id: e for _, _, e, _ in rows if e is not None}
    resources = {r.id: r for _, _, _, r in rows if r is not None}
    mode = dataset.publication_mode
    found = [(dataset.id, mode, None), *((dataset.id, mode, e) for e in exemptions.values())]
    policy = policies_from_rows([dataset.id], found)[dataset.id]
    return DatasetAtSlug(dataset, agency, policy), tuple(resources.values())


_IDS: BindParameter[int] = bindparam("ids", expanding=True)
"""The keys of a read by ids: the statements below are built once, at import (building
one took longer than SQLite runs it, issue 26), and given their ids when run."""

_AGENCIES_BY_IDS = bounded(select(Agency).where(Agency.id.in_(_IDS)))
_DATASETS_BY_IDS = bounded(_live_datasets().where(Dataset.id.in_(_IDS)))
_RESOURCES_BY_DATASET_IDS = bounded(
    select(Resource).where(Resource.dataset_id.in_(_IDS)).order_by(Resource.position, Resource.id)
)
_RESOURCES_BY_IDS = bounded(
    select(Resource)
    .join(Dataset, Dataset.id == Resource.dataset_id)
    .where(Resource.id.in_(_IDS), Dataset.removed_at.is_(None))
)
_EXEMPTIONS_BY_IDS = select(Exemption).where(Exemption.id.in_(_IDS))


class _Keyed(Protocol):
    @property
    def id(self) -> int: ...


K = TypeVar("K", bound=_Keyed)


async def _in_order_of(
    session: AsyncSession, statement: Select[K], ids: Sequence[int]
) -> list[K | None]:
    """What `statement` finds for `ids`, one per id in their order (None: not found)."""
    found = {row.id: row for row in await session.scalars(statement, {"ids": list(ids)})}
    return [found.get(i) for i in ids]


async def agencies_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Agency | None]:
    return await _in_order_of(session, _AGENCIES_BY_IDS, ids)


async def datasets_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Dataset | None]:
    return await _in_order_of(session, _DATASETS_BY_IDS, ids)


async def resources_by_dataset_ids(
    session: AsyncSession, ids: Sequence[int]
) -> list[list[Resource]]:
    grouped: dict[int, list[Resource]] = defaultdict(list)
    for resource in await session.scalars(_RESOURCES_BY_DATASET_IDS, {"ids": list(ids)}):
        grouped[resource.dataset_id].append(resource)
    return [grouped.get(i, []) for i in ids]


async def resources_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Resource | None]:
    return await _in_order_of(session, _RESOURCES_BY_IDS, ids)


@dataclass(frozen=True)
class ResourceWithPolicy:
    resource: Resource
    policy: DatasetPolicy


async def resources_with_policies(
    session: AsyncSession, ids: Sequence[int], today: date
) -> list[ResourceWithPolicy | None]:
    """`resources_by_ids`, each with its dataset's policy, in one statement (a resource's
    rows are read through the policy: two round trips before a page's own)."""
    rows = (
        await session.execute(
            bounded(
                select(Resource, Dataset.publication_mode, Exemption)
                .join(Dataset, Dataset.id == Resource.dataset_id)
                .outerjoin(Exemption, exemptions_in_force(today))
                .where(Resource.id.in_(ids), Dataset.removed_at.is_(None))
                .order_by(Resource.id, Exemption.id)
            )
        )
    ).all()
    resources = {resource.id: resource for resource, _, _ in rows}
    # each dataset's exemptions once: from the rows of its first resource
    first_of: dict[int, int] = {}
    for resource in resources.values():
        first_of.setdefault(resource.dataset_id, resource.id)
    policies = policies_from_rows(
        first_of,
        (
            (resource.dataset_id, mode, exemption)
            for resource, mode, exemption in rows
            if first_of[resource.dataset_id] == resource.id
        ),
    )
    return [
        ResourceWithPolicy(found, policies[found.dataset_id])
        if (found := resources.get(i)) is not None
        else None
        for i in ids
    ]


async def exemptions_by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Exemption | None]:
    return await _in_order_of(session, _EXEMPTIONS_BY_IDS, ids)


# A resource's parsed fields, kept with the resource object while it holds the same stored
# list: a kept resource (`kept_resources`) is the same object request after request, and
# every page of its rows parsed its fields again (about 0.1 ms of a 5 ms page of rows).
# A writer assigns a new list (a JSON column tracks no change made inside one).
_PARSED_FIELDS: weakref.WeakKeyDictionary[Resource, tuple[object, tuple[FieldDef, ...]]] = (
    weakref.WeakKeyDictionary()
)


def resource_field_defs(resource: Resource) -> tuple[FieldDef, ...]:
    """The declared fields of a resource, in order."""
    stored = resource.fields
    kept = _PARSED_FIELDS.get(resource)
    if kept is not None and kept[0] is stored:
        return kept[1]
    parsed = tuple(FieldDef.from_json(raw) for raw in stored)
    _PARSED_FIELDS[resource] = (stored, parsed)
    return parsed


def resource_fields(resource: Resource) -> list[FieldDef]:
    """The declared fields of a resource, in order (a list of its own)."""
    return list(resource_field_defs(resource))


# the most rows any resource holds (a scalar subquery of it: read with other facts at once)
LARGEST_ROW_COUNT = select(func.max(Resource.row_count))


async def largest_row_count(session: AsyncSession) -> int:
    """The most rows any resource holds: what a query that scans a table may read."""
    return int((await session.scalar(LARGEST_ROW_COUNT)) or 0)
