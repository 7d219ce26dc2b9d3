"""ckanext-dcat (the DCAT harvester CKAN portals run) reads our DCAT: every dataset gets a
`license_id` from CKAN's licence register, the EU access right, and our Pasal 17 statement.

Runs `ckanext.dcat.processors.RDFParser` with the `euro_dcat_ap_3` profile in the separate
CKAN 2.11 environment (tests/interop/ckan_env.py: skipped with the reason where it cannot be
built, required in CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.interop.ckan_env import ckan_python, run_client
from tests.interop.conftest import PARTLY_WITHHELD, PUBLIC, WITHHELD_WHOLE, World

ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"


async def _parsed(world: World, path: str, tmp_path: Path, suffix: str) -> list[Any]:
    ckan_python()  # skip before any work when the environment is missing
    response = await world.client.get(path)
    assert response.status_code == 200, response.text
    document = tmp_path / f"document.{suffix}"
    document.write_bytes(response.content)
    rdf_format = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}[suffix]
    parsed: list[Any] = run_client("dcat_parse", str(document), rdf_format)
    return parsed


@pytest.mark.parametrize("suffix", ["ttl", "rdf"])
async def test_every_harvested_dataset_has_a_licence_and_its_access_rights(
    world: World, tmp_path: Path, suffix: str
) -> None:
    datasets = await _parsed(world, f"/catalog.{suffix}", tmp_path, suffix)
    by_uri = {d["uri"].rsplit("/", 1)[-1]: d for d in datasets}
    assert set(by_uri) == {PUBLIC, PARTLY_WITHHELD, WITHHELD_WHOLE, "kejadian-banjir"}
    assert {d["license_id"] for d in datasets} == {"cc-by"}
    assert by_uri[PUBLIC]["access_rights"] == ACCESS_RIGHT + "PUBLIC"
    assert by_uri[PARTLY_WITHHELD]["access_rights"] == ACCESS_RIGHT + "RESTRICTED"
    assert by_uri[WITHHELD_WHOLE]["access_rights"] == ACCESS_RIGHT + "NON_PUBLIC"
    # the Pasal 17 explanation reaches each resource as its `rights`
    (resource,) = by_uri[WITHHELD_WHOLE]["resources"]
    assert "Pasal 17 huruf a" in resource["rights"] or "Article 17(a)" in resource["rights"]
    (resource,) = by_uri[PARTLY_WITHHELD]["resources"]
    assert "17 huruf h" in resource["rights"] or "17(h)" in resource["rights"]
    assert all(d["issued"] and d["modified"] for d in datasets)


async def test_a_dataset_document_alone(world: World, tmp_path: Path) -> None:
    (dataset,) = await _parsed(world, f"/dataset/{WITHHELD_WHOLE}.ttl", tmp_path, "ttl")
    assert dataset["license_id"] == "cc-by"
    assert dataset["access_rights"] == ACCESS_RIGHT + "NON_PUBLIC"
