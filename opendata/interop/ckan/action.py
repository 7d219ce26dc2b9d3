"""What every action is given and how it is declared, and the lookups several actions share.

An action is a plain async function of (context, typed parameters) with its parameters
declared as data beside it in `ACTIONS`; ids are our slugs or GraphQL global IDs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opendata.catalogue import queries
from opendata.catalogue.queries import DatasetFilter
from opendata.db.models import Agency, Dataset, Resource
from opendata.errors import BadUserInput, not_found
from opendata.interop.ckan.params import Param
from opendata.interop.records import DatasetRecord, load_records, record_by_slug
from opendata.public_ids import from_global_id
from opendata.request_scope import RequestScope
from opendata.urls import PublicUrls

# A listing (package_list, tag_list) reads at most this many datasets.
MAX_LISTED = 10_000


@dataclass
class ActionContext:
    """`path` and `arguments` are the request's own (path, and every argument as sent, in
    order), for links that repeat the request with one argument changed."""

    scope: RequestScope
    urls: PublicUrls
    path: str = ""
    arguments: tuple[tuple[str, Any], ...] = ()

    @property
    def page_max(self) -> int:
        return self.scope.settings.limits.page_max


Handler = Callable[[ActionContext, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Action:
    """`strict`: unknown keys are refused (CKAN's package_search and datastore_search refuse
    them; its other actions ignore them); `open_prefix` keys are always let through."""

    handler: Handler
    params: Mapping[str, Param] = field(default_factory=dict)
    strict: bool = False
    open_prefix: str = ""

    @property
    def help(self) -> str:
        return (self.handler.__doc__ or "").strip()


def capped(requested: int, maximum: int, name: str) -> tuple[int, list[dict[str, str]]]:
    """CKAN caps `rows`/`limit` silently; we cap and say so in `warnings`."""
    if requested <= maximum:
        return requested, []
    return maximum, [
        {
            "message": f"`{name}` dibatasi {maximum} (diminta {requested}).",
            "messageEn": f"`{name}` capped at {maximum} (asked for {requested}).",
        }
    ]


async def records_of(ctx: ActionContext, datasets: list[Dataset]) -> list[DatasetRecord]:
    async with ctx.scope.database.session() as session:
        return await load_records(session, datasets)


async def all_datasets(ctx: ActionContext) -> list[Dataset]:
    async with ctx.scope.database.session() as session:
        page = await queries.browse_datasets(
            session, DatasetFilter(), "TITLE", 0, MAX_LISTED, with_facets=False
        )
    return page.datasets


async def record_for(ctx: ActionContext, key: str) -> DatasetRecord:
    """A dataset's record by name (slug) or by id (the GraphQL global ID), as package_show
    accepts either; by name in one statement (`record_by_slug`)."""
    async with ctx.scope.database.session() as session:
        record = await record_by_slug(session, key)
        if record is None:
            pk = _pk_or_none(key, "Dataset")
            found = (await queries.datasets_by_ids(session, [pk]))[0] if pk is not None else None
            record = (await load_records(session, [found]))[0] if found is not None else None
    if record is None:
        raise not_found("Dataset", "Dataset", key, field="id")
    return record


async def agency_for(ctx: ActionContext, key: str) -> Agency:
    async with ctx.scope.database.session() as session:
        found = await queries.agency_by_slug(session, key)
        if found is None:
            pk = _pk_or_none(key, "Agency")
            agencies = await queries.agencies_by_ids(session, [pk]) if pk is not None else [None]
            found = agencies[0] if agencies[0] and agencies[0].removed_at is None else None
    if found is None:
        raise not_found("Instansi", "Organization", key, field="id")
    return found


async def resource_for(ctx: ActionContext, key: str) -> Resource:
    pk = _pk_or_none(key, "Resource")
    async with ctx.scope.database.session() as session:
        found = (await queries.resources_by_ids(session, [pk]))[0] if pk is not None else None
    if found is None:
        raise not_found("Sumber data", "Resource", key, field="id")
    return found


def _pk_or_none(key: str, kind: str) -> int | None:
    try:
        return from_global_id(key, expected=kind)[1]
    except BadUserInput:
        return None


def window(items: list[Any], offset: int, limit: int | None) -> list[Any]:
    return items[offset : None if limit is None else offset + limit]


async def record_of_resource(ctx: ActionContext, resource: Resource) -> DatasetRecord:
    async with ctx.scope.database.session() as session:
        dataset = (await queries.datasets_by_ids(session, [resource.dataset_id]))[0]
        assert dataset is not None  # resources_by_ids only finds resources of live datasets
        return (await load_records(session, [dataset]))[0]
