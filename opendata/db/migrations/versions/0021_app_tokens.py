"""app_tokens: apps that push rows (one agency, hashed token, the datasets they may write)
and the receipts that make a retried push (same Idempotency-Key) add nothing

Revision ID: 0021
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import JsonValue, UtcDateTime

revision = "0021"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_apps_agency_id", "apps", ["agency_id"])
    op.create_table(
        "app_datasets",
        sa.Column(
            "app_id",
            sa.Integer(),
            sa.ForeignKey("apps.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("dataset_slug", sa.String(120), primary_key=True),
    )
    op.create_table(
        "push_receipts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "app_id", sa.Integer(), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("answer", JsonValue, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("app_id", "key", name="uq_push_receipts_app_key"),
    )


def downgrade() -> None:
    op.drop_table("push_receipts")
    op.drop_table("app_datasets")
    op.drop_index("ix_apps_agency_id", table_name="apps")
    op.drop_table("apps")
