"""package_list, package_show and package_search: datasets as CKAN packages.

Search goes through the resolvers' `datasets` search (ranked with `q`, browsed without);
`fq` is a whitelisted subset of Solr syntax (`fq.py`); rows are capped and the cap is said.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement

from opendata.catalogue import queries
from opendata.catalogue.queries import FacetCount
from opendata.db.models import Dataset
from opendata.interop.ckan import shapes
from opendata.interop.ckan.action import (
    ActionContext,
    all_datasets,
    capped,
    dataset_for,
    records_of,
    window,
)
from opendata.interop.ckan.errors import invalid
from opendata.interop.ckan.fq import PackageFilter, parse_fq
from opendata.resolvers.catalogue import find_datasets

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


async def package_list(ctx: ActionContext, params: dict[str, Any]) -> list[str]:
    """The names (slugs) of every public dataset, by title. Parameters: limit, offset."""
    slugs = [d.slug for d in await all_datasets(ctx)]
    return window(slugs, params["offset"], params["limit"])


async def package_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One dataset by name or id, with its organization, groups, tags and resources."""
    (record,) = await records_of(ctx, [await dataset_for(ctx, params["id"])])
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
            ctx.scope,
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
    async with ctx.scope.database.session() as session:
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
    rows, warnings = capped(params["rows"], ctx.page_max, "rows")
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
            ctx.scope,
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
        "results": [shapes.package_dict(r, ctx.urls) for r in await records_of(ctx, datasets)],
    }
    if warnings:
        result["warnings"] = warnings
    return result
