"""The dataset page by publication mode. ROWS: a filter selecting few rows is listed in its
resource's section (the query-set rule no longer refuses row listings). AGGREGATES: a notice
in the visitor's language where the table would be, no table, no filter form, no CSV link,
and a chart without the small groups. Both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.aggregate.catalogue import write_catalogue
from tests.aggregate.test_small_counts import MINIMUM, SIZES, SMALLEST
from tests.conftest import asgi_client


def sections(html: str) -> list[str]:
    """The resource sections of a dataset page, in order."""
    return [part.split("</section>")[0] for part in html.split('<section class="resource"')[1:]]


async def test_a_small_filter_of_a_rows_dataset_is_listed_in_its_section(
    services: Services, tmp_path: Path
) -> None:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM)
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        page = await client.get(
            "/dataset/laporan-warga",
            params={"res": "laporan", "col": "kecamatan", "val": SMALLEST, "lang": "en"},
        )
    assert page.status_code == 200
    (section,) = sections(page.text)
    assert 'role="alert"' not in section and f"{SIZES[SMALLEST]} rows" in section
    assert section.count(f">{SMALLEST}</td>") == SIZES[SMALLEST]
    assert "/download/" in section


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "published as figures only"), ("id", "hanya sebagai angka")]
)
async def test_an_aggregates_dataset_shows_a_notice_and_no_row(
    services: Services, tmp_path: Path, lang: str, message: str
) -> None:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM, laporan_mode="AGGREGATES")
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        page = await client.get(
            "/dataset/laporan-warga",
            # a filter in the address changes nothing: there is no table to filter
            params={"res": "laporan", "col": "kecamatan", "val": SMALLEST, "lang": lang},
        )
    assert page.status_code == 200
    (section,) = sections(page.text)
    assert 'role="status"' in section and message in section
    assert "<tbody>" not in section and "<form" not in section and "/download/" not in page.text
    # the chart of the whole register, its small group (and the complement) left out
    assert "<svg" in section and SMALLEST not in section
    assert 'class="notice"' in page.text  # the exemption notice stays
