"""Issue 21 finding 1: a catalogue reload never voids an exemption the PPID decided.

Chosen behaviour: a new version of a dataset under which an active exemption withholds
nothing (its field renamed, a ROW filter's field renamed or retyped) is refused and the
stored version, which the exemption matches, stays; a dataset whose slug leaves the folder
while an API exemption withholds part of it stops the whole load (nothing changed). The
refusal names the exemption and what it no longer matches."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from opendata.accounts.viewer import Role, Viewer
from opendata.catalogue.loader import load_catalog
from opendata.db.models import Dataset, Exemption, Resource
from opendata.exemptions.service import ExemptionRequest, add_exemption
from opendata.services import Services
from tests.catalogue.builders import BASE_DATASET, BASE_ROWS, small_catalog, write_dataset

ADMIN = Viewer(user_id=0, role=Role.ADMIN, agency_id=None, name="Admin", email="a@kab.go.id")
SLUG = "imunisasi-dasar"


def _schema(rename: dict[str, str], retype: dict[str, str]) -> list[dict[str, Any]]:
    resources = copy.deepcopy(BASE_DATASET["resources"])
    for spec in resources[0]["schema"]["fields"]:
        spec["type"] = retype.get(spec["name"], spec["type"])
        spec["name"] = rename.get(spec["name"], spec["name"])
    return list(resources)


def _rows(rename: dict[str, str]) -> str:
    header, rest = BASE_ROWS.split("\n", 1)
    return ",".join(rename.get(name, name) for name in header.split(",")) + "\n" + rest


def _reload(rename: dict[str, str], retype: dict[str, str]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        write_dataset(
            root,
            "dinkes",
            SLUG,
            csv_text=_rows(rename),
            title="Cakupan Imunisasi Dasar",
            resources=_schema(rename, retype),
        )

    return change


CASES = {
    "field-renamed": (dict(scope="FIELD", field="nik"), _reload({"nik": "nomor_nik"}, {})),
    "row-field-renamed": (
        dict(scope="ROW", row_filter={"status": "terbuka"}),
        _reload({"status": "keadaan"}, {}),
    ),
    "row-field-retyped": (
        dict(scope="ROW", row_filter={"tahun": 2023}),
        _reload({}, {"tahun": "string"}),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_reload_that_voids_an_exemption_keeps_the_stored_version(
    services: Services, tmp_path: Path, case: str
) -> None:
    target, change = CASES[case]
    root = small_catalog(tmp_path / "cat")
    assert (await load_catalog(services, root)).ok
    exemption = await add_exemption(
        services,
        ADMIN,
        ExemptionRequest(
            dataset_slug=SLUG,
            basis="PASAL_17H",
            consequence_test="Membuka ini mengungkap rahasia pribadi.",
            **target,  # type: ignore[arg-type]
        ),
    )
    change(root)

    summary = await load_catalog(services, root)

    assert SLUG not in summary.updated
    text = "\n".join(summary.lines())
    assert f"exemption {exemption.id}" in text and "no longer" in text, text
    async with services.database.session() as session:
        dataset = await session.scalar(select(Dataset).where(Dataset.slug == SLUG))
        assert dataset is not None
        stored_fields = await session.scalars(
            select(Resource.fields).where(Resource.dataset_id == dataset.id)
        )
        names = {f["name"] for fields in stored_fields for f in fields}
        stored = await session.get(Exemption, exemption.id)
    assert {"nik", "status", "tahun"} <= names  # the version the exemption matches
    assert stored is not None and stored.revoked_at is None


async def test_a_slug_gone_with_an_api_exemption_stops_the_load(
    services: Services, tmp_path: Path
) -> None:
    root = small_catalog(tmp_path / "cat")
    assert (await load_catalog(services, root)).ok
    exemption = await add_exemption(
        services,
        ADMIN,
        ExemptionRequest(
            dataset_slug=SLUG,
            scope="FIELD",
            field="nik",
            basis="PASAL_17H",
            consequence_test="Membuka ini mengungkap rahasia pribadi.",
        ),
    )
    (root / "dinkes" / SLUG).rename(root / "dinkes" / "imunisasi-baru")
    descriptor = root / "dinkes" / "imunisasi-baru" / "datapackage.yaml"
    descriptor.write_text(descriptor.read_text().replace(f"name: {SLUG}", "name: imunisasi-baru"))

    summary = await load_catalog(services, root)

    assert not summary.ok and summary.added == [] and summary.removed == []
    text = "\n".join(summary.lines())
    assert f"exemption {exemption.id}" in text and SLUG in text, text
    async with services.database.session() as session:
        slugs = set(await session.scalars(select(Dataset.slug).where(Dataset.removed_at.is_(None))))
    assert SLUG in slugs and "imunisasi-baru" not in slugs
