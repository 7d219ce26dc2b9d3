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
        answer = data(
            await gql(
                client,
                """{ dataset(slug: "register-pasien-tbc") { access resources { id
                fields { name withheld } rows(first: 1000) { edges { node } } } } }""",
            )
        )["dataset"]
        assert answer["access"] == "PARTIAL"
        resource = answer["resources"][0]
        withheld = {f["name"] for f in resource["fields"] if f["withheld"]}
        assert {"nik_pasien", "nama_pasien"} <= withheld
        assert all(edge["node"]["nik_pasien"] is None for edge in resource["rows"]["edges"])
        text = (await download(client, resource["id"])).text
        assert nik not in text and name not in text
