"""search tables (PostgreSQL full-text backend)

Revision ID: 0003
Revises: 0001

A branch of its own beside 0002; the app upgrades to "heads". The tables exist on both
databases (empty on SQLite); pg_trgm and the GIN indexes are PostgreSQL only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _array(item: sa.types.TypeEngine) -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.ARRAY(item), "postgresql")


def upgrade() -> None:
    is_postgres = op.get_bind().dialect.name == "postgresql"
    if is_postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Small columns first, the tsvector last: the scan reads the facet keys without stepping
    # over it. Highlight text lives in its own table so the scanned rows stay narrow.
    op.create_table(
        "dataset_search",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=80), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("modified", sa.Date(), nullable=True),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("facet_topics", sa.Text(), nullable=False),
        sa.Column("facet_other", sa.Text(), nullable=False),
        sa.Column("topics", _array(sa.Text()), nullable=False),
        sa.Column("formats", _array(sa.Text()), nullable=False),
        sa.Column("years", _array(sa.Integer()), nullable=False),
        sa.Column("sort_title", sa.Text(), nullable=False),
        sa.Column("document", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_dataset_search_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_id", name=op.f("pk_dataset_search")),
    )
    op.create_table(
        "dataset_search_texts",
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column(
            "texts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["datasets.id"],
            name=op.f("fk_dataset_search_texts_dataset_id_datasets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dataset_id", name=op.f("pk_dataset_search_texts")),
    )
    op.create_index("ix_dataset_search_slug", "dataset_search", ["slug"])
    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    if is_postgres:
        op.create_index(
            "ix_dataset_search_document",
            "dataset_search",
            ["document"],
            postgresql_using="gin",
        )
        op.create_index(
            "ix_search_words_trgm",
            "search_words",
            ["word"],
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        )


def downgrade() -> None:
    op.drop_table("search_words")
    op.drop_table("dataset_search_texts")
    op.drop_table("dataset_search")
