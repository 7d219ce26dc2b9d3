"""A table is called by its title, not its file name (issue 24): the data package's resource
`title`/`title_en` reach the dataset page's headings and GraphQL, and stay across a reload."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.reader import MAX_RESOURCE_TITLE, DescriptorError, read_dataset
from opendata.config import DEMO_CATALOG
from opendata.services import Services
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

SLUG = "kasus-dbd-per-kecamatan"
TITLES = """query { dataset(slug: "kasus-dbd-per-kecamatan") { resources { name title titleEn } } }"""


def _headings(html: str) -> list[str]:
    found = re.findall(r'<h2 id="res-\d+">(.*?) <span class="format">', html)
    return [heading.strip() for heading in found]


async def test_resource_titles_name_the_tables_in_both_languages(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG / "dinkes", root / "dinkes")
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        page = await client.get(f"/dataset/{SLUG}")
        assert _headings(page.text) == [
            "Kasus DBD per kecamatan per tahun",
            "Kasus DBD per bulan",
        ]
        english = await client.get(f"/dataset/{SLUG}", params={"lang": "en"})
        assert _headings(english.text) == [
            "Dengue cases by district and year",
            "Dengue cases by month",
        ]
        resources = data(await gql(client, TITLES))["dataset"]["resources"]
        assert resources[1] == {
            "name": "kasus-bulanan",
            "title": "Kasus DBD per bulan",
            "titleEn": "Dengue cases by month",
        }

        # a table without a title keeps its name as the heading; a reload changes the title
        descriptor = root / "dinkes" / SLUG / "datapackage.yaml"
        package = yaml.safe_load(descriptor.read_text())
        del package["resources"][0]["title"], package["resources"][0]["title_en"]
        package["resources"][1]["title"] = "Kasus DBD bulanan"
        descriptor.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False))
        assert (await load_catalog(services, root)).ok
        headings = _headings((await client.get(f"/dataset/{SLUG}", params={"lang": "id"})).text)
        assert headings == ["Kasus", "Kasus DBD bulanan"]


def test_a_title_longer_than_its_column_is_refused_naming_the_resource(tmp_path: Path) -> None:
    folder = tmp_path / SLUG
    shutil.copytree(DEMO_CATALOG / "dinkes" / SLUG, folder)
    descriptor = folder / "datapackage.yaml"
    package = yaml.safe_load(descriptor.read_text())
    package["resources"][1]["title_en"] = "x" * (MAX_RESOURCE_TITLE + 1)
    descriptor.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False))
    with pytest.raises(DescriptorError, match=r"resources\[1\]\.title_en"):
        read_dataset(folder, "dinkes", descriptor)
