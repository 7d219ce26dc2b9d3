"""search: indexes for bounded searches (issue 26), PostgreSQL only

Revision ID: 0037
Revises: 0036

A search reads at most a bounded number of matches, title matches first: they are found
through a GIN index on each row's title lexemes, an expression over the existing tsvector
(`ts_filter(document, '{a}')`, weight A), so no row is rewritten and writes keep their
shape. A search filtered by agency meets the agency's rows in a btree index instead of
reading every match of its words.
"""

from __future__ import annotations

from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_dataset_search_title ON dataset_search"
            " USING gin (ts_filter(document, '{a}'))"
        )
        op.execute("CREATE INDEX IF NOT EXISTS ix_dataset_search_agency ON dataset_search (agency)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_dataset_search_agency")
        op.execute("DROP INDEX IF EXISTS ix_dataset_search_title")
