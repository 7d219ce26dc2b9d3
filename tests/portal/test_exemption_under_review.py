"""The PPID withholds a column of a dataset still under review from the staff page, as the
API lets it (a NIK column blocks the steward's approval until then): the page opens the
dataset, its preview names the column and saving it unblocks the approval; on both databases."""

from __future__ import annotations

import re
from pathlib import Path

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.conftest import asgi_client
from tests.portal.conftest import portal_as
from tests.portal.test_staff_more import exemption_count, figure, post_form
from tests.publishing.versions_world import (
    FIELDS,
    NIK_FIELD,
    WITH_NIK,
    approved,
    catalogue_folder,
    make_people,
    submitted,
)

SLUG = "keluarga-penerima-bantuan"
FIELD_DRAFT = {
    "dataset": SLUG,
    "scope": "FIELD",
    "field": "nik",
    "basis": "PASAL_17H",
    "consequence_test": "NIK kepala keluarga mengenali orangnya.",
}


async def test_an_officer_previews_and_withholds_a_column_of_a_dataset_under_review(
    services: Services, tmp_path: Path
) -> None:
    assert (await load_catalog(services, catalogue_folder(tmp_path))).ok
    people = await make_people(services)
    officer = await create_user(
        services.database,
        email="ppid2@dinkes.test",
        name="PPID Dinkes",
        role="OFFICER",
        agency_slug="dinkes",
    )
    async with asgi_client(create_app(services)) as api:
        version = await submitted(api, people.producer, SLUG, WITH_NIK, fields=[*FIELDS, NIK_FIELD])
    form_path = f"/petugas/pengecualian?dataset={SLUG}"
    before = await exemption_count(services)
    async with await portal_as(services, officer.viewer) as page:
        chosen = await page.get(form_path)
        assert chosen.status_code == 200, chosen.text
        assert 'value="nik"' in chosen.text
        preview = await post_form(
            page, "/petugas/pengecualian", FIELD_DRAFT | {"action": "preview"}, form_path
        )
        assert preview.status_code == 200, preview.text
        assert figure(preview.text, "Kolom dikecualikan") == "nik"
        assert figure(preview.text, "Baris disembunyikan") == "0"
        assert await exemption_count(services) == before  # the preview saved nothing
        saved = await post_form(
            page, "/petugas/pengecualian", FIELD_DRAFT | {"action": "save"}, form_path
        )
        assert saved.status_code == 303, saved.text
        listing = await page.get(saved.headers["location"])
        assert re.search(r"\bnik\b", listing.text)
    async with asgi_client(create_app(services)) as api:
        published = await approved(api, people.steward, version["id"])
    assert published["state"] == "PUBLISHED"
    assert await exemption_count(services) == before + 1
