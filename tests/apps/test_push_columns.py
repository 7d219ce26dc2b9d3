"""A plain CSV push is read column by column (issue 22: a million rows pushed at >= 0.25x of
a plain COPY): the values must be exactly those the cell-by-cell reader gives, and anything
the bulk path does not read whole (quotes, CR line ends, empty cells, a value out of range,
NaN, a broken constraint, a ragged line) must come out the same or be refused the same."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from opendata.apps.rows import RowProblem, _csv_items, read_rows
from opendata.db.models import Dataset, Resource
from opendata.errors import CheckFailed
from opendata.visibility.fields import FieldDef
from tests.apps.conftest import OPEN_DATASET, PushWorld, make_rows, push

FIELDS = (
    FieldDef.from_json({"name": "id", "type": "integer", "constraints": {"required": True}}),
    FieldDef.from_json({"name": "nama", "type": "string"}),
    FieldDef.from_json({"name": "nilai", "type": "number"}),
    FieldDef.from_json(
        {"name": "status", "type": "string", "constraints": {"enum": ["baru", "selesai"]}}
    ),
    FieldDef.from_json({"name": "tanggal", "type": "date"}),
)
HEADER = "id,nama,nilai,status,tanggal\n"


def _cell_by_cell(text: str) -> list[Any]:
    return list(_csv_items(text, FIELDS))


def _pushed(text: str) -> list[tuple[Any, ...]]:
    return [row[1:] for row in read_rows(text.encode(), "csv", FIELDS).numbered(0)]


@pytest.mark.parametrize(
    "body",
    [
        "1,Budi,2.5,baru,2024-01-31\n2, Ani ,-0,selesai,2024-02-01\n",
        " 3 ,x,1e3,baru,2024-01-01\n\n4,y,1_0,selesai,2024-01-02",  # blank line, no last \n
        "5,,1.5,baru,\n6,z,,selesai,2024-03-03\n",  # empty cells: None
        '7,"a, b",1,baru,2024-01-01\n',  # quoted: the csv module reads it
        "8,a,1,baru,2024-01-01\r\n9,b,2,selesai,2024-01-02\r\n",  # CRLF
        "9223372036854775807,a,1,baru,2024-01-01\n",  # the largest int64
        "",
    ],
)
def test_a_well_formed_push_reads_as_cell_by_cell(body: str) -> None:
    assert _pushed(HEADER + body) == _cell_by_cell(HEADER + body)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("1,a,1,baru,2024-01-01\n,b,1,baru,2024-01-01\n", "id"),  # required and empty
        ("9223372036854775808,a,1,baru,2024-01-01\n", "id"),  # past int64
        ("1,a,nan,baru,2024-01-01\n", "nilai"),
        ("1,a,inf,baru,2024-01-01\n", "nilai"),
        ("1,a,1,lain,2024-01-01\n", "status"),  # not in the enum
        ("1,a,1,baru,31-01-2024\n", "tanggal"),
        ("x,a,1,baru,2024-01-01\n", "id"),
        ("1,a,1,baru,2024-01-01\n2,b,1,baru\n", None),  # a ragged line
    ],
)
def test_a_bad_push_is_refused_naming_the_same_line_and_field(body: str, field: str | None) -> None:
    problems = [item for item in _cell_by_cell(HEADER + body) if isinstance(item, RowProblem)]
    assert problems and problems[0].field == field
    with pytest.raises(CheckFailed) as refused:
        read_rows((HEADER + body).encode(), "csv", FIELDS)
    assert refused.value.extensions()["checks"] == [problem.as_check() for problem in problems]


def test_a_ragged_pair_of_lines_is_not_read_as_columns() -> None:
    """One line a cell short and the next a cell long hold as many commas as two good ones."""
    body = HEADER + "1,a,1,baru\n2,b,1,baru,2024-01-01,x\n"
    with pytest.raises(CheckFailed):
        read_rows(body.encode(), "csv", FIELDS)


async def test_a_pushed_table_keeps_its_rows_in_one_tree_on_sqlite(
    push_world: PushWorld,
) -> None:
    """SQLite: `_id` is the rowid itself (INTEGER), not a BIGINT key with a second B-tree
    every insert also writes; PostgreSQL keeps its bigint primary key."""
    answer = await push(push_world.client, push_world.open_token, make_rows(3))
    assert answer.status_code == 200, answer.text
    async with push_world.services.database.session() as session:
        name = await session.scalar(
            select(Resource.row_table).join(Dataset).where(Dataset.slug == OPEN_DATASET)
        )
        assert name is not None
        if session.bind.dialect.name == "sqlite":
            indexes = (await session.execute(sa.text(f'PRAGMA index_list("{name}")'))).all()
            assert not [row for row in indexes if row[3] == "pk"]
            rowids = (await session.execute(sa.text(f'SELECT rowid, _id FROM "{name}"'))).all()
            assert [a for a, _ in rowids] == [b for _, b in rowids]
        else:
            key = await session.scalar(
                sa.text(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                    " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                    " WHERE i.indrelid = CAST(:name AS regclass) AND i.indisprimary"
                ),
                {"name": f'"{name}"'},
            )
            assert key == "_id"
