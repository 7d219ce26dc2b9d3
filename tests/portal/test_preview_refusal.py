"""The dataset page when the preview's filter is refused by the query-set rule
(opendata/visibility/disclosure_control.py): the refusal is shown inside that resource's section,
with the form to change the filter, and the rest of the page stays (status 200); the small
count shows nowhere. Both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.aggregate.catalogue import (
    LAPORAN_FIELDS,
    PERSONAL,
    UNDER_INVESTIGATION,
    laporan_csv,
    resource,
    write_catalogue,
)
from tests.aggregate.test_small_counts import MINIMUM, SIZES, SMALLEST
from tests.catalogue.builders import write_dataset
from tests.conftest import asgi_client


def sections(html: str) -> list[str]:
    """The resource sections of a dataset page, in order."""
    return [part.split("</section>")[0] for part in html.split('<section class="resource"')[1:]]


@pytest.mark.parametrize(("lang", "message"), [("en", "personal data"), ("id", "data pribadi")])
async def test_a_refused_filter_is_shown_in_its_section_and_the_page_stays(
    services: Services, tmp_path: Path, lang: str, message: str
) -> None:
    root = write_catalogue(tmp_path / "cat", minimum_cell_size=MINIMUM)
    write_dataset(  # the same register as two resources: one is filtered, one is not
        root,
        "diskominfo",
        "laporan-warga",
        csv_text=laporan_csv(),
        category="ON_REQUEST",
        resources=[resource("laporan", LAPORAN_FIELDS), resource("salinan", LAPORAN_FIELDS)],
        exemptions=[PERSONAL, UNDER_INVESTIGATION],
        minimumCellSize=MINIMUM,
    )
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        page = await client.get(
            "/dataset/laporan-warga",
            params={"res": "laporan", "col": "kecamatan", "val": SMALLEST, "lang": lang},
        )
    assert page.status_code == 200
    refused, other = sections(page.text)
    # the refusal, in the visitor's language, where the table would be; no rows, no count
    assert 'role="alert"' in refused and message in refused
    assert "<tbody>" not in refused and 'class="meta"' not in refused
    assert "<svg" not in refused  # no chart of the refused filter either
    # the form keeps the filter so it can be changed, and offers to clear it
    assert f'value="{SMALLEST}"' in refused and 'href="/dataset/laporan-warga#res-1"' in refused
    assert "/download/" in refused  # the unfiltered register stays downloadable
    # the other resource and the rest of the page are intact
    assert 'role="alert"' not in other and "<tbody>" in other
    assert other.count("<tr>") == 1 + min(20, sum(SIZES.values()))  # header + a full page
    assert 'class="notice"' in page.text and "/permohonan/baru?dataset=laporan-warga" in page.text
    assert page.text.count('role="alert"') == 1
