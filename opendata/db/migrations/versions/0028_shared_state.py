"""shared state: attachment bytes and rate-limit buckets in the database, and its identity

Revision ID: 0028
Revises: 0025

Several servers on one database share what used to live in each one's data folder or
memory: attachment bytes (`attachment_blobs`, by SHA-256, in chunks), the per-client token
buckets (`rate_limit_buckets`, UNLOGGED on PostgreSQL: losing them in a crash only refills
every bucket), and a random identity in `meta` that a search index compares with its own.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment_blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("chunk", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "rate_limit_buckets",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.Column("allowed", sa.Boolean(), nullable=False),
        prefixes=["UNLOGGED"] if op.get_bind().dialect.name == "postgresql" else [],
    )
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))
    op.bulk_insert(meta, [{"key": "database_identity", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'database_identity'")
    op.drop_table("rate_limit_buckets")
    op.drop_table("attachment_blobs")
