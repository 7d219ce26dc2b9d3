"""A reader in flight when a push commits still reads (issue 22: readers see the version
before or after the push): the catalogue load's table the first push replaces must outlive
the requests that resolved the resource before the commit (they got a 500 "relation does not
exist" when it was dropped at once). The catalogue load's orphan sweep removes it later."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from opendata.catalogue.loader import load_catalog
from opendata.catalogue.row_query import RowQuery, parse_fields, row_pages, row_source
from opendata.catalogue.tables import row_table_names
from opendata.db.models import Dataset, Resource
from opendata.visibility.policy import load_policy
from tests.apps.conftest import LOADED_ROWS, OPEN_DATASET, PushWorld, make_rows, push
from tests.catalogue.builders import small_catalog


async def _resource(world: PushWorld) -> Resource:
    async with world.services.database.session() as session:
        found = await session.scalar(
            select(Resource).join(Dataset).where(Dataset.slug == OPEN_DATASET)
        )
    assert found is not None
    return found


async def test_a_reader_that_resolved_the_resource_before_a_push_reads_after_it(
    push_world: PushWorld,
) -> None:
    before = await _resource(push_world)
    async with push_world.services.database.session() as session:
        policy = await load_policy(session, before.dataset_id)
    source = row_source(before, policy)  # the reader has resolved the loader's table
    query = RowQuery(source, chosen=parse_fields(source, None), first=100)

    answer = await push(push_world.client, push_world.open_token, make_rows(3))
    assert answer.status_code == 200, answer.text
    assert (await _resource(push_world)).row_table != before.row_table

    async with push_world.services.database.session() as session:
        page = (await row_pages(session, [query]))[0]
    assert len(page.rows) == LOADED_ROWS  # the version it started on, whole


async def test_the_catalogue_load_sweeps_the_replaced_table(
    push_world: PushWorld, tmp_path: Path
) -> None:
    before = (await _resource(push_world)).row_table
    assert (await push(push_world.client, push_world.open_token, make_rows(3))).status_code == 200
    async with push_world.services.database.session() as session:
        assert before in await row_table_names(session)
    summary = await load_catalog(push_world.services, small_catalog(tmp_path / "again"))
    assert summary.ok, summary.refused
    async with push_world.services.database.session() as session:
        assert before not in await row_table_names(session)
