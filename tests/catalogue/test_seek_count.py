"""A count of rows under several equality filters on SQLite seeks each filter's own index
(`row_query.seek_count`): the same count as the plain statement and as a count by hand of
the file, on both databases; only where no composite index, ROW exemption, other operator
or view stands in the way; and once another server builds a composite index, its count is
the plain one again."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from opendata.catalogue.loader import load_catalog
from opendata.catalogue.row_query import (
    Condition,
    RowSource,
    count_rows,
    count_statement,
    parse_where,
    row_source,
    visible_clauses,
)
from opendata.catalogue.tables import VERSION_VIEW_PREFIX, combination_index
from opendata.db.fold import fold
from opendata.db.models import Resource
from opendata.services import Services
from opendata.visibility.policy import load_policy
from tests.catalogue.builders import write_agency, write_dataset
from tests.catalogue.test_rows import row_rule

FIELDS = [
    {"name": "wilayah", "type": "string"},
    {"name": "tahun", "type": "integer"},
    {"name": "aktif", "type": "boolean"},
    {"name": "tanggal", "type": "date"},
    {"name": "kode", "type": "string"},
]
PLACES = ["Sungai Kakap", "SUNGAI KAKAP", "Sungái Kakap", "Rasau Jaya", "Kuala Mandor B", "Ñipah"]
CODES = ["A1", "a1", "B2", "", "Č3"]
DATES = ["2024-01-31", "2024-02-01", "2025-12-31"]
# SQLite's plan, INDEXED BY and schema version: what the seek count is made of there
SQLITE_ONLY = pytest.mark.parametrize("dialect", ["sqlite"])


def table_rows(count: int = 600) -> list[dict[str, Any]]:
    generator = random.Random(26)
    return [
        {
            "wilayah": generator.choice(PLACES),
            "tahun": generator.randrange(2021, 2025),
            "aktif": generator.choice(["true", "false"]),
            "tanggal": generator.choice(DATES),
            "kode": generator.choice(CODES),
        }
        for _ in range(count)
    ]


def write_catalogue(root: Path, rows: list[dict[str, Any]], **overrides: Any) -> Path:
    write_agency(root, "bapenda", "Badan Pendapatan", "Bapenda")
    csv_text = "wilayah,tahun,aktif,tanggal,kode\n" + "".join(
        f"{r['wilayah']},{r['tahun']},{r['aktif']},{r['tanggal']},{r['kode']}\n" for r in rows
    )
    resource = {"name": "kasus", "path": "kasus.csv", "format": "csv", "schema": {"fields": FIELDS}}
    write_dataset(root, "bapenda", "anggaran", csv_text=csv_text, resources=[resource], **overrides)
    return root


def matches(row: dict[str, Any], where: dict[str, Any]) -> bool:
    """`where` as a person reads it: text folded (case and accents), `in` any of."""
    for name, spec in where.items():
        cell: Any = row[name]
        if name == "tahun":
            cell = int(cell)
        elif name == "aktif":
            cell = cell == "true"
        wanted = spec["in"] if isinstance(spec, dict) else [spec]
        if wanted == [None]:  # an empty cell
            if cell != "":
                return False
        elif name in ("wilayah", "kode"):
            if cell == "" or fold(cell) not in {fold(w) for w in wanted}:
                return False
        elif cell not in wanted:
            return False
    return True


def random_wheres(count: int) -> list[dict[str, Any]]:
    """Two to five equalities or `in`s, text written in another case or accent."""
    generator = random.Random(6)
    values: dict[str, list[Any]] = {
        "wilayah": ["sungai kakap", "RASAU JAYA", "kuala mandor b", "ÑIPAH", "nowhere"],
        "tahun": [2021, 2022, 2023, 2024, 1999],
        "aktif": [True, False],
        "tanggal": DATES,
        "kode": ["a1", "b2", "č3", "C3", None],  # None: an empty cell (IS NULL)
    }
    wheres = []
    for _ in range(count):
        names = generator.sample(sorted(values), generator.randrange(2, 6))
        where: dict[str, Any] = {}
        for name in names:
            if generator.random() < 0.3:
                some = [value for value in values[name] if value is not None]
                where[name] = {"in": generator.sample(some, 2)}
            else:
                where[name] = generator.choice(values[name])
        wheres.append(where)
    return wheres


async def loaded(services: Services, root: Path) -> RowSource:
    """Loads the catalogue at `root`; its one resource's rows as an anonymous reader's."""
    assert (await load_catalog(services, root)).ok
    async with services.database.session() as session:
        resource = await session.scalar(select(Resource))
        assert resource is not None
        return row_source(resource, await load_policy(session, resource.dataset_id))


async def counted(
    services: Services, source: RowSource, conditions: Sequence[Condition]
) -> tuple[int, int, str]:
    """The count (`count_rows`), the plain statement's count, and the SQL counted with."""
    async with services.database.session() as session:
        statement = await count_statement(session, source, conditions)
        sql = str(statement.compile(dialect=session.get_bind().dialect))
        found = await count_rows(session, source, conditions)
        plain = (
            select(func.count())
            .select_from(source.table)
            .where(*visible_clauses(source, conditions))
        )
        return found, int(await session.scalar(plain) or 0), sql


