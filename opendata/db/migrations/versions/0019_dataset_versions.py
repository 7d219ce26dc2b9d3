"""dataset_versions and version_resources: every publication of a dataset is a version

Revision ID: 0019
Revises: 0018

Issue 22: producers submit versions, the walidata reviews them; each version keeps its own
typed row tables so older versions stay downloadable and a rollback is one swap.
`datasets.published_version` says which version the service published (a catalogue load
leaves such a dataset alone unless forced).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import JsonValue, UtcDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("datasets") as batch:
        batch.add_column(sa.Column("published_version", sa.Integer(), nullable=True))
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dataset_slug", sa.String(length=120), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=False),
        sa.Column("dataset_id", sa.Integer(), sa.ForeignKey("datasets.id"), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("descriptor", JsonValue, nullable=False),
        sa.Column("staging_path", sa.String(length=500), nullable=False),
        sa.Column("submitted_by_user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_by_user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("checks", JsonValue, nullable=False),
        sa.Column("accepted", JsonValue, nullable=False),
        sa.Column("changes", JsonValue, nullable=True),
        sa.UniqueConstraint("dataset_slug", "number", name="uq_dataset_versions_slug_number"),
    )
    op.create_index("ix_dataset_versions_agency_id", "dataset_versions", ["agency_id"])
    op.create_index("ix_dataset_versions_dataset_id", "dataset_versions", ["dataset_id"])
    op.create_index("ix_dataset_versions_state", "dataset_versions", ["state"])
    op.create_table(
        "version_resources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("dataset_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("mediatype", sa.String(length=100), nullable=True),
        sa.Column("fields", JsonValue, nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("row_table", sa.String(length=63), nullable=False),
        sa.UniqueConstraint("version_id", "name", name="uq_version_resources_version_name"),
    )
    op.create_index("ix_version_resources_version_id", "version_resources", ["version_id"])


def downgrade() -> None:
    op.drop_table("version_resources")
    op.drop_table("dataset_versions")
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("published_version")
