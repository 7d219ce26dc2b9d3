"""resources: an index on `row_count`, so the largest resource is found without reading them all

Revision ID: 0039
Revises: 0038

Every GraphQL request that can name `rows` or `aggregate` reads the most rows any resource
holds (`queries.LARGEST_ROW_COUNT`, the cost check's bound) before it runs. Without an index
that `max()` read every resource: nothing at a regency's size, a scan of the whole table at a
national catalogue's. With it both databases answer from the index's last entry, and the
statement is bounded, so SQLite may run it without crossing to its thread (`db.engine`).
"""

from __future__ import annotations

from alembic import op

revision = "0039"
down_revision = "0038"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_resources_row_count", "resources", ["row_count"])


def downgrade() -> None:
    op.drop_index("ix_resources_row_count", table_name="resources")