async def test_a_count_of_several_equalities_is_the_plain_count_and_the_files(
    services: Services, tmp_path: Path
) -> None:
    rows = table_rows()
    source = await loaded(services, write_catalogue(tmp_path / "c", rows))
    sqlite = not services.database.is_postgres
    some = 0
    for where in random_wheres(60):
        found, plain, sql = await counted(services, source, parse_where(source, where))
        assert found == plain == sum(matches(r, where) for r in rows), where
        # on SQLite every such count seeks one index a filter (on PostgreSQL: as it plans)
        assert sql.count("INDEXED BY") == (len(where) if sqlite else 0), (where, sql)
        some += found > 0
    assert some > 20  # the filters found rows, not only empty counts


@SQLITE_ONLY
async def test_each_copy_seeks_its_index_and_never_reads_the_table(
    services: Services, tmp_path: Path
) -> None:
    source = await loaded(services, write_catalogue(tmp_path / "c", table_rows()))
    where = {"wilayah": "SUNGAI kakap", "tahun": 2024, "aktif": True}
    async with services.database.session() as session:
        statement = await count_statement(session, source, parse_where(source, where))
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = [str(row[-1]) for row in await session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}"))]
    table = source.table_name
    assert len(plan) == 3 and all(step.startswith("SEARCH ") for step in plan), plan
    for index in (f"ix_{table}_c0_f", f"ix_{table}_c1", f"ix_{table}_c2"):
        assert sum(index + " " in step for step in plan) == 1, (index, plan)
    # the two seeks by (value, _id) read only their index
    assert sum("USING COVERING INDEX" in step and "rowid=?" in step for step in plan) == 2, plan


@SQLITE_ONLY
async def test_the_plain_count_where_a_seek_would_not_serve(
    services: Services, tmp_path: Path
) -> None:
    rows = table_rows()
    source = await loaded(services, write_catalogue(tmp_path / "c", rows))
    for where in (
        {"wilayah": "sungai kakap"},  # one filter: its own index already
        {"wilayah": "sungai kakap", "tahun": {"gte": 2023}},  # a range
        {"wilayah": {"contains": "Kakap"}, "tahun": 2024},
        {"wilayah": {"in": ["x", "y"]}, "kode": {"ne": "a1"}},
    ):
        found, plain, sql = await counted(services, source, parse_where(source, where))
        assert "INDEXED BY" not in sql and found == plain, where
    # a version's earlier rows are a view, which has no index
    view = f"{VERSION_VIEW_PREFIX}1_test"
    async with services.database.write() as session:
        await session.execute(
            sa.text(f'CREATE VIEW "{view}" AS SELECT * FROM "{source.table_name}"')
        )
    where = {"wilayah": "sungai kakap", "tahun": 2024}
    viewed = replace(source, table_name=view)
    found, plain, sql = await counted(services, viewed, parse_where(viewed, where))
    assert "INDEXED BY" not in sql and found == plain == sum(matches(r, where) for r in rows)


async def test_withheld_rows_are_never_counted_and_keep_the_plain_count(
    services: Services, tmp_path: Path
) -> None:
    rows = table_rows()
    rule = row_rule({"kode": "B2"})
    root = write_catalogue(tmp_path / "c", rows, exemptions=[rule])
    source = await loaded(services, root)
    where = {"wilayah": "sungai kakap", "tahun": 2024}
    found, plain, sql = await counted(services, source, parse_where(source, where))
    visible = [r for r in rows if fold(r["kode"]) != "b2"]
    assert found == plain == sum(matches(r, where) for r in visible) > 0
    assert found < sum(matches(r, where) for r in rows)
    assert "INDEXED BY" not in sql


@SQLITE_ONLY
async def test_a_composite_index_another_server_builds_is_used_at_the_next_count(
    services: Services, tmp_path: Path
) -> None:
    """The table's index names are kept until the schema changes: a composite index built
    over another connection (another server's scheduled pass) is seen at once."""
    rows = table_rows()
    source = await loaded(services, write_catalogue(tmp_path / "c", rows))
    where = {"kode": "A1", "wilayah": "sungai kakap", "tahun": 2024}
    conditions = parse_where(source, where)
    assert "INDEXED BY" in (await counted(services, source, conditions))[2]
    index = combination_index(source.table, source.fields, ["wilayah", "tahun"])
    async with services.database.session() as session:
        connection = await session.connection()
        path = connection.engine.url.database
        sql = str(sa.schema.CreateIndex(index).compile(dialect=connection.dialect))
    with sqlite3.connect(str(path)) as other:
        other.create_function("od_fold", 1, fold, deterministic=True)
        other.execute(sql)
    found, plain, sql = await counted(services, source, conditions)
    assert "INDEXED BY" not in sql and found == plain == sum(matches(r, where) for r in rows)
