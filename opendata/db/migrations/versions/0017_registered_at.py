"""information_requests.registered_at: when a request was entered, beside when it arrived

Revision ID: 0017
Revises: 0011

A request an officer registers from paperwork received earlier keeps both times (issue 20,
finding 14; information_requests/backdating.py). Rows from before this migration were entered
when they were created, so `created_at` is their registration time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime

revision = "0017"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # adding a nullable column needs no table copy, on SQLite either
    op.add_column("information_requests", sa.Column("registered_at", UtcDateTime()))
    op.execute("UPDATE information_requests SET registered_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("information_requests") as batch:
        batch.drop_column("registered_at")
