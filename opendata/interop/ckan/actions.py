"""The explicit table of actions: each name, its function and its declared parameters.

Unlike CKAN's scan of modules, nothing becomes an action unless it is listed here; the
parameters of each are data (`Param`), so unknown keys and bad types are refused before
the action runs.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from opendata.errors import not_found
from opendata.interop.ckan.action import MAX_LISTED, Action, ActionContext
from opendata.interop.ckan.datastore import (
    DATASTORE_SEARCH_PARAMS,
    datastore_search,
    resource_show,
)
from opendata.interop.ckan.groups import (
    LIST_SORTS,
    group_list,
    group_show,
    organization_list,
    organization_show,
    tag_list,
    tag_show,
)
from opendata.interop.ckan.packages import (
    package_list,
    package_search,
    package_show,
)
from opendata.interop.ckan.params import Param
from opendata.interop.vocabulary import CATALOG_DESCRIPTION_ID, CATALOG_TITLE_ID


async def status_show(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """What this site is (opendata, not CKAN) and which CKAN API level it answers."""
    return {
        "site_title": CATALOG_TITLE_ID,
        "site_description": CATALOG_DESCRIPTION_ID,
        "site_url": ctx.urls.base,
        "api_version": 3,
        "locale_default": "id",
        "extensions": ["datastore", "dcat"],
        "software": "opendata",
        "software_version": _version(),
    }


def _version() -> str:
    try:
        return metadata.version("opendata")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


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
    "sort": Param("str", None, choices=LIST_SORTS),
}

# package_search's parameters: CKAN 2.11's default_package_search_schema and Solr's
# VALID_SOLR_PARAMETERS (ckan/lib/search/query.py), plus what package_search itself pops.
_IGNORED = Param("any")
_SEARCH_PARAMS = {
    "q": Param("str", ""),
    "fq": Param("str", ""),
    "fq_list": Param("list", []),
    "fl": Param("list", []),
    "rows": Param("int", 10, minimum=0, maximum=1_000_000),
    "start": Param("int", 0, minimum=0, maximum=MAX_LISTED * 100),
    "sort": Param("str", None),
    "facet": Param("str", "true"),
    "facet.field": Param("list", []),
    "facet.limit": Param("int", 50, minimum=-1, maximum=1000),
    "facet.mincount": Param("int", 1, minimum=0),
    "include_private": Param("bool", False),
    "include_drafts": Param("bool", False),
    "include_deleted": Param("bool", False),
    "use_default_schema": Param("bool", False),
    **dict.fromkeys(("qf", "wt", "bf", "boost", "tie", "defType", "mm", "df", "extras"), _IGNORED),
}
_SHOW_DATASETS = {"id": Param(required=True), "include_datasets": Param("bool", False)}

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
    "package_search": Action(package_search, _SEARCH_PARAMS, strict=True, open_prefix="ext_"),
    "organization_list": Action(
        organization_list, {**_LIST_PARAMS, "organizations": Param("list", [])}
    ),
    "organization_show": Action(organization_show, _SHOW_DATASETS),
    "group_list": Action(group_list, {**_LIST_PARAMS, "groups": Param("list", [])}),
    "group_show": Action(group_show, _SHOW_DATASETS),
    "tag_list": Action(tag_list, {"query": Param("str", None), "all_fields": Param("bool", False)}),
    "tag_show": Action(tag_show, _SHOW_DATASETS),
    "resource_show": Action(resource_show, {"id": Param(required=True)}),
    "datastore_search": Action(datastore_search, DATASTORE_SEARCH_PARAMS, strict=True),
    "status_show": Action(status_show),
    "help_show": Action(help_show, {"name": Param(required=True)}),
}
