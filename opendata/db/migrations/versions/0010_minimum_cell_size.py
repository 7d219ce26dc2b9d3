"""datasets.minimum_cell_size: the datapackage `minimumCellSize` (small-cell suppression)

Revision ID: 0010
Revises: 0003

Null means the default (opendata.exemptions.disclosure_control.DEFAULT_MINIMUM_CELL_SIZE).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.add_column(sa.Column("minimum_cell_size", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("minimum_cell_size")
