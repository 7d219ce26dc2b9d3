"""The index agrees with the database: after a crash, across backends, across processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import update

from opendata.catalogue.changes import bump_generation, record_catalogue_change
from opendata.db.models import Dataset, Meta
from opendata.errors import SearchUnavailable
from opendata.search import SearchQuery
from opendata.search.postgres_backend import GENERATION_KEY
from opendata.search.whoosh_backend import WhooshSearchIndex
from opendata.services import Services, open_services
from tests.conftest import DatabaseFactory, make_services
from tests.search.catalogue import insert_catalogue

QUERIES = [
    "kesehatan",
    "sehat",
    "puskesmas",
    "health",
    "roads",
    "jalan rusak",
    "Sungai Kakap",
    "kesehtan",
    "anggaran sekolah",
    "budget",
    "bantuan sosial",
    "imunisasi balita",
    "desa",
    "kecamatan",
    "wabah",
]


async def top(services: Services, text: str) -> list[str]:
    result = await services.search.search(SearchQuery(text=text, limit=50))
    return [hit.slug for hit in result.hits]


async def test_both_backends_agree(database_factory: DatabaseFactory, tmp_path: Path) -> None:
    whoosh = await make_services(database_factory, "sqlite", tmp_path / "w")
    postgres = await make_services(database_factory, "postgres", tmp_path / "p")
    try:
        await insert_catalogue(whoosh)
        await insert_catalogue(postgres)
        for text in QUERIES:
            found_whoosh, found_postgres = await top(whoosh, text), await top(postgres, text)
            assert found_whoosh[:1] == found_postgres[:1], text
            assert sorted(found_whoosh) == sorted(found_postgres), text
    finally:
        await whoosh.close()
        await postgres.close()


async def _rename_without_index(services: Services, slug: str, title: str) -> None:
    """A committed change whose index write never happened (the process died in between)."""
    async with services.database.write() as session:
        await session.execute(update(Dataset).where(Dataset.slug == slug).values(title=title))
        await bump_generation(session)


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
async def test_index_behind_the_database_is_rebuilt_at_start(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    services = await make_services(database_factory, dialect, tmp_path / "data")
    await insert_catalogue(services)
    await _rename_without_index(services, "kondisi-jalan-kabupaten", "Jembatan Gantung")
    if services.search.name == "postgres":
        # what a crash looks like there: rows of an older generation (e.g. a backend switch)
        async with services.database.write() as session:
            await session.execute(update(Meta).where(Meta.key == GENERATION_KEY).values(value="0"))
    assert await top(services, "jembatan") == []
    await services.close()

    restarted = await open_services(services.settings)
    try:
        assert await top(restarted, "jembatan") == ["kondisi-jalan-kabupaten"]
        assert await restarted.search.check_and_repair() is False
    finally:
        await restarted.close()


async def test_failed_whoosh_write_after_commit_is_repaired(
    database_factory: DatabaseFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await make_services(database_factory, "sqlite", tmp_path / "data")
    await insert_catalogue(services)

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(WhooshSearchIndex, "apply", crash)
    async with services.database.write() as session:
        dataset = await session.get(Dataset, 3)
        assert dataset is not None
        dataset.title = "Jembatan Gantung"
        await record_catalogue_change(services, session, [dataset.id])
    monkeypatch.undo()
    index = services.search
    assert index.stale
    with pytest.raises(SearchUnavailable):  # never an answer from an index that is behind
        await top(services, "jembatan")
    await asyncio.gather(*index._repairs)
    assert not index.stale
    assert await top(services, "jembatan") == ["kondisi-jalan-kabupaten"]
    await services.close()


async def test_whoosh_index_behind_after_a_crash_is_rebuilt_at_start_up(
    database_factory: DatabaseFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await make_services(database_factory, "sqlite", tmp_path / "data")
    await insert_catalogue(services)
    monkeypatch.setattr(WhooshSearchIndex, "_after_commit", lambda self, session: None)
    async with services.database.write() as session:  # committed; the process "dies" here
        dataset = await session.get(Dataset, 3)
        assert dataset is not None
        dataset.title = "Jembatan Gantung"
        await record_catalogue_change(services, session, [dataset.id])
    monkeypatch.undo()
    assert await top(services, "jembatan") == []
    await services.close()

    restarted = await open_services(services.settings)
    try:
        assert await top(restarted, "jembatan") == ["kondisi-jalan-kabupaten"]
    finally:
        await restarted.close()


async def test_two_servers_on_one_postgres_see_each_others_changes(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    first = await make_services(database_factory, "postgres", tmp_path / "one")
    second = await open_services(first.settings.with_overrides(data_dir=tmp_path / "two"))
    try:
        await insert_catalogue(first)
        assert await top(second, "puskesmas") == ["tenaga-kesehatan-puskesmas"]
    finally:
        await first.close()
        await second.close()
