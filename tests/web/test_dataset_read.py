"""`dataset(slug:)` reads the dataset, its agency and its policy in one statement, and
answers exactly what the separate loaders (`node(id:)`) answer: same exemptions in force,
same withheld fields, same rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.db.base import utcnow
from opendata.db.models import Exemption
from opendata.services import Services
from tests.catalogue.builders import NIK_EXEMPTION, ROW_EXEMPTION, write_agency, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, gql
from tests.web.test_statement_counts import count_statements

# in force: the NIK field and the rows under investigation; no longer: the expired one on
# `status` and the revoked one on `kasus` (their fields are shown)
EXPIRED = {**NIK_EXEMPTION, "field": "status", "decidedOn": "2020-01-01", "expiresOn": "2021-01-01"}
REVOKED = {**NIK_EXEMPTION, "field": "kasus"}  # revoked after loading (`revoke_kasus`)

SELECTION = """id slug title agency { name acronym } access
  resources { name fields { name withheld } rows(first: 10) { totalCount edges { node } } }
  exemptions { basis scope target }"""
BY_SLUG = f"query($slug: String!) {{ dataset(slug: $slug) {{ {SELECTION} }} }}"
BY_ID = f"query($id: ID!) {{ node(id: $id) {{ ... on Dataset {{ {SELECTION} }} }} }}"


async def load(services: Services, root: Path) -> None:
    await load_catalog(services, catalogue(root))
    async with services.database.write() as session:
        await session.execute(
            update(Exemption).where(Exemption.field == "kasus").values(revoked_at=utcnow())
        )


def catalogue(root: Path) -> Path:
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(
        root, "dinkes", "kasus-dbd", exemptions=[NIK_EXEMPTION, ROW_EXEMPTION, EXPIRED, REVOKED]
    )
    write_dataset(root, "dinkes", "kasus-terbuka")
    return root


async def test_dataset_by_slug_answers_as_the_separate_loaders(
    services: Services, tmp_path: Path
) -> None:
    await load(services, tmp_path / "cat")
    async with asgi_client(create_app(services)) as client:
        for slug in ("kasus-dbd", "kasus-terbuka"):
            by_slug = data(await gql(client, BY_SLUG, {"slug": slug}))["dataset"]
            by_id = data(await gql(client, BY_ID, {"id": by_slug["id"]}))["node"]
            assert by_slug == by_id
    withheld = {
        f["name"]: f["withheld"] for r in by_slug["resources"] for f in r["fields"]
    }  # kasus-terbuka: nothing withheld
    assert not any(withheld.values())


async def test_dataset_by_slug_withholds_only_what_is_in_force(
    services: Services, tmp_path: Path
) -> None:
    await load(services, tmp_path / "cat")
    async with asgi_client(create_app(services)) as client:
        found = data(await gql(client, BY_SLUG, {"slug": "kasus-dbd"}))["dataset"]
    assert found["access"] == "PARTIAL"
    assert sorted(e["scope"] for e in found["exemptions"]) == ["FIELD", "ROW"]
    (resource,) = found["resources"]
    withheld = {f["name"]: f["withheld"] for f in resource["fields"]}
    assert withheld == {
        "kecamatan": False,
        "tahun": False,
        "kasus": False,
        "nik": True,
        "status": False,
    }
    rows = [edge["node"] for edge in resource["rows"]["edges"]]
    assert resource["rows"]["totalCount"] == len(rows) == 3  # the row under investigation
    assert all(row["nik"] is None for row in rows)
    assert "dalam penyelidikan" not in {row["status"] for row in rows}


async def test_dataset_by_slug_reads_dataset_agency_policy_and_resources_in_one_statement(
    services: Services, tmp_path: Path
) -> None:
    await load(services, tmp_path / "cat")
    async with asgi_client(create_app(services)) as client:
        query = """query($slug: String!) { dataset(slug: $slug) { title agency { name }
          access resources { name fields { name withheld } } exemptions { basis } } }"""
        with count_statements(services) as statements:
            found = data(await gql(client, query, {"slug": "kasus-dbd"}))["dataset"]
    assert found["agency"]["name"] == "Dinas Kesehatan"
    # the endpoint's facts; the dataset with its agency, policy and resources
    assert len(statements) == 2, statements
    assert [r["name"] for r in found["resources"]] == ["kasus"]
