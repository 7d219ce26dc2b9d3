"""Exemption resolvers: parse arguments, call the exemption domain, refresh the loaders."""

from __future__ import annotations

from opendata.catalogue import queries
from opendata.db.models import Dataset, Exemption
from opendata.errors import not_found
from opendata.exemptions import register, service
from opendata.public_ids import from_global_id
from opendata.request_scope import RequestScope
from opendata.resolvers.catalogue import OffsetWindow, require_dataset


async def add_exemption(scope: RequestScope, request: service.ExemptionRequest) -> Exemption:
    exemption = await service.add_exemption(scope, scope.viewer, request)
    scope.forget_loaders()
    return exemption


async def revoke_exemption(scope: RequestScope, global_id: str, reason: str) -> Exemption:
    service.require_signed_in(scope.viewer)  # before parsing: anonymous callers learn nothing
    _, pk = from_global_id(global_id, expected="Exemption")
    exemption = await service.revoke_exemption(scope, scope.viewer, pk, reason)
    scope.forget_loaders()
    return exemption


async def withheld_datasets(
    scope: RequestScope, agency_slug: str, first: int, after: str | None
) -> tuple[OffsetWindow, list[Dataset], int]:
    window = OffsetWindow.parse(
        f"withheld:{agency_slug}", first, after, scope.settings.limits.page_max
    )
    async with scope.database.session() as session:
        agency = await queries.agency_by_slug(session, agency_slug)
        if agency is None:
            raise not_found("Instansi", "Agency", agency_slug, field="agency")
        datasets, total = await register.withheld_datasets_page(
            session, agency, window.offset, window.limit
        )
    return window, datasets, total


async def exemption_history(scope: RequestScope, dataset_slug: str) -> list[Exemption]:
    dataset = await require_dataset(scope, dataset_slug)
    async with scope.database.session() as session:
        return await register.exemption_history(session, dataset)
