"""The query-set rule's unfiltered total is cached (row_query.visible_total, per catalogue
generation and ROW exemptions in force): a new ROW exemption must change the answer at once,
in a filtered `aggregate` (and `rows` lists what the exemption leaves), on both backends."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.exemptions.service import ExemptionRequest, add_exemption
from opendata.services import Services
from tests.aggregate.catalogue import KATEGORI, laporan_csv, write_catalogue
from tests.aggregate.test_small_counts import AGGREGATE, MINIMUM, ROWS, SIZES, SMALLEST
from tests.conftest import asgi_client
from tests.web.helpers import data, error_codes, gql


def a_small_remainder() -> tuple[str, str]:
    """A big kecamatan and a kategori of it with 1..MINIMUM-1 visible rows: hiding its other
    kategori leaves a small group behind."""
    rows = csv.DictReader(io.StringIO(laporan_csv()))
    pairs = Counter(
        (r["kecamatan"], r["kategori"]) for r in rows if r["status"] != "dalam penyelidikan"
    )
    return next(
        (kecamatan, kategori)
        for (kecamatan, kategori), count in sorted(pairs.items())
        if kecamatan != SMALLEST and SIZES[kecamatan] >= MINIMUM and 0 < count < MINIMUM
    )


async def test_a_new_row_exemption_changes_the_total_the_rule_compares_with(
    services: Services, tmp_path: Path
) -> None:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM)
    assert (await load_catalog(services, root)).ok
    kecamatan, kept = a_small_remainder()
    leaves_it_out = {"kecamatan": {"ne": kecamatan}}
    count = {
        "slug": "laporan-warga",
        "where": leaves_it_out,
        "groupBy": [],
        "measures": [{"op": "COUNT"}],
    }
    async with asgi_client(create_app(services)) as client:
        body = await gql(client, ROWS, {"slug": "laporan-warga", "where": leaves_it_out})
        expected = sum(SIZES.values()) - SIZES[kecamatan]
        assert data(body)["dataset"]["resources"][0]["rows"]["totalCount"] == expected
        body = await gql(client, AGGREGATE, count)
        assert data(body)["dataset"]["resources"][0]["aggregate"]["groups"][0]["values"] == [
            expected
        ]
        admin = await create_user(
            services.database, email="admin@kab.test", name="admin", role="ADMIN"
        )
        for kategori in KATEGORI:
            if kategori != kept:
                await add_exemption(
                    services,
                    admin.viewer,
                    ExemptionRequest(
                        dataset_slug="laporan-warga",
                        scope="ROW",
                        basis="PASAL_17A",
                        consequence_test="Sedang diselidiki.",
                        row_filter={"kecamatan": kecamatan, "kategori": kategori},
                        expires_on=date(2099, 12, 31),
                    ),
                )
        # the same filter now leaves out only the few rows of `kept`: the aggregate refuses it
        assert error_codes(await gql(client, AGGREGATE, count)) == ["SMALL_CELL"]
        # rows of a ROWS dataset are listed, without the rows the new exemption withholds
        body = await gql(client, ROWS, {"slug": "laporan-warga", "where": leaves_it_out})
        assert data(body)["dataset"]["resources"][0]["rows"]["totalCount"] == expected
