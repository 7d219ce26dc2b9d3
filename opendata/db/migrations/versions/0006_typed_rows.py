"""typed row tables: one table per resource, rows moved out of resource_rows

Revision ID: 0006
Revises: 0003

Each resource gets `row_table` (its typed table, see opendata.catalogue.tables) and
`cursor_key`; its rows move from the JSON `resource_rows` table into that typed table (values
read under the field types exactly as the loader reads them), which is then dropped.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 5000


def _move_rows(bind: sa.Connection) -> None:
    from opendata.catalogue.tables import (
        new_cursor_key,
        new_table_name,
        row_table,
        table_indexes,
    )
    from opendata.visibility.fields import FieldDef, native

    resources = bind.execute(sa.text("SELECT id, fields FROM resources ORDER BY id")).all()
    for resource_id, raw_fields in resources:
        stored = json.loads(raw_fields) if isinstance(raw_fields, str) else raw_fields
        fields = tuple(FieldDef.from_json(raw) for raw in stored or [])
        name = new_table_name(resource_id)
        table = row_table(name, fields)
        table.create(bind)
        rows = bind.execute(
            sa.text(
                "SELECT position, data FROM resource_rows WHERE resource_id = :id ORDER BY position"
            ),
            {"id": resource_id},
        )
        batch: list[dict[str, Any]] = []
        count = 0
        for position, data in rows:
            values = json.loads(data) if isinstance(data, str) else data
            record: dict[str, Any] = {"_id": position}
            for index, field in enumerate(fields):
                record[f"c{index}"] = native(field, values.get(field.name))
            batch.append(record)
            count += 1
            if len(batch) >= BATCH:
                bind.execute(table.insert(), batch)
                batch = []
        if batch:
            bind.execute(table.insert(), batch)
        for table_index in table_indexes(table, fields):
            table_index.create(bind)
        bind.execute(
            sa.text(
                "UPDATE resources SET row_table = :table, cursor_key = :key, row_count = :n "
                "WHERE id = :id"
            ),
            {"table": name, "key": new_cursor_key(), "n": count, "id": resource_id},
        )


def upgrade() -> None:
    with op.batch_alter_table("resources") as batch:
        batch.add_column(
            sa.Column("row_table", sa.String(length=63), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("cursor_key", sa.String(length=32), nullable=False, server_default="")
        )
    _move_rows(op.get_bind())
    op.drop_table("resource_rows")


def downgrade() -> None:
    raise NotImplementedError("typed row tables cannot be folded back into resource_rows")
