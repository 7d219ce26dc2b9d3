"""package_list, package_show and package_search: datasets as CKAN packages.

package_search reads `q`, `fq` and `fq_list` with one grammar (`solr.py`) and evaluates them
over the listed datasets (`matching.py`): free text through the search index, fields on the
metadata package_show shows. It accepts every parameter CKAN 2.11's package_search takes
(its schema and `VALID_SOLR_PARAMETERS`), honours those the catalogue can answer and ignores
the ones only Solr or private datasets would use; rows are capped and the cap is said.
"""

from __future__ import annotations

import re
from typing import Any

from opendata.interop.ckan import shapes
from opendata.interop.ckan.action import (
    ActionContext,
    all_datasets,
    capped,
    record_for,
    records_of,
    window,
)
from opendata.interop.ckan.errors import invalid
from opendata.interop.ckan.matching import (
    DEFAULT_SORT,
    FACET_VALUES,
    Evaluator,
    candidates,
    facets,
    ordered,
    parse_sort,
)
from opendata.interop.ckan.solr import AllOf, Everything, Node, parse_query


async def package_list(ctx: ActionContext, params: dict[str, Any]) -> list[str]:
    """The names of every public dataset, in name order (as CKAN). Parameters: limit, offset."""
    slugs = sorted(d.slug for d in await all_datasets(ctx))
    return window(slugs, params["offset"], params["limit"])


async def package_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One dataset by name or id, with its organization, groups, tags and resources."""
    return shapes.package_dict(await record_for(ctx, params["id"]), ctx.urls)


def _query(params: dict[str, Any]) -> tuple[Node, str]:
    """q, fq and every fq_list entry as one tree (all must hold), and the argument to blame."""
    nodes: list[Node] = []
    for argument, texts in (
        ("q", [params["q"]]),
        ("fq", [params["fq"]]),
        ("fq_list", params["fq_list"]),
    ):
        for text in texts:
            if text.strip() not in ("", "*:*", "*", '""', "''"):
                nodes.append(parse_query(text, argument))
    blamed = "q" if params["q"].strip() else "fq"
    if not nodes:
        return Everything(), blamed
    return (nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))), blamed


def _field_list(value: list[str]) -> list[str]:
    """`fl`: names separated by commas or spaces (CKAN passes them on to Solr so)."""
    return [name for item in value for name in re.split(r"[\s,]+", item) if name]


async def package_search(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. q and fq (and fq_list) in Solr syntax: words, "phrases", AND, OR,
    NOT, -, +, (groups), field:value on name, title, notes, tags, organization, groups,
    res_format, license_id, id, ranges on metadata_modified and metadata_created
    ([2026-01-01T00:00:00Z TO *]). sort: id, name, title_string, metadata_modified,
    metadata_created or score, asc or desc (default score desc, metadata_modified desc).
    rows (capped, said in `warnings`), start, facet, facet.field (organization, groups,
    tags, res_format, license_id), facet.limit, facet.mincount, fl. Accepted and ignored as
    nothing here is private, draft or deleted, or Solr-only: include_private,
    include_drafts, include_deleted, use_default_schema, qf, wt, bf, boost, tie, defType,
    mm, df, extras and ext_* keys."""
    sort = parse_sort(params["sort"])
    facet_fields = params["facet.field"] if params["facet"] not in ("false", "False", "0") else []
    for name in facet_fields:
        if name not in FACET_VALUES:
            raise invalid(
                "facet.field",
                f"Facet '{name}' tidak didukung; pakai {', '.join(FACET_VALUES)}.",
                f"Facet '{name}' is not supported; use {', '.join(FACET_VALUES)}.",
            )
    query, argument = _query(params)
    listed = await candidates(ctx)
    evaluator = Evaluator(ctx, listed, argument)
    matched = await evaluator.ids(query)
    found = ordered((c for c in listed if c.dataset.id in matched), sort, evaluator.scores)
    rows, warnings = capped(params["rows"], ctx.page_max, "rows")
    start = params["start"]
    page = found[start : start + rows]
    plain, titled = facets(found, facet_fields, params["facet.limit"], params["facet.mincount"])
    packages = [
        shapes.package_dict(r, ctx.urls) for r in await records_of(ctx, [c.dataset for c in page])
    ]
    chosen = _field_list(params["fl"])
    if chosen and chosen != ["*"]:
        packages = [{k: p[k] for k in chosen if k in p} for p in packages]
    result: dict[str, Any] = {
        "count": len(found),
        "sort": params["sort"] or DEFAULT_SORT,
        "rows": rows,
        "rows_max": ctx.page_max,
        "facets": plain,
        "search_facets": titled,
        "results": packages,
    }
    if warnings:
        result["warnings"] = warnings
    return result
