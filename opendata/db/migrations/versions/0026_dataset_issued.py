"""datasets.issued: the day a dataset was first issued, kept across catalogue reloads

Revision ID: 0026
Revises: 0025

DCAT `dct:issued`, schema.org `datePublished` and the Atom `published` (issue 23) read it
(`opendata/catalogue/dates.py`). Rows from before this migration get what they would have got
on their first load: the day they appeared, or the `modified` day their descriptor stated if
that is earlier (their publisher had issued them by then).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime
from opendata.regency_time import REGENCY_TZ

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # adding a nullable column needs no table copy, on SQLite either
    op.add_column("datasets", sa.Column("issued", sa.Date()))
    datasets = sa.table(
        "datasets",
        sa.column("id", sa.Integer()),
        sa.column("modified", sa.Date()),
        sa.column("created_at", UtcDateTime()),
        sa.column("issued", sa.Date()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(datasets.c.id, datasets.c.modified, datasets.c.created_at))
    for dataset_id, modified, created_at in list(rows):
        appeared: date = created_at.astimezone(REGENCY_TZ).date()
        issued = min(appeared, modified) if modified is not None else appeared
        connection.execute(
            sa.update(datasets).where(datasets.c.id == dataset_id).values(issued=issued)
        )


def downgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("issued")
