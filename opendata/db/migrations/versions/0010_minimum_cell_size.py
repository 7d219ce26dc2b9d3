"""dashboard: datasets.minimum_cell_size (small-cell suppression) and the dashboards table

Revision ID: 0010
Revises: 0003

`minimum_cell_size` null means the default (opendata.visibility.disclosure_control).
`dashboards` holds the panels of catalog/dashboard.yaml as loaded (opendata.dashboard.store).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import JsonValue, UtcDateTime

revision = "0010"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.add_column(sa.Column("minimum_cell_size", sa.Integer(), nullable=True))
    op.create_table(
        "dashboards",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("panels", JsonValue, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("loaded_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("dashboards")
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("minimum_cell_size")
