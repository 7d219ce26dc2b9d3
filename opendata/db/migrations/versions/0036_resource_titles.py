"""a resource's title (the data package's `title`, `title_en`): what the dataset page calls
each table instead of its file name, on the resources and on every version's resources

Revision ID: 0036
Revises: 0035
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

TABLES = ("resources", "version_resources")


def upgrade() -> None:
    # plain ADD COLUMN (no batch): nullable columns need no table rebuild on SQLite
    for table in TABLES:
        op.add_column(table, sa.Column("title", sa.String(300), nullable=True))
        op.add_column(table, sa.Column("title_en", sa.String(300), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("title_en")
            batch.drop_column("title")
