"""A whoosh index belongs to one database (issue 25): it is used only when it reflects
exactly that database's identity and generation, and rebuilt on any other state, never
only when it is behind."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import update

from opendata.catalogue.changes import record_catalogue_change
from opendata.db.models import Dataset
from opendata.search import SearchQuery
from opendata.search.index import database_state, new_identity
from opendata.services import Services, open_services
from tests.conftest import DatabaseFactory, make_services
from tests.search.catalogue import dataset_id, insert_catalogue

ROADS = "kondisi-jalan-kabupaten"


async def _renamed(services: Services, title: str) -> None:
    target = await dataset_id(services, ROADS)
    async with services.database.write() as session:
        await session.execute(update(Dataset).where(Dataset.id == target).values(title=title))
        await record_catalogue_change(services, session, [target])


async def _found(services: Services, text: str) -> list[str]:
    result = await services.search.search(SearchQuery(text=text, limit=50))
    return [hit.slug for hit in result.hits]


async def test_an_index_of_another_database_at_the_same_generation_is_rebuilt(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    one = await make_services(database_factory, dialect, tmp_path / "one", search_backend="whoosh")
    other = await make_services(
        database_factory, dialect, tmp_path / "other", search_backend="whoosh"
    )
    try:
        for services, title in ((one, "Jembatan Gantung"), (other, "Gorong Gorong")):
            await insert_catalogue(services)
            await _renamed(services, title)
        async with other.database.write() as session:
            await new_identity(session)  # as a database made by its own migrations has
        async with one.database.session() as a, other.database.session() as b:
            first, second = await database_state(a), await database_state(b)
        assert first.generation == second.generation and first.identity != second.identity
        assert await _found(one, "jembatan") == [ROADS]
    finally:
        await one.close()
        await other.close()
    # the first database's index beside the second database (a copied data folder)
    shutil.rmtree(tmp_path / "other" / "whoosh", ignore_errors=True)
    shutil.copytree(tmp_path / "one" / "whoosh", tmp_path / "other" / "whoosh")
    reopened = await open_services(other.settings)
    try:
        assert await _found(reopened, "jembatan") == []
        assert await _found(reopened, "gorong") == [ROADS]
        assert await reopened.search.check_and_repair() is False
    finally:
        await reopened.close()


async def test_a_running_server_rebuilds_when_the_database_falls_behind_its_index(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    """The database changes identity under a running server (restored by another host):
    its next search rebuilds instead of answering from the index it holds."""
    services = await make_services(
        database_factory, dialect, tmp_path / "data", search_backend="whoosh"
    )
    try:
        await insert_catalogue(services)
        await _renamed(services, "Jembatan Gantung")
        assert await _found(services, "jembatan") == [ROADS]
        target = await dataset_id(services, ROADS)
        async with services.database.write() as session:  # what the restored copy says
            await session.execute(
                update(Dataset).where(Dataset.id == target).values(title="Gorong Gorong")
            )
            await new_identity(session)
        assert await _found(services, "gorong") == [ROADS]
        assert await _found(services, "jembatan") == []
    finally:
        await services.close()
