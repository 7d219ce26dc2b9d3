"""Organizations (our agencies), groups (our topics) and tags (our keywords)."""

from __future__ import annotations

from typing import Any

from opendata.catalogue import queries
from opendata.catalogue.queries import DatasetFilter
from opendata.catalogue.topics import TOPIC_LABELS, topic_label
from opendata.errors import not_found
from opendata.interop.ckan import shapes
from opendata.interop.ckan.action import (
    MAX_LISTED,
    ActionContext,
    agency_for,
    all_datasets,
    records_of,
    window,
)
from opendata.resolvers.catalogue import find_datasets


async def _counts(ctx: ActionContext, facet: str) -> dict[str, int]:
    async with ctx.scope.database.session() as session:
        facets = await queries.facet_counts(session, queries.filter_condition(DatasetFilter()))
    return {f.value: f.count for f in facets[facet]}


# organization_list and group_list's `sort` (CKAN: name, title or package_count, asc or desc;
# its default, `ckan.default_group_sort`, is title).
LIST_SORTS = tuple(
    f"{field}{direction}"
    for field in ("name", "title", "package_count")
    for direction in ("", " asc", " desc")
)


def _sorted_listing(
    items: list[Any], sort: str | None, name: Any, title: Any, count: Any
) -> list[Any]:
    field, _, direction = (sort or "title asc").partition(" ")
    key = {"name": name, "title": title, "package_count": count}[field]
    return sorted(items, key=key, reverse=direction == "desc")


async def organization_list(ctx: ActionContext, params: dict[str, Any]) -> list[Any]:
    """Organizations (our agencies) by name: names, or dicts with all_fields=true.
    Parameters: all_fields, include_dataset_count, organizations, limit, offset."""
    async with ctx.scope.database.session() as session:
        agencies, _ = await queries.agencies_page(session, 0, MAX_LISTED)
    if params["organizations"]:
        wanted = set(params["organizations"])
        agencies = [a for a in agencies if a.slug in wanted]
    counts = await _counts(ctx, "agency")
    agencies = _sorted_listing(
        agencies,
        params["sort"],
        name=lambda a: a.slug,
        title=lambda a: (a.name.casefold(), a.slug),
        count=lambda a: (counts.get(a.slug, 0), a.slug),
    )
    agencies = window(agencies, params["offset"], params["limit"])
    if not params["all_fields"]:
        return [a.slug for a in agencies]
    counted = params["include_dataset_count"]
    return [
        shapes.organization_dict(a, counts.get(a.slug, 0) if counted else None) for a in agencies
    ]


async def organization_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One organization by name or id; include_datasets=true adds its datasets as `packages`."""
    agency = await agency_for(ctx, params["id"])
    count = (await _counts(ctx, "agency")).get(agency.slug, 0)
    shown = shapes.organization_dict(agency, count)
    if params["include_datasets"]:
        shown["packages"] = await _packages(ctx, DatasetFilter(agencies=(agency.slug,)))
    return shown


async def group_list(ctx: ActionContext, params: dict[str, Any]) -> list[Any]:
    """Groups (our topics): names, or dicts with all_fields=true. Parameters: all_fields,
    include_dataset_count, groups, limit, offset."""
    counts = await _counts(ctx, "topic")
    topics = _sorted_listing(
        sorted(set(TOPIC_LABELS) | set(counts)),
        params["sort"],
        name=lambda t: t,
        title=lambda t: (topic_label(t)[0].casefold(), t),
        count=lambda t: (counts.get(t, 0), t),
    )
    if params["groups"]:
        topics = [t for t in topics if t in set(params["groups"])]
    topics = window(topics, params["offset"], params["limit"])
    if not params["all_fields"]:
        return topics
    return [
        shapes.group_dict(t, counts.get(t, 0) if params["include_dataset_count"] else None)
        for t in topics
    ]


async def tag_list(ctx: ActionContext, params: dict[str, Any]) -> list[Any]:
    """Every keyword of a public dataset; `query` keeps those containing it; `all_fields`."""
    keywords = sorted({k for d in await all_datasets(ctx) for k in d.keywords})
    if params["query"]:
        needle = params["query"].casefold()
        keywords = [k for k in keywords if needle in k.casefold()]
    return [shapes.tag_dict(k) for k in keywords] if params["all_fields"] else keywords


async def _packages(ctx: ActionContext, dataset_filter: DatasetFilter) -> list[dict[str, Any]]:
    """The first page of datasets a filter finds, as packages (include_datasets=true)."""
    page = await find_datasets(
        ctx.scope, "", dataset_filter, "TITLE", 0, ctx.page_max, with_facets=False
    )
    records = await records_of(ctx, [hit.dataset for hit in page.hits])
    return [shapes.package_dict(r, ctx.urls) for r in records]


async def group_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One group (our topic) by name; include_datasets=true adds its datasets as `packages`."""
    counts = await _counts(ctx, "topic")
    topic = params["id"]
    if topic not in TOPIC_LABELS and topic not in counts:
        raise not_found("Grup", "Group", topic, field="id")
    shown = shapes.group_dict(topic, counts.get(topic, 0))
    if params["include_datasets"]:
        shown["packages"] = await _packages(ctx, DatasetFilter(topics=(topic,)))
    return shown


async def tag_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One tag (a keyword of a public dataset) by name; include_datasets=true adds the
    datasets carrying it as `packages`."""
    tag = params["id"]
    tagged = [d for d in await all_datasets(ctx) if tag in d.keywords]
    if not tagged:
        raise not_found("Tag", "Tag", tag, field="id")
    shown = shapes.tag_dict(tag)
    if params["include_datasets"]:
        records = await records_of(ctx, tagged[: ctx.page_max])
        shown["packages"] = [shapes.package_dict(r, ctx.urls) for r in records]
    return shown
