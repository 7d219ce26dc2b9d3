"""SQL statements per query are constant: DataLoaders batch every level, whatever N is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.catalogue.builders import NIK_EXEMPTION, write_agency, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

DATASETS_QUERY = """query($n: Int!) { datasets(first: $n) { totalCount edges { node {
  agency { name } access resources { fields { name withheld } rows(first: 5) { totalCount edges { node } } }
  exemptions { basis } } } } }"""


@contextmanager
def listening(services: Services, record: Callable[..., None]) -> Iterator[None]:
    """`record` called with each statement sent meanwhile (`before_cursor_execute`'s
    arguments: connection, cursor, statement, parameters, context, many)."""
    engine = services.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def count_statements(services: Services) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    with listening(services, record):
        yield statements


def many_datasets(root: Path, count: int) -> Path:
    for agency in ("dinkes", "bpbd", "dlh"):
        write_agency(root, agency, f"Instansi {agency}", agency.upper())
    for index in range(count):
        agency = ("dinkes", "bpbd", "dlh")[index % 3]
        exemptions = [NIK_EXEMPTION] if index % 4 == 0 else []
        write_dataset(root, agency, f"dataset-{index:03d}", exemptions=exemptions)
    return root


async def test_datasets_query_issues_the_same_statements_for_5_and_100(
    services: Services, tmp_path: Path
) -> None:
    await load_catalog(services, many_datasets(tmp_path / "cat", 100))
    async with asgi_client(create_app(services)) as client:
        counts = {}
        for n in (5, 20, 100):
            with count_statements(services) as statements:
                result = data(await gql(client, DATASETS_QUERY, {"n": n}))
            assert len(result["datasets"]["edges"]) == n
            counts[n] = len(statements)
    assert counts[5] == counts[20] == counts[100], counts
    assert counts[5] <= 12, counts


REGISTER_QUERY = """query($n: Int!) { informationRequests(first: $n) { totalCount edges { node {
  registrationNumber status dueOn agency { name } timeline { status at actorRole } } } } }"""


async def test_register_issues_the_same_statements_for_5_and_100(
    services: Services, tmp_path: Path
) -> None:
    from opendata.accounts.service import create_user
    from opendata.information_requests.service import FilingForm, RequesterDetails, file_request

    await load_catalog(services, many_datasets(tmp_path / "cat", 3))
    officers = {}
    for agency in ("dinkes", "bpbd"):
        created = await create_user(
            services.database,
            email=f"ppid@{agency}.example",
            name="PPID",
            role="OFFICER",
            agency_slug=agency,
        )
        officers[agency] = created.viewer
    for index in range(100):
        agency = ("dinkes", "bpbd")[index % 2]
        form = FilingForm(
            agency_slug=agency,
            information_requested=f"Data {index}",
            purpose="Riset",
            delivery_form="SOFT_COPY",
            requester=RequesterDetails(name="Warga", address="Jl. Uji 1"),
        )
        await file_request(services, officers[agency], form)
    async with asgi_client(create_app(services)) as client:
        counts = {}
        for n in (5, 100):
            with count_statements(services) as statements:
                result = data(await gql(client, REGISTER_QUERY, {"n": n}))
            assert len(result["informationRequests"]["edges"]) == n
            assert all(edge["node"]["timeline"] for edge in result["informationRequests"]["edges"])
            counts[n] = len(statements)
    assert counts[5] == counts[100], counts


NODE_ROWS_QUERY = """query($r: ID!) { node(id: $r) { ... on Resource {
  fields { name withheld } rows(first: 5) { edges { node } } } } }"""


async def test_a_resources_rows_read_the_resource_with_its_policy_in_one_statement(
    services: Services, tmp_path: Path
) -> None:
    """`node(id:)` on a resource, its fields and rows: the endpoint's facts, the resource
    with its dataset's policy, the page; and the policy read with it withholds `nik`."""
    from sqlalchemy import select

    from opendata.db.models import Dataset, Resource
    from opendata.public_ids import to_global_id

    await load_catalog(services, many_datasets(tmp_path / "cat", 3))  # 000 withholds nik
    async with services.database.session() as session:
        ids = {
            slug: to_global_id("Resource", resource_id)
            for slug, resource_id in await session.execute(
                select(Dataset.slug, Resource.id).join(Resource)
            )
        }
    async with asgi_client(create_app(services)) as client:
        for slug, withheld in (("dataset-000", True), ("dataset-001", False)):
            with count_statements(services) as statements:
                resource = data(await gql(client, NODE_ROWS_QUERY, {"r": ids[slug]}))["node"]
            assert len(statements) == 3, statements
            assert {f["name"]: f["withheld"] for f in resource["fields"]}["nik"] is withheld
            niks = [edge["node"]["nik"] for edge in resource["rows"]["edges"]]
            assert len(niks) == 4
            assert all(nik is None for nik in niks) if withheld else all(niks)
