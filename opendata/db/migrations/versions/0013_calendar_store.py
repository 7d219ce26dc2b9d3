"""calendar: the working calendar's overrides, decreed years and version in the database

Revision ID: 0013
Revises: 0011

Every server reads the overrides from here (`opendata.calendar_store`) and notices a change by
the version row, instead of each reading its own override file.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "calendar_decrees",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("reference", sa.String(300), nullable=False),
    )
    versions = op.create_table(
        "calendar_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
    )
    # the one row every change locks and bumps; version 0: nothing stored yet (the override
    # file stands until the first change)
    op.bulk_insert(versions, [{"id": 1, "version": 0, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("calendar_versions")
    op.drop_table("calendar_decrees")
    op.drop_table("calendar_overrides")
