"""hardening: the catalogue change log, token expiry

Revision ID: 0004
Revises: 0003

`catalogue_changes` is the durable log a whoosh index replays before answering a search.
`access_tokens.expires_at`: every token ends; tokens issued before this revision get the
default lifetime from the moment of the upgrade, so nobody is signed out by the upgrade.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime, utcnow

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = "0002"  # access_tokens

LEGACY_TOKEN_LIFETIME = timedelta(days=30)


def upgrade() -> None:
    op.create_table(
        "catalogue_changes",
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("dataset_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("generation", name=op.f("pk_catalogue_changes")),
    )
    with op.batch_alter_table("access_tokens") as batch:
        batch.add_column(sa.Column("expires_at", UtcDateTime(), nullable=True))
    tokens = sa.table("access_tokens", sa.column("expires_at", UtcDateTime()))
    op.execute(
        tokens.update()
        .where(tokens.c.expires_at.is_(None))
        .values(expires_at=utcnow() + LEGACY_TOKEN_LIFETIME)
    )
    with op.batch_alter_table("access_tokens") as batch:
        batch.alter_column("expires_at", existing_type=UtcDateTime(), nullable=False)
        batch.create_index("ix_access_tokens_expires_at", ["expires_at"])


def downgrade() -> None:
    with op.batch_alter_table("access_tokens") as batch:
        batch.drop_index("ix_access_tokens_expires_at")
        batch.drop_column("expires_at")
    op.drop_table("catalogue_changes")
