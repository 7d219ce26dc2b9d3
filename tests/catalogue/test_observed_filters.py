"""Composite indexes for the filter combinations people are seen using (issue 26): built by
the scheduled pass once a combination's count has been asked for OBSERVED_AFTER times, the
same index a `commonFilters` hint gives, used by the folded filter, at most a few a table,
once when two servers (two engines on one database) reach it together; on both databases."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from opendata.app import create_app
from opendata.catalogue import observed_filters
from opendata.catalogue.observed_filters import OBSERVED_AFTER, index_observed_filters
from opendata.catalogue.tables import schema_names
from opendata.config import Settings
from opendata.services import Services, open_services
from tests.catalogue.test_common_filters import loaded_table, plan_of, write_hinted
from tests.catalogue.test_rows import rows_of
from tests.conftest import asgi_client

SAME = {"nama": "sungai kakap", "tahun": 2024}


async def counted(client: httpx.AsyncClient, where: dict[str, Any], times: int) -> int:
    """Ask for the filtered rows with their total `times` times, each time with another
    year first (a repeated query is answered from the response cache, which counts
    nothing); the total of `where` itself, asked last."""
    for year in range(1990, 1990 + times - 1):
        await rows_of(client, where={**where, "tahun": year})
    return int((await rows_of(client, where=where))["rows"]["totalCount"])


async def indexes_of(services: Services, table: str) -> set[str]:
    async with services.database.session() as session:
        present = await schema_names(await session.connection())
    return {name for name, kind in present if kind == "index" and name.startswith(f"ix_{table}_")}


async def test_a_combination_counted_often_gets_its_index_and_the_filter_uses_it(
    services: Services, tmp_path: Path
) -> None:
    table = await loaded_table(services, write_hinted(tmp_path / "c", None))
    index = f"ix_{table}_c0_c1_q"
    async with asgi_client(create_app(services)) as client:
        # below the count, and a combination with an operator no index seeks: nothing built
        assert await counted(client, SAME, OBSERVED_AFTER - 1) == 3
        for place in range(OBSERVED_AFTER):
            await rows_of(client, where={"nama": f"desa {place}", "tahun": {"gte": 2024}})
        assert await index_observed_filters(services.database) == []
        # the field order of the filter does not make another combination
        assert await counted(client, {"tahun": 2024, "nama": "SUNGÁI kakap"}, 1) == 3
        assert await index_observed_filters(services.database) == [index]
        assert index in await indexes_of(services, table)
        assert index in await plan_of(services, SAME)
        # the same answers through it
        assert await counted(client, SAME, 1) == 3
        # counted again: the index is there already, nothing is built twice
        await counted(client, SAME, OBSERVED_AFTER)
        assert await index_observed_filters(services.database) == []


async def test_a_table_gets_at_most_a_few_and_a_hinted_one_counts(
    services: Services, tmp_path: Path
) -> None:
    hint = [["nama", "tahun"], ["aktif", "nama"], ["aktif", "tahun"], ["nama"]]
    table = await loaded_table(services, write_hinted(tmp_path / "c", hint))
    assert observed_filters.MAX_COMBINATIONS_PER_TABLE == 4  # the four hinted ones
    async with asgi_client(create_app(services)) as client:
        await counted(client, {"nama": "rasau jaya", "tahun": 2024, "aktif": True}, OBSERVED_AFTER)
        assert await index_observed_filters(services.database) == []
    assert f"ix_{table}_c0_c1_c2_q" not in await indexes_of(services, table)


async def test_two_servers_reaching_the_count_together_build_it_once(
    services: Services, tmp_path: Path
) -> None:
    """Two engines (as two app servers have) on one database, both due at once."""
    table = await loaded_table(services, write_hinted(tmp_path / "c", None))
    other = await open_services(
        Settings(data_dir=tmp_path / "other", database_url=services.database.url)
    )
    try:
        fields = await _fields(services)
        for database in (services.database, other.database):
            url = database.engine.url.render_as_string(hide_password=False)
            for _ in range(OBSERVED_AFTER):
                observed_filters.note_filter(url, table, fields, _conditions(SAME))
        built = await asyncio.gather(
            index_observed_filters(services.database), index_observed_filters(other.database)
        )
    finally:
        await other.close()
    assert sorted(name for names in built for name in names) == [f"ix_{table}_c0_c1_q"]
    assert f"ix_{table}_c0_c1_q" in await indexes_of(services, table)


async def _fields(services: Services) -> tuple[Any, ...]:
    from opendata.db.models import Resource
    from opendata.visibility.fields import FieldDef

    async with services.database.session() as session:
        resource = await session.scalar(sa.select(Resource))
    assert resource is not None
    return tuple(FieldDef.from_json(raw) for raw in resource.fields)


def _conditions(where: dict[str, Any]) -> list[Any]:
    from opendata.catalogue.row_query import Condition

    return [Condition(name, "eq", value) for name, value in where.items()]
