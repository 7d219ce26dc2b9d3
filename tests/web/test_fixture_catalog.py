"""A hand-written catalogue folder (tests/fixtures/catalog_small) through the whole path:
loader, search index and API, on SQLite (whoosh) and PostgreSQL (PostgreSQL search)."""

from __future__ import annotations

from pathlib import Path

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

SEARCH = """query($q: String!) { datasets(query: $q) { totalCount
  edges { highlight node { slug } } facets { agency { value count } } } }"""


async def test_hand_written_catalogue_is_found_by_place_and_hides_the_nik(
    services: Services, fixtures_dir: Path
) -> None:
    summary = await load_catalog(services, fixtures_dir / "catalog_small")
    assert summary.ok and len(summary.added) == 4
    async with asgi_client(create_app(services)) as client:
        kakap = data(await gql(client, SEARCH, {"q": "Sungai Kakap"}))["datasets"]
        assert "kasus-dbd-per-kecamatan" in [edge["node"]["slug"] for edge in kakap["edges"]]
        assert sum(f["count"] for f in kakap["facets"]["agency"]) == kakap["totalCount"]
        nik = data(await gql(client, SEARCH, {"q": "6112000000000001"}))["datasets"]
        assert nik["totalCount"] == 0
        tbc = data(await gql(client, SEARCH, {"q": "tuberkulosis"}))["datasets"]
        assert [edge["node"]["slug"] for edge in tbc["edges"]][:1] == ["register-pasien-tbc"]
        assert all("6112" not in (edge["highlight"] or "") for edge in tbc["edges"])
