"""A resource and its policy are kept across requests for one catalogue generation.

Paging through a resource's rows (`node(id:) { ... on Resource { rows } }`) read the
resource with its policy on every request; now a second request at the same generation
reads only the endpoint's facts and the page (it sent 3 statements before). A change that
bumps the generation (here a reload by another process, the CLI, adding an exemption) is
seen by the very next request: the withheld field is withheld at once.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.db.models import Dataset, Resource
from opendata.public_ids import to_global_id
from opendata.services import Services
from tests.catalogue.builders import NIK_EXEMPTION, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, gql
from tests.web.test_statement_counts import count_statements, many_datasets

ROWS = """query($r: ID!, $first: Int!) { node(id: $r) { ... on Resource {
  fields { name withheld } rows(first: $first) { edges { node } } } } }"""


async def _resource_id(services: Services, slug: str) -> str:
    async with services.database.session() as session:
        found = await session.scalar(select(Resource.id).join(Dataset).where(Dataset.slug == slug))
    return to_global_id("Resource", found)


async def test_a_resource_is_read_once_a_generation_and_an_exemption_applies_at_once(
    services: Services, tmp_path: Path
) -> None:
    root = many_datasets(tmp_path / "cat", 3)  # dataset-001 withholds nothing
    await load_catalog(services, root)
    resource = await _resource_id(services, "dataset-001")
    async with asgi_client(create_app(services)) as client:
        counts, niks = [], []
        for first in (5, 2):
            with count_statements(services) as statements:
                found = data(await gql(client, ROWS, {"r": resource, "first": first}))["node"]
            counts.append(len(statements))
            niks.append([edge["node"]["nik"] for edge in found["rows"]["edges"]])
        assert counts == [3, 2]  # facts, resource with policy, page; then facts, page
        assert all(all(page) for page in niks)

        # another process withholds `nik` (a reload with the exemption): a new generation
        write_dataset(root, "bpbd", "dataset-001", exemptions=[NIK_EXEMPTION])
        assert (await load_catalog(services, root)).ok
        found = data(await gql(client, ROWS, {"r": resource, "first": 5}))["node"]
        assert {f["name"]: f["withheld"] for f in found["fields"]}["nik"] is True
        assert [edge["node"]["nik"] for edge in found["rows"]["edges"]] == [None] * 4
