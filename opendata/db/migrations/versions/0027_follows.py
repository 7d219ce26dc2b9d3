"""follows (a visitor follows a dataset, an agency, a request or the DIK and is e-mailed),
the dataset a request came from, and an agency's PPID opening hours

Revision ID: 0027
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime

revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("target_kind", sa.String(10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("confirmed_at", UtcDateTime(), nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("token", name="uq_follows_token"),
        sa.UniqueConstraint(
            "target_kind", "target_id", "email", name="uq_follows_target_kind"
        ),
    )
    op.create_index("ix_follows_target", "follows", ["target_kind", "target_id"])
    # Not a batch: on SQLite a batch adding a foreign key rebuilds the table, and dropping
    # the old one cascades to every request's clocks, events and objections (ON DELETE
    # CASCADE, foreign keys being on). SQLite adds a column with its REFERENCES in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE information_requests "
            "ADD COLUMN dataset_id INTEGER REFERENCES datasets (id)"
        )
    else:
        op.add_column("information_requests", sa.Column("dataset_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_information_requests_dataset_id_datasets",
            "information_requests",
            "datasets",
            ["dataset_id"],
            ["id"],
        )
    op.create_index("ix_information_requests_dataset_id", "information_requests", ["dataset_id"])
    with op.batch_alter_table("agencies") as batch:
        batch.add_column(sa.Column("opening_hours", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("opening_hours")
    with op.batch_alter_table("information_requests") as batch:
        batch.drop_index("ix_information_requests_dataset_id")
        batch.drop_constraint("fk_information_requests_dataset_id_datasets", type_="foreignkey")
        batch.drop_column("dataset_id")
    op.drop_index("ix_follows_target", table_name="follows")
    op.drop_table("follows")
