"""A push onto a dataset only a catalogue load has published keeps what that load declared.

The first push stages the stored metadata as the version's data package; a rollback to that
version reads the package back. A key left out of it falls back to its default on rollback:
`publicationMode` would fall back to ROWS and publish the rows of an aggregates-only register.
"""

from __future__ import annotations

from pathlib import Path

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.apps.registry import add_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.apps.conftest import OPEN_DATASET, make_rows, push
from tests.catalogue.builders import small_catalog, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

MODE = """query($slug: String!) { dataset(slug: $slug) { publicationMode updateFrequency } }"""
ROLLBACK = """mutation($dataset: String!, $to: Int!) {
  rollbackDataset(dataset: $dataset, toVersion: $to) { slug } }"""


async def test_a_rollback_to_the_first_push_keeps_the_dataset_aggregates_only(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "catalog")
    write_dataset(
        root,
        "dinkes",
        OPEN_DATASET,
        title="Cakupan Imunisasi Dasar",
        publicationMode="AGGREGATES",
        updateFrequency="MONTHLY",
    )
    summary = await load_catalog(services, root)
    assert summary.ok, summary.refused
    app = await add_app(
        services.database, name="RT Online", agency_slug="dinkes", dataset_slugs=[OPEN_DATASET]
    )
    steward = await create_user(
        services.database, email="walidata@kominfo.test", name="Walidata", role="DATA_STEWARD"
    )
    declared = {"publicationMode": "AGGREGATES", "updateFrequency": "MONTHLY"}
    async with asgi_client(create_app(services)) as client:
        assert (await push(client, app.token, make_rows(3), key="one")).status_code == 200
        assert (await push(client, app.token, make_rows(2), key="two")).status_code == 200
        mode = data(await gql(client, MODE, {"slug": OPEN_DATASET}))["dataset"]
        assert mode == declared
        data(await gql(client, ROLLBACK, {"dataset": OPEN_DATASET, "to": 1}, steward.token))
        mode = data(await gql(client, MODE, {"slug": OPEN_DATASET}))["dataset"]
    assert mode == declared
