"""resource_show and datastore_search: the rows anyone may see, in DataStore's shapes.

Rows come through the one rows adapter (`opendata.interop.rows`); withheld fields are never
listed in `fields` nor present in `records`, and a dataset withheld whole is refused.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

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
from opendata.interop.ckan.params import Param

RECORD_FORMATS = ("objects", "lists", "csv", "tsv")

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


# datastore_search's parameters: CKAN 2.11's datastore_search_schema
# (ckanext/datastore/logic/schema.py); `id` is another name of resource_id; unknown keys
# are refused, as there (`__junk`). `plain` and `language` only tune PostgreSQL's text
# search there; `total_estimation_threshold` only lets it estimate: counts here are exact.
DATASTORE_SEARCH_PARAMS: dict[str, Param] = {
    "resource_id": Param(),
    "id": Param(),
    "filters": Param("dict", None),
    "q": Param("any", None),
    "full_text": Param("str", None),
    "plain": Param("bool", True),
    "language": Param("str", None),
    "limit": Param("int", 100, minimum=0, maximum=1_000_000),
    "offset": Param("int", 0, minimum=0),
    "sort": Param("list", []),
    "fields": Param("list", []),
    "distinct": Param("bool", False),
    "include_total": Param("bool", True),
    "total_estimation_threshold": Param("int", None),
    "records_format": Param("str", "objects", choices=RECORD_FORMATS),
}


def _text_query(value: Any, visible: list[str]) -> tuple[str, dict[str, str]]:
    """`q`: a text any visible field contains, or {field: text} per field (JSON or object)."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        with contextlib.suppress(ValueError):  # not JSON: a text that starts with "{"
            value = json.loads(value)
    if value is None or isinstance(value, str):
        return value or "", {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise invalid(
            "q",
            "`q` harus teks atau objek {kolom: teks}.",
            "`q` must be a text or an object {field: text}.",
        )
    for name in value:
        if name not in visible:
            raise invalid(
                "q",
                f"Kolom '{name}' tidak ada atau dikecualikan.",
                f"Field '{name}' does not exist or is withheld.",
            )
    return "", dict(value)


def _links(ctx: ActionContext, offset: int, limit: int) -> dict[str, str]:
    """As CKAN's `_insert_links`: the request's own relative URL with every argument kept
    and only `offset` changed (dropped for `start`; `prev` while it stays above 0)."""
    kept = [(k, v) for k, v in ctx.arguments if k != "offset"]

    def link(new_offset: int | None) -> str:
        pairs = kept if new_offset is None else [*kept, ("offset", str(new_offset))]
        return f"{ctx.path}?{urlencode(pairs)}"

    links = {"start": link(None), "next": link(offset + limit)}
    if offset - limit > 0:
        links["prev"] = link(offset - limit)
    return links


def _delimited(records: list[dict[str, Any]], names: list[str], delimiter: str) -> str:
    """records_format csv/tsv: the values of each record in `fields` order, no header."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for record in records:
        writer.writerow(["" if record[n] is None else record[n] for n in names])
    return out.getvalue()


async def datastore_search(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Rows of a resource anyone may see: resource_id (or id), filters ({field: value or
    [values]}), q (a text, or {field: text}), full_text, distinct, limit (capped, said in
    `warnings`), offset, sort ('field asc, other desc' or a list), fields, include_total,
    records_format (objects, lists, csv, tsv). `_links` repeat the request with only the
    offset changed. Withheld fields are never listed, withheld rows never counted; a
    dataset withheld whole answers Authorization Error."""
    resource_key = params["resource_id"] or params["id"]
    if not resource_key:
        raise invalid("resource_id", "`resource_id` wajib diisi.", "`resource_id` is required.")
    resource = await resource_for(ctx, resource_key)
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
    text, field_texts = _text_query(params["q"], names)
    limit, warnings = capped(params["limit"], ctx.scope.settings.limits.rows_page_max, "limit")
    query = row_adapter.RowQuery(
        filters=row_adapter.check_filters(
            params["filters"] or {},
            queries.resource_fields(resource),
            record.policy,
            "filters",
        ),
        text=text or params["full_text"] or "",
        field_texts=field_texts,
        sort=_sort_keys(", ".join(params["sort"]), names),
        offset=params["offset"],
        limit=limit,
        distinct=params["distinct"],
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
    columns = ["_id", *selected]
    shown_records: Any = records
    records_format = params["records_format"]
    if records_format == "lists":
        shown_records = [[r[name] for name in columns] for r in records]
    elif records_format in ("csv", "tsv"):
        shown_records = _delimited(records, columns, "," if records_format == "csv" else "\t")
    result: dict[str, Any] = {
        "resource_id": resource_key,
        "fields": fields,
        "records_format": records_format,
        "records": shown_records,
        "limit": limit,
        "offset": params["offset"],
        "include_total": params["include_total"],
        "_links": _links(ctx, params["offset"], limit),
    }
    if params["include_total"]:
        result["total"] = total
        result["total_was_estimated"] = False
    for echoed in ("filters", "q", "sort", "distinct"):
        if params[echoed]:
            result[echoed] = params[echoed]
    if warnings:
        result["warnings"] = warnings
    return result
