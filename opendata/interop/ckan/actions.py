"""The explicit table of actions: each name, its function and its declared parameters.

Unlike CKAN's scan of modules, nothing becomes an action unless it is listed here; the
parameters of each are data (`Param`), so unknown keys and bad types are refused before
the action runs.
"""

from __future__ import annotations

from typing import Any

from opendata.errors import not_found
from opendata.interop.ckan.action import MAX_LISTED, Action, ActionContext
from opendata.interop.ckan.datastore import datastore_search, resource_show
from opendata.interop.ckan.groups import group_list, organization_list, organization_show, tag_list
from opendata.interop.ckan.packages import (
    package_list,
    package_search,
    package_show,
)
from opendata.interop.ckan.params import Param
from opendata.interop.vocabulary import CATALOG_DESCRIPTION_ID, CATALOG_TITLE_ID

CKAN_COMPATIBLE_VERSION = "2.10.0"


async def status_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """What this site is and which CKAN API level it answers."""
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
