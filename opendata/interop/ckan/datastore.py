"""resource_show and datastore_search: the rows anyone may see, in DataStore's shapes.

Rows come through the one rows adapter (`opendata.interop.rows`); withheld fields are never
listed in `fields` nor present in `records`, and a dataset withheld whole is refused.
"""

from __future__ import annotations

from typing import Any

from opendata.catalogue import queries
from opendata.interop import rows as row_adapter
from opendata.interop.ckan import shapes
from opendata.interop.ckan.action import (
    ActionContext,
    capped,
    record_of_resource,
    resource_for,
)
from opendata.interop.ckan.errors import invalid

# Frictionless field types onto DataStore column types.
DATASTORE_TYPES: dict[str, str] = {
    "string": "text",
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
}


async def resource_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """One resource by id (the GraphQL Resource ID); `url` is its CSV download."""
    resource = await resource_for(ctx, params["id"])
    record = await record_of_resource(ctx, resource)
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
    resource = await resource_for(ctx, params["resource_id"])
    record = await record_of_resource(ctx, resource)
    record.policy.require_rows()
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
    limit, warnings = capped(params["limit"], ctx.scope.settings.limits.rows_page_max, "limit")
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
        ctx.scope.database, resource, record.policy, selected, query
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
