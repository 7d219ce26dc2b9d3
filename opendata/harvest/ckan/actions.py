"""The actions, one small function each, and the explicit table that names them.

Each action receives parameters already typed by its declared `Param`s and answers with
CKAN's `result`. All reads go through the catalogue queries, the resolvers' search and the
visibility policy; a dataset withheld whole keeps its public metadata and notice but its
rows answer `Authorization Error`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement

from opendata.catalogue import queries
from opendata.catalogue.queries import DatasetFilter, FacetCount
from opendata.catalogue.topics import TOPIC_LABELS
from opendata.db.models import Agency, Dataset, Resource
from opendata.errors import BadUserInput, not_found
from opendata.harvest import rows as row_adapter
from opendata.harvest.ckan import shapes
from opendata.harvest.ckan.errors import invalid
from opendata.harvest.ckan.fq import PackageFilter, parse_fq
from opendata.harvest.ckan.params import Param
from opendata.harvest.finding import find_datasets
from opendata.harvest.records import DatasetRecord, load_records
from opendata.harvest.urls import PublicUrls
from opendata.resolvers.context import Info
from opendata.resolvers.ids import from_global_id
from opendata.services import Services

CKAN_COMPATIBLE_VERSION = "2.10.0"
# A listing (package_list, tag_list) reads at most this many datasets.
MAX_LISTED = 10_000
# package_search with tags:/license_id: filters the ranked list in Python, up to this many.
MAX_POST_FILTERED = 5_000

# CKAN sort strings onto our orders (score = relevance; metadata_modified = last update).
SORTS: dict[str, str] = {
    "score desc, metadata_modified desc": "RELEVANCE",
    "score desc": "RELEVANCE",
    "relevance asc": "RELEVANCE",
    "metadata_modified desc": "RECENTLY_UPDATED",
    "title_string asc": "TITLE",
    "title asc": "TITLE",
    "name asc": "TITLE",
}
# CKAN facet fields onto our facets.
FACET_FIELDS: dict[str, str] = {
    "organization": "agency",
    "groups": "topic",
    "res_format": "format",
}
# Frictionless field types onto DataStore column types.
DATASTORE_TYPES: dict[str, str] = {
    "string": "text",
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
}


@dataclass
class ActionContext:
    services: Services
    urls: PublicUrls
    info: Info

    @property
    def page_max(self) -> int:
        return self.services.settings.limits.page_max


Handler = Callable[[ActionContext, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Action:
    handler: Handler
    params: Mapping[str, Param] = field(default_factory=dict)

    @property
    def help(self) -> str:
        return (self.handler.__doc__ or "").strip()


def _capped(requested: int, maximum: int, name: str) -> tuple[int, list[dict[str, str]]]:
    """CKAN caps `rows`/`limit` silently; we cap and say so in `warnings`."""
    if requested <= maximum:
        return requested, []
    return maximum, [
        {
            "message": f"`{name}` dibatasi {maximum} (diminta {requested}).",
            "messageEn": f"`{name}` capped at {maximum} (asked for {requested}).",
        }
    ]


async def _records(ctx: ActionContext, datasets: list[Dataset]) -> list[DatasetRecord]:
    async with ctx.services.database.session() as session:
        return await load_records(session, datasets)


async def _all_datasets(ctx: ActionContext) -> list[Dataset]:
    async with ctx.services.database.session() as session:
        page = await queries.browse_datasets(
            session, DatasetFilter(), "TITLE", 0, MAX_LISTED, with_facets=False
        )
    return page.datasets


async def _dataset_for(ctx: ActionContext, key: str) -> Dataset:
    """By name (slug) or by id (the GraphQL global ID), as package_show accepts either."""
    async with ctx.services.database.session() as session:
        found = await queries.dataset_by_slug(session, key)
        if found is None:
            pk = _pk_or_none(key, "Dataset")
            found = (await queries.datasets_by_ids(session, [pk]))[0] if pk is not None else None
    if found is None:
        raise not_found("Dataset", "Dataset", key, field="id")
    return found


async def _agency_for(ctx: ActionContext, key: str) -> Agency:
    async with ctx.services.database.session() as session:
        found = await queries.agency_by_slug(session, key)
        if found is None:
            pk = _pk_or_none(key, "Agency")
            agencies = await queries.agencies_by_ids(session, [pk]) if pk is not None else [None]
            found = agencies[0] if agencies[0] and agencies[0].removed_at is None else None
    if found is None:
        raise not_found("Instansi", "Organization", key, field="id")
    return found


async def _resource_for(ctx: ActionContext, key: str) -> Resource:
    pk = _pk_or_none(key, "Resource")
    async with ctx.services.database.session() as session:
        found = (await queries.resources_by_ids(session, [pk]))[0] if pk is not None else None
    if found is None:
        raise not_found("Sumber data", "Resource", key, field="id")
    return found


def _pk_or_none(key: str, kind: str) -> int | None:
    try:
        return from_global_id(key, expected=kind)[1]
    except BadUserInput:
        return None


def _window(items: list[Any], offset: int, limit: int | None) -> list[Any]:
    return items[offset : None if limit is None else offset + limit]


# ---------------------------------------------------------------------------------- packages


async def package_list(ctx: ActionContext, params: dict[str, Any]) -> list[str]:
    """The names (slugs) of every public dataset, by title. Parameters: limit, offset."""
    slugs = [d.slug for d in await _all_datasets(ctx)]
    return _window(slugs, params["offset"], params["limit"])


async def package_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One dataset by name or id, with its organization, groups, tags and resources."""
    (record,) = await _records(ctx, [await _dataset_for(ctx, params["id"])])
    return shapes.package_dict(record, ctx.urls)


