"""datasets.publication_mode (ROWS | AGGREGATES) and datasets.update_frequency

Revision ID: 0020
Revises: 0018

Existing datasets keep publishing their rows (ROWS) until their descriptor says otherwise;
a null frequency means "not declared" (never overdue).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.add_column(
            sa.Column("publication_mode", sa.String(20), nullable=False, server_default="ROWS")
        )
        batch.add_column(sa.Column("update_frequency", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("update_frequency")
        batch.drop_column("publication_mode")
