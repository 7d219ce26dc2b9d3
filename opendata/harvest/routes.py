"""The harvesting doors' routes, named so every absolute URL is built from them."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from opendata.harvest.ckan.endpoint import CkanEndpoint
from opendata.harvest.dcat import FORMATS
from opendata.harvest.dcat_views import DcatEndpoint
from opendata.services import Services


def harvest_routes(services: Services) -> list[BaseRoute]:
    ckan = CkanEndpoint(services)
    dcat = DcatEndpoint(services)
    return [
        *(
            Route(f"/catalog.{suffix}", dcat.catalog, name=f"dcat_catalog_{suffix}")
            for suffix in FORMATS
        ),
        *(
            Route(f"/dataset/{{slug:str}}.{suffix}", dcat.dataset, name=f"dcat_dataset_{suffix}")
            for suffix in FORMATS
        ),
        Route(
            "/api/3/action/{action:str}", ckan.handle, methods=["GET", "POST"], name="ckan_action"
        ),
        Route(
            "/api/action/{action:str}",
            ckan.handle,
            methods=["GET", "POST"],
            name="ckan_action_unversioned",
        ),
    ]
