"""A year in the query is read as the period the data covers; places are found in the rows.

Through GraphQL `datasets(query:)` (the one search every door uses), on each backend."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.queries import DatasetFilter
from opendata.search.query import years_as_coverage
from opendata.services import Services
from tests.conftest import DatabaseFactory, asgi_client, make_services
from tests.search.conftest import BACKENDS
from tests.web.helpers import data, gql

DEMO = Path(__file__).parents[2] / "catalog"

SEARCH = """query($q: String, $year: Int) {
  datasets(query: $q, first: 20, filter: {year: $year}) { totalCount edges { node { slug } } }
}"""


async def found(services: Services, text: str, year: int | None = None) -> list[str]:
    async with asgi_client(create_app(services)) as client:
        body = data(await gql(client, SEARCH, {"q": text, "year": year}))
    return [edge["node"]["slug"] for edge in body["datasets"]["edges"]]


async def test_a_year_filters_by_coverage_instead_of_being_a_word(searchable: Services) -> None:
    # the puskesmas dataset covers 2022-2023 and never writes either year
    assert "tenaga-kesehatan-puskesmas" in await found(searchable, "puskesmas 2023")
    assert "tenaga-kesehatan-puskesmas" not in await found(searchable, "puskesmas 2024")
    # with a place from its rows, as a resident would type it
    assert await found(searchable, "puskesmas sungai kakap 2022") == ["tenaga-kesehatan-puskesmas"]
    # a year before the words works the same
    assert await found(searchable, "2021 anggaran sekolah") == ["anggaran-sekolah-dasar"]
    assert await found(searchable, "2023 anggaran sekolah") == []


async def test_a_chosen_year_wins_and_the_typed_one_stays_a_word(searchable: Services) -> None:
    assert await found(searchable, "puskesmas 2024", year=2023) == []


@pytest.mark.parametrize(
    ("text", "rest", "year"),
    [
        ("dbd sungai kakap 2024", "dbd sungai kakap", 2024),
        ("2023 demam berdarah", "demam berdarah", 2023),
        ("stunting 2024 2025", "stunting 2025", 2024),
        ("jalan 12345", "jalan 12345", None),
        ("perda 3/2024", "perda 3/2024", None),
        ("anggaran 1850", "anggaran 1850", None),
    ],
)
def test_which_numbers_are_years(text: str, rest: str, year: int | None) -> None:
    words, chosen = years_as_coverage(text, DatasetFilter())
    assert (words, chosen.year) == (rest, year)


@pytest.fixture(params=BACKENDS, ids=["whoosh-sqlite", "postgres", "whoosh-postgres"])
async def demo_health(
    request: pytest.FixtureRequest, database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[Services]:
    """The demo catalogue's health agency (dengue, stunting, ...) on one backend."""
    dialect, backend = request.param
    services = await make_services(
        database_factory, dialect, tmp_path / "data", search_backend=backend
    )
    root = tmp_path / "catalog"
    shutil.copytree(DEMO / "dinkes", root / "dinkes")
    assert (await load_catalog(services, root)).ok
    yield services
    await services.close()


async def test_the_residents_searches_find_their_datasets(demo_health: Services) -> None:
    for text, slug in (
        ("dbd sungai kakap 2024", "kasus-dbd-per-kecamatan"),
        ("demam berdarah 2023", "kasus-dbd-per-kecamatan"),
        ("stunting 2024", "prevalensi-stunting-balita"),
    ):
        assert (await found(demo_health, text))[0] == slug, text
