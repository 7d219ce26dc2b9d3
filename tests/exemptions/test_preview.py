"""The exemption preview: its counts are what the save then removes (rows through `rows`'
totalCount, fields, and searches through the search service), and it saves nothing."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.db.models import Exemption
from opendata.errors import BadUserInput, Forbidden, Unauthenticated
from opendata.exemptions.preview import preview_exemption
from opendata.exemptions.service import ExemptionRequest, add_exemption
from opendata.search.query import SearchQuery
from opendata.services import Services
from tests.conftest import asgi_client
from tests.portal.catalog import portal_catalog

DBD = "kasus-dbd-per-kecamatan"
TBC = "register-pasien-tbc"
ROWS = """query($slug: String!) {
  dataset(slug: $slug) { resources { fields { name withheld } rows(first: 1) { totalCount } } }
}"""


@dataclass
class Desk:
    services: Services
    client: httpx.AsyncClient
    officer: Viewer
    other_officer: Viewer
    catalog: Path

    async def visible(self, slug: str) -> tuple[int, set[str]]:
        """(rows anyone can count, fields anyone can read) of the dataset's first resource,
        through GraphQL; a dataset withheld whole shows no rows."""
        body = (
            await self.client.post("/graphql", json={"query": ROWS, "variables": {"slug": slug}})
        ).json()
        resource = body["data"]["dataset"]["resources"][0]
        rows = resource["rows"]["totalCount"] if resource["rows"] else 0
        return rows, {f["name"] for f in resource["fields"] if not f["withheld"]}

    async def finds(self, text: str, slug: str) -> bool:
        query = SearchQuery(text, limit=50, with_facets=False, with_highlights=False)
        results = await self.services.search.search(query)
        return any(hit.slug == slug for hit in results.hits)

    def cell_values(self, slug: str, resource: str) -> set[str]:
        with (self.catalog / "dinkes" / slug / f"{resource}.csv").open() as rows:
            return {value for row in csv.DictReader(rows) for value in row.values()}

    async def exemptions(self) -> int:
        async with self.services.database.session() as session:
            return int(await session.scalar(select(func.count()).select_from(Exemption)) or 0)


@pytest.fixture
async def desk(services: Services, tmp_path: Path) -> AsyncIterator[Desk]:
    catalog = portal_catalog(tmp_path / "catalog")
    assert (await load_catalog(services, catalog)).ok

    async def officer(email: str, agency: str) -> Viewer:
        made = await create_user(
            services.database, email=email, name=email, role="OFFICER", agency_slug=agency
        )
        return made.viewer

    async with asgi_client(create_app(services)) as client:
        yield Desk(
            services,
            client,
            await officer("ppid@dinkes.test", "dinkes"),
            await officer("ppid@bpbd.test", "bpbd"),
            catalog,
        )


def draft(slug: str, scope: str, **rest: object) -> ExemptionRequest:
    return ExemptionRequest(
        dataset_slug=slug,
        scope=scope,
        basis="PASAL_17H",
        consequence_test="Orangnya dapat dikenali.",
        **rest,  # type: ignore[arg-type]
    )


DRAFTS = {
    "row": (DBD, "kasus", draft(DBD, "ROW", row_filter={"kecamatan": "Sungai Kakap"})),
    "field": (DBD, "kasus", draft(DBD, "FIELD", field="kecamatan")),
    "whole": (TBC, "register", draft(TBC, "DATASET")),
}


@pytest.mark.parametrize("name", sorted(DRAFTS))
async def test_the_preview_counts_are_what_the_save_removes_and_the_preview_saves_nothing(
    desk: Desk, name: str
) -> None:
    slug, resource, request = DRAFTS[name]
    values = desk.cell_values(slug, resource)
    rows_before, fields_before = await desk.visible(slug)
    found_before = {value for value in values if await desk.finds(value, slug)}
    exemptions_before = await desk.exemptions()

    preview = await preview_exemption(desk.services, desk.officer, request)

    # nothing saved, nothing changed for anyone
    assert await desk.exemptions() == exemptions_before
    assert await desk.visible(slug) == (rows_before, fields_before)
    assert {value for value in values if await desk.finds(value, slug)} == found_before

    await add_exemption(desk.services, desk.officer, request)
    rows_after, fields_after = await desk.visible(slug)
    found_after = {value for value in values if await desk.finds(value, slug)}
    assert preview.rows_hidden == rows_before - rows_after
    assert set(preview.withheld_fields) == fields_before - fields_after
    assert preview.search_values_lost == len(found_before - found_after)
    assert preview.withheld_whole == (name == "whole")
    assert preview.search_values_lost > 0


async def test_the_preview_is_refused_exactly_like_the_save(desk: Desk) -> None:
    request = DRAFTS["row"][2]
    before = await desk.exemptions()
    with pytest.raises(Unauthenticated):
        await preview_exemption(desk.services, None, request)
    with pytest.raises(Forbidden):
        await preview_exemption(desk.services, desk.other_officer, request)
    with pytest.raises(BadUserInput, match=r"Pasal 18 ayat \(1\)"):  # periodic data, whole
        await preview_exemption(desk.services, desk.officer, draft(DBD, "DATASET"))
    with pytest.raises(BadUserInput, match="consequence test is required"):
        blank = ExemptionRequest(DBD, "FIELD", "PASAL_17H", " ", field="kecamatan")
        await preview_exemption(desk.services, desk.officer, blank)
    assert await desk.exemptions() == before
