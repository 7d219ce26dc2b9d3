"""The index agrees with the database: after a crash, across backends, across processes."""

from __future__ import annotations

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


async def test_postgres_index_behind_the_database_is_rebuilt_at_start(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    services = await make_services(database_factory, "postgres", tmp_path / "data")
    await insert_catalogue(services)
    await _rename_without_index(services, "kondisi-jalan-kabupaten", "Jembatan Gantung")
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


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
async def test_whoosh_index_behind_the_log_is_rebuilt_by_the_next_search(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    """A generation bumped with no log entry: the log cannot say what changed, so the
    server that notices rebuilds from the database before it answers."""
    services = await make_services(
        database_factory, dialect, tmp_path / "data", search_backend="whoosh"
    )
    try:
        await insert_catalogue(services)
        await _rename_without_index(services, "kondisi-jalan-kabupaten", "Jembatan Gantung")
        assert await top(services, "jembatan") == ["kondisi-jalan-kabupaten"]
        assert await services.search.check_and_repair() is False
    finally:
        await services.close()


async def test_failed_whoosh_write_is_never_answered_from_and_is_retried(
    database_factory: DatabaseFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = await make_services(database_factory, "sqlite", tmp_path / "data")
    await insert_catalogue(services)
    await top(services, "jalan")

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    async with services.database.write() as session:
        dataset = await session.get(Dataset, 3)
        assert dataset is not None
        dataset.title = "Jembatan Gantung"
        await record_catalogue_change(services, session, [dataset.id])
    monkeypatch.setattr(WhooshSearchIndex, "_write", crash)
    with pytest.raises(SearchUnavailable):  # never an answer from an index that is behind
        await top(services, "jembatan")
    monkeypatch.undo()
    assert await top(services, "jembatan") == ["kondisi-jalan-kabupaten"]
    await services.close()


async def test_change_committed_by_another_process_is_searched_at_once_and_after_restart(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    """The other process (a CLI) commits and exits without touching the index."""
    services = await make_services(database_factory, "sqlite", tmp_path / "data")
    await insert_catalogue(services)
    assert await top(services, "jembatan") == []
    other = await open_services(services.settings)
    async with other.database.write() as session:
        dataset = await session.get(Dataset, 3)
        assert dataset is not None
        dataset.title = "Jembatan Gantung"
        await record_catalogue_change(other, session, [dataset.id])
    await other.close()
    assert await top(services, "jembatan") == ["kondisi-jalan-kabupaten"]
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
