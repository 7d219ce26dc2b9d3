"""the duties after a decision: a revised fee (upheld ground-f objection), the day a
Commission decision was received, and court cases against it (Pasal 47-48)

Revision ID: 0012
Revises: 0011

Requests answered before this revision have no delivery clock; ground e then keeps the old
rule (it arose on the notice), so nothing needs filling in.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("information_requests") as batch:
        batch.add_column(sa.Column("fee_original_amount", sa.Integer(), nullable=True))
    with op.batch_alter_table("objections") as batch:
        batch.add_column(sa.Column("revised_fee", sa.Integer(), nullable=True))
    with op.batch_alter_table("disputes") as batch:
        batch.add_column(sa.Column("received_on", sa.Date(), nullable=True))
    op.create_table(
        "court_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.String(length=12), nullable=False),
        sa.Column("court", sa.String(length=200), nullable=False),
        sa.Column("case_number", sa.String(length=120), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["information_requests.id"],
            name=op.f("fk_court_cases_request_id_information_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_cases")),
        sa.UniqueConstraint("request_id", name=op.f("uq_court_cases_request_id")),
    )


def downgrade() -> None:
    op.drop_table("court_cases")
    with op.batch_alter_table("disputes") as batch:
        batch.drop_column("received_on")
    with op.batch_alter_table("objections") as batch:
        batch.drop_column("revised_fee")
    with op.batch_alter_table("information_requests") as batch:
        batch.drop_column("fee_original_amount")