def _facet_results(
    facets: Mapping[str, list[FacetCount]], wanted: list[str], limit: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """CKAN's `facets` ({field: {value: count}}) and `search_facets` (titled items)."""
    plain: dict[str, Any] = {}
    titled: dict[str, Any] = {}
    for name in wanted:
        counted = facets.get(FACET_FIELDS[name], [])
        shown = counted if limit < 0 else counted[:limit]
        plain[name] = {f.value: f.count for f in shown}
        titled[name] = {
            "title": name,
            "items": [{"name": f.value, "display_name": f.label, "count": f.count} for f in shown],
        }
    return plain, titled


async def _post_filtered(
    ctx: ActionContext, text: str, package_filter: PackageFilter, order: str
) -> tuple[list[Dataset], dict[str, list[FacetCount]], bool]:
    """Matches of the domain search kept if they have the tags and licence asked for, their
    facets, and whether every match was looked at (up to MAX_POST_FILTERED are)."""
    kept: list[Dataset] = []
    offset, complete = 0, False
    while offset < MAX_POST_FILTERED:
        page = await find_datasets(
            ctx.info,
            text,
            package_filter.domain,
            order,
            offset,
            ctx.page_max,
            with_facets=False,
        )
        for hit in page.hits:
            keywords = set(hit.dataset.keywords)
            if all(tag in keywords for tag in package_filter.tags) and (
                package_filter.license_id in (None, hit.dataset.license)
            ):
                kept.append(hit.dataset)
        offset += ctx.page_max
        if offset >= page.total:
            complete = True
            break
    condition: ColumnElement[bool] = Dataset.id.in_([d.id for d in kept])
    async with ctx.services.database.session() as session:
        facets = await queries.facet_counts(session, condition)
    return kept, facets, complete


async def package_search(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: q (text), fq (organization:, groups:, res_format:, tags:,
    license_id:), rows (capped, said in `warnings`), start, sort, facet, facet.field,
    facet.limit. Ranked by relevance with q, by title without."""
    text = params["q"].strip()
    if text in ("*:*", "*"):
        text = ""
    sort = params["sort"]
    order = SORTS.get(" ".join(sort.lower().split()) if sort else "score desc")
    if order is None:
        raise invalid(
            "sort",
            "`sort` harus salah satu dari: " + ", ".join(SORTS) + ".",
            "`sort` must be one of: " + ", ".join(SORTS) + ".",
        )
    facet_fields = params["facet.field"] if params["facet"] else []
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise invalid(
                "facet.field",
                f"Facet '{name}' tidak didukung; pakai {', '.join(FACET_FIELDS)}.",
                f"Facet '{name}' is not supported; use {', '.join(FACET_FIELDS)}.",
            )
    package_filter = parse_fq(params["fq"])
    rows, warnings = _capped(params["rows"], ctx.page_max, "rows")
    start = params["start"]
    if package_filter.needs_post_filter:
        kept, facets, complete = await _post_filtered(ctx, text, package_filter, order)
        total, datasets = len(kept), kept[start : start + rows]
        if not complete:
            warnings.append(
                {
                    "message": f"tags:/license_id: hanya memeriksa {MAX_POST_FILTERED} hasil "
                    "pertama; persempit dengan q atau organization:.",
                    "messageEn": f"tags:/license_id: look at the first {MAX_POST_FILTERED} "
                    "matches only; narrow with q or organization:.",
                }
            )
    else:
        page = await find_datasets(
            ctx.info,
            text,
            package_filter.domain,
            order,
            start,
            max(rows, 1),
            with_facets=bool(facet_fields),
        )
        total, facets = page.total, page.facets
        datasets = [hit.dataset for hit in page.hits][:rows]
    plain, titled = _facet_results(facets, facet_fields, params["facet.limit"])
    result: dict[str, Any] = {
        "count": total,
        "sort": sort or "score desc, metadata_modified desc",
        "rows": rows,
        "rows_max": ctx.page_max,
        "facets": plain,
        "search_facets": titled,
        "results": [shapes.package_dict(r, ctx.urls) for r in await _records(ctx, datasets)],
    }
    if warnings:
        result["warnings"] = warnings
    return result


# ----------------------------------------------------------------------- organizations, groups


async def _counts(ctx: ActionContext, facet: str) -> dict[str, int]:
    async with ctx.services.database.session() as session:
        facets = await queries.facet_counts(session, queries.filter_condition(DatasetFilter()))
    return {f.value: f.count for f in facets[facet]}


async def organization_list(ctx: ActionContext, params: dict[str, Any]) -> list[Any]:
    """Organizations (our agencies) by name: names, or dicts with all_fields=true.
    Parameters: all_fields, include_dataset_count, organizations, limit, offset."""
    async with ctx.services.database.session() as session:
        agencies, _ = await queries.agencies_page(session, 0, MAX_LISTED)
    if params["organizations"]:
        wanted = set(params["organizations"])
        agencies = [a for a in agencies if a.slug in wanted]
    if params["sort"] in ("name", "name asc"):
        agencies = sorted(agencies, key=lambda a: a.slug)
    agencies = _window(agencies, params["offset"], params["limit"])
    if not params["all_fields"]:
        return [a.slug for a in agencies]
    counted = params["include_dataset_count"]
    counts = await _counts(ctx, "agency") if counted else {}
    return [
        shapes.organization_dict(a, counts.get(a.slug, 0) if counted else None) for a in agencies
    ]


async def organization_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One organization by name or id; include_datasets=true adds its datasets as `packages`."""
    agency = await _agency_for(ctx, params["id"])
    count = (await _counts(ctx, "agency")).get(agency.slug, 0)
    shown = shapes.organization_dict(agency, count)
    if params["include_datasets"]:
        page = await find_datasets(
            ctx.info,
            "",
            DatasetFilter(agencies=(agency.slug,)),
            "TITLE",
            0,
            ctx.page_max,
            with_facets=False,
        )
        records = await _records(ctx, [hit.dataset for hit in page.hits])
        shown["packages"] = [shapes.package_dict(r, ctx.urls) for r in records]
    return shown


async def group_list(ctx: ActionContext, params: dict[str, Any]) -> list[Any]:
    """Groups (our topics): names, or dicts with all_fields=true. Parameters: all_fields,
    include_dataset_count, groups, limit, offset."""
    counts = await _counts(ctx, "topic")
    topics = sorted(set(TOPIC_LABELS) | set(counts))
    if params["groups"]:
        topics = [t for t in topics if t in set(params["groups"])]
    topics = _window(topics, params["offset"], params["limit"])
    if not params["all_fields"]:
        return topics
    return [
        shapes.group_dict(t, counts.get(t, 0) if params["include_dataset_count"] else None)
        for t in topics
    ]


async def tag_list(ctx: ActionContext, params: dict[str, Any]) -> list[Any]:
    """Every keyword of a public dataset; `query` keeps those containing it; `all_fields`."""
    keywords = sorted({k for d in await _all_datasets(ctx) for k in d.keywords})
    if params["query"]:
        needle = params["query"].casefold()
        keywords = [k for k in keywords if needle in k.casefold()]
    return [shapes.tag_dict(k) for k in keywords] if params["all_fields"] else keywords


# ---------------------------------------------------------------------------------- resources


async def resource_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One resource by id (the GraphQL Resource ID); `url` is its CSV download."""
    resource = await _resource_for(ctx, params["id"])
    record = await _records_of_resource(ctx, resource)
    return shapes.resource_dict(record, resource, ctx.urls)


def _sort_keys(text: str | None, visible: list[str]) -> tuple[tuple[str, bool], ...]:
    """'field asc, other desc' with visible fields only."""
    keys = []
    for part in (text or "").split(","):
        words = part.split()
        if not words:
            continue
        name, direction = words[0].strip('"'), (words[1].lower() if len(words) > 1 else "asc")
        if name not in visible or direction not in ("asc", "desc") or len(words) > 2:
            raise invalid(
                "sort",
                f"`sort` tidak sah: '{part.strip()}' (kolom terbuka lalu asc atau desc).",
                f"Invalid `sort`: '{part.strip()}' (a public field, then asc or desc).",
            )
        keys.append((name, direction == "desc"))
    return tuple(keys)


async def datastore_search(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Rows of a resource anyone may see: resource_id, filters ({field: value or [values]}),
    q, limit (capped, said in `warnings`), offset, sort ('field asc, other desc'), fields,
    include_total, records_format (objects or lists). Withheld fields are never listed,
    withheld rows never counted; a dataset withheld whole answers Authorization Error."""
    resource = await _resource_for(ctx, params["resource_id"])
    record = await _records_of_resource(ctx, resource)
    record.policy.require_content()
    public_fields = record.visible_fields(resource)
    names = [f.name for f in public_fields]
    selected = params["fields"] or names
    for name in selected:
        if name not in names:
            raise invalid(
                "fields",
                f"Kolom '{name}' tidak ada atau dikecualikan.",
                f"Field '{name}' does not exist or is withheld.",
            )
    limit, warnings = _capped(params["limit"], ctx.services.settings.limits.rows_page_max, "limit")
    query = row_adapter.RowQuery(
        filters=row_adapter.check_filters(
            params["filters"] or {},
            queries.resource_fields(resource),
            record.policy,
            "filters",
        ),
        text=params["q"] or "",
        sort=_sort_keys(params["sort"], names),
        offset=params["offset"],
        limit=limit,
    )
    total, records = await row_adapter.visible_rows(
        ctx.services, resource, record.policy, selected, query
    )
    by_name = {f.name: f for f in public_fields}
    fields = [{"id": "_id", "type": "int"}] + [
        {
            "id": name,
            "type": DATASTORE_TYPES.get(by_name[name].type, "text"),
            "info": {"label": by_name[name].title or name},
        }
        for name in selected
    ]
    shown_records: list[Any] = records
    if params["records_format"] == "lists":
        shown_records = [[r["_id"], *(r[name] for name in selected)] for r in records]
    resource_id = params["resource_id"]
    action = ctx.urls.route("ckan_action", action="datastore_search")
    result: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": fields,
        "records_format": params["records_format"],
        "records": shown_records,
        "limit": limit,
        "offset": params["offset"],
        "include_total": params["include_total"],
        "_links": {
            "start": f"{action}?resource_id={resource_id}",
            "next": f"{action}?resource_id={resource_id}&offset={params['offset'] + limit}",
        },
    }
    if params["include_total"]:
        result["total"] = total
        result["total_was_estimated"] = False
    for echoed in ("filters", "q", "sort"):
        if params[echoed]:
            result[echoed] = params[echoed]
    if warnings:
        result["warnings"] = warnings
    return result


async def _records_of_resource(ctx: ActionContext, resource: Resource) -> DatasetRecord:
    async with ctx.services.database.session() as session:
        dataset = (await queries.datasets_by_ids(session, [resource.dataset_id]))[0]
        assert dataset is not None  # resources_by_ids only finds resources of live datasets
        return (await load_records(session, [dataset]))[0]


# ------------------------------------------------------------------------------------- site


async def status_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """What this site is and which CKAN API level it answers."""
    from opendata.harvest.vocabulary import CATALOG_DESCRIPTION_ID, CATALOG_TITLE_ID

    return {
        "site_title": CATALOG_TITLE_ID,
        "site_description": CATALOG_DESCRIPTION_ID,
        "site_url": ctx.urls.base,
        "ckan_version": CKAN_COMPATIBLE_VERSION,
        "api_version": 3,
        "locale_default": "id",
        "extensions": ["datastore", "dcat"],
        "software": "opendata",
    }


async def help_show(ctx: ActionContext, params: dict[str, Any]) -> str:
    """The help text of an action. Parameter: name."""
    action = ACTIONS.get(params["name"])
    if action is None:
        raise not_found("Aksi", "Action", params["name"], field="name")
    return action.help


_LIST_PARAMS = {
    "all_fields": Param("bool", False),
    "include_dataset_count": Param("bool", True),
    "limit": Param("int", None, minimum=0, maximum=MAX_LISTED),
    "offset": Param("int", 0, minimum=0),
    "sort": Param("str", None, choices=("name asc", "title asc", "name", "title")),
}

ACTIONS: dict[str, Action] = {
    "package_list": Action(
        package_list,
        {
            "limit": Param("int", None, minimum=0, maximum=MAX_LISTED),
            "offset": Param("int", 0, minimum=0),
        },
    ),
    "package_show": Action(
        package_show, {"id": Param(required=True), "use_default_schema": Param("bool", False)}
    ),
    "package_search": Action(
        package_search,
        {
            "q": Param("str", ""),
            "fq": Param("str", ""),
            "rows": Param("int", 10, minimum=0, maximum=1_000_000),
            "start": Param("int", 0, minimum=0, maximum=MAX_LISTED * 100),
            "sort": Param("str", None),
            "facet": Param("bool", True),
            "facet.field": Param("list", []),
            "facet.limit": Param("int", 50, minimum=-1, maximum=1000),
            "include_private": Param("bool", False),
        },
    ),
    "organization_list": Action(
        organization_list, {**_LIST_PARAMS, "organizations": Param("list", [])}
    ),
    "organization_show": Action(
        organization_show,
        {"id": Param(required=True), "include_datasets": Param("bool", False)},
    ),
    "group_list": Action(group_list, {**_LIST_PARAMS, "groups": Param("list", [])}),
    "tag_list": Action(tag_list, {"query": Param("str", None), "all_fields": Param("bool", False)}),
    "resource_show": Action(resource_show, {"id": Param(required=True)}),
    "datastore_search": Action(
        datastore_search,
        {
            "resource_id": Param(required=True),
            "filters": Param("dict", None),
            "q": Param("str", None),
            "limit": Param("int", 100, minimum=0, maximum=1_000_000),
            "offset": Param("int", 0, minimum=0),
            "sort": Param("str", None),
            "fields": Param("list", []),
            "include_total": Param("bool", True),
            "records_format": Param("str", "objects", choices=("objects", "lists")),
        },
    ),
    "status_show": Action(status_show),
    "help_show": Action(help_show, {"name": Param(required=True)}),
}
