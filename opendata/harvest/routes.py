"""The harvesting doors' routes, named so every absolute URL is built from them."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from opendata.harvest.ckan.endpoint import CkanEndpoint
from opendata.services import Services


def harvest_routes(services: Services) -> list[BaseRoute]:
    ckan = CkanEndpoint(services)
    return [
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
