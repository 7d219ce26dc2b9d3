"""Tried as a new user would, on the demo catalogue: withheld names and NIKs stay hidden."""

from __future__ import annotations

import csv
from pathlib import Path

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.config import DEMO_CATALOG
from opendata.services import Services
from tests.conftest import asgi_client
from tests.exemptions.helpers import SEARCH, download
from tests.web.helpers import data, gql

DATASET = "register-pasien-tbc"


async def test_demo_withheld_nik_and_name_are_null_and_unsearchable(services: Services) -> None:
    assert (await load_catalog(services, DEMO_CATALOG)).ok
    source = next((DEMO_CATALOG / "dinkes" / DATASET).glob("*.csv"))
    with Path(source).open(newline="") as handle:
        first = next(csv.DictReader(handle))
    nik, name = first["nik_pasien"], first["nama_pasien"]
    async with asgi_client(create_app(services)) as client:
        for text in (nik, name):
            found = data(await gql(client, SEARCH, {"q": text}))["datasets"]
            assert DATASET not in [edge["node"]["slug"] for edge in found["edges"]]
            assert nik not in str(found) and name not in str(found)
        answer = await gql(
            client,
            """{ dataset(slug: "register-pasien-tbc") { access publicationMode resources { id
            downloadUrl fields { name withheld } rows(first: 1000) { edges { node } } } } }""",
        )
        dataset = answer["data"]["dataset"]
        assert dataset["access"] == "PARTIAL" and dataset["publicationMode"] == "AGGREGATES"
        resource = dataset["resources"][0]
        withheld = {f["name"] for f in resource["fields"] if f["withheld"]}
        assert {"nik_pasien", "nama_pasien"} <= withheld
        # a patient register is published as figures only: no row, no file, anywhere
        assert resource["rows"] is None and resource["downloadUrl"] is None
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"]
        refused = await download(client, resource["id"])
        assert refused.status_code == 403
        assert nik not in refused.text and name not in refused.text


async def test_demo_registers_of_people_are_aggregates_and_the_others_rows(
    services: Services,
) -> None:
    """The choice made for the demo (catalog/_generator/common.py PUBLICATION_MODES)."""
    assert (await load_catalog(services, DEMO_CATALOG)).ok
    async with asgi_client(create_app(services)) as client:
        found = data(
            await gql(client, "{ datasets(first: 100) { edges { node { slug publicationMode } } } }")
        )["datasets"]["edges"]
    aggregates = sorted(e["node"]["slug"] for e in found if e["node"]["publicationMode"] != "ROWS")
    assert aggregates == ["penerima-bantuan-sosial", "register-pasien-tbc"]
