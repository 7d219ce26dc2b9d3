"""`schema.commonFilters`: composite indexes for the field combinations people filter on
together, built at load, used by the folded text filters, and refused when malformed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.row_query import parse_where, row_source, visible_clauses
from opendata.catalogue.tables import build_missing_indexes
from opendata.db.models import Resource
from opendata.services import Services
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import load_policy
from tests.catalogue.builders import write_agency, write_dataset
from tests.catalogue.test_rows import rows_of
from tests.conftest import asgi_client

FIELDS = [
    {"name": "nama", "type": "string"},
    {"name": "tahun", "type": "integer"},
    {"name": "aktif", "type": "boolean"},
]
CSV = (
    "nama,tahun,aktif\n"
    "Sungai Kakap,2024,true\n"
    "SUNGAI KAKAP,2024,false\n"
    "Sungái Kakap,2024,true\n"
    "Sungai Kakap,2023,true\n"
    "Rasau Jaya,2024,true\n"
) + "".join(f"Desa {i},{2000 + i % 20},{i % 2 == 0}\n".lower() for i in range(400))


def write_hinted(root: Path, common_filters: Any) -> Path:
    write_agency(root, "bapenda", "Badan Pendapatan", "Bapenda")
    schema = {"fields": FIELDS, "commonFilters": common_filters}
    resource = {"name": "kasus", "path": "kasus.csv", "format": "csv", "schema": schema}
    write_dataset(root, "bapenda", "anggaran", csv_text=CSV, resources=[resource])
    return root


async def loaded_table(services: Services, root: Path) -> str:
    """Loads the catalogue at `root`; the name of its one row table."""
    assert (await load_catalog(services, root)).ok
    async with services.database.session() as session:
        return (await session.scalar(select(Resource.row_table))) or ""


async def plan_of(services: Services, where: dict[str, Any]) -> str:
    """The database's plan for the count a filtered totalCount runs."""
    async with services.database.session() as session:
        resource = await session.scalar(select(Resource))
        assert resource is not None
        source = row_source(resource, await load_policy(session, resource.dataset_id))
        statement = (
            sa.select(func.count())
            .select_from(source.table)
            .where(*visible_clauses(source, parse_where(source, where)))
        )
        dialect = session.get_bind().dialect
        sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        if dialect.name == "sqlite":
            found = await session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))
            return " ".join(str(row[-1]) for row in found)
        await session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        return " ".join(row[0] for row in await session.execute(sa.text(f"EXPLAIN {sql}")))


async def test_a_common_filter_is_one_composite_index_the_folded_filter_uses(
    services: Services, tmp_path: Path
) -> None:
    hint = [["nama", "tahun"], ["aktif", "nama", "tahun"]]
    table = await loaded_table(services, write_hinted(tmp_path / "c", hint))
    assert f"ix_{table}_c0_c1_q" in await plan_of(services, {"nama": "sungai kakap", "tahun": 2024})
    async with asgi_client(create_app(services)) as client:
        found = await rows_of(client, where={"nama": "sungai kakap", "tahun": 2024})
        assert found["rows"]["totalCount"] == 3
        assert sorted(e["node"]["nama"] for e in found["rows"]["edges"]) == [
            "SUNGAI KAKAP",
            "Sungai Kakap",
            "Sungái Kakap",
        ]
        found = await rows_of(client, where={"nama": "SUNGAI kakap", "tahun": 2024, "aktif": True})
        assert found["rows"]["totalCount"] == 2


async def test_one_text_field_alone_gets_a_folded_index(services: Services, tmp_path: Path) -> None:
    table = await loaded_table(services, write_hinted(tmp_path / "c", [["nama"]]))
    assert f"ix_{table}_c0_q" in await plan_of(services, {"nama": "RASAU jaya"})


@pytest.mark.parametrize(
    "hint",
    [
        [["nama", "nope"]],  # not a field
        [["tahun"]],  # one field that is not text: its own index already serves it
        [["nama", "nama"]],
        [["nama", "tahun"], ["nama", "tahun"]],
        [["nama", "tahun", "aktif", "nama", "tahun"]],
        "nama",
    ],
)
async def test_a_malformed_common_filter_is_refused_naming_the_property(
    services: Services, tmp_path: Path, hint: Any
) -> None:
    summary = await load_catalog(services, write_hinted(tmp_path / "c", hint))
    assert not summary.ok
    assert "resources[0].schema.commonFilters" in "\n".join(summary.lines())


async def test_every_text_field_gets_a_folded_index_its_filter_and_count_use(
    services: Services, tmp_path: Path
) -> None:
    """Without any hint: a text equality (folded, as people type it) seeks the field's
    folded index instead of reading every row of another field's index."""
    table = await loaded_table(services, write_hinted(tmp_path / "c", None))
    assert f"ix_{table}_c0_f" in await plan_of(services, {"nama": "RASAU jaya", "tahun": 2024})
    async with asgi_client(create_app(services)) as client:
        found = await rows_of(client, where={"nama": "sungai kakap", "tahun": 2024})
        assert found["rows"]["totalCount"] == 3


async def test_a_table_made_before_folded_indexes_gets_them_at_the_next_load(
    services: Services, tmp_path: Path
) -> None:
    """A database upgraded in place: the next load builds what an older table lacks, once."""
    root = write_hinted(tmp_path / "c", None)
    table = await loaded_table(services, root)
    async with services.database.write() as session:
        await session.execute(sa.text(f'DROP INDEX "ix_{table}_c0_f"'))
    assert f"ix_{table}_c0_f" not in await plan_of(services, {"nama": "RASAU jaya"})
    summary = await load_catalog(services, root)
    assert summary.ok and summary.unchanged == ["anggaran"]
    assert f"ix_{table}_c0_f" in await plan_of(services, {"nama": "RASAU jaya", "tahun": 2024})
    fields = [FieldDef.from_json(raw) for raw in FIELDS]
    async with services.database.write() as session:
        assert await build_missing_indexes(session, [(table, fields)]) == []
        await session.execute(sa.text(f'DROP INDEX "ix_{table}_c0_f"'))
        # two resources pointing at one table: built once
        assert await build_missing_indexes(session, [(table, fields), (table, fields)]) == [table]
