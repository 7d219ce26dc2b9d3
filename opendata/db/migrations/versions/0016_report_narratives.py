"""report_narratives: the annual report's narrative parts an admin writes per year

Revision ID: 0016
Revises: 0011

Perki 1/2021 Pasal 56(2) asks for figures (computed from the requests) and for text no table
holds: the service policy, how it was carried out, its obstacles and the recommendations. One
row per year and agency; the whole regency's row has no agency (a partial unique index, since
NULLs never collide in a plain one).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import UtcDateTime

revision = "0016"
down_revision = "0011"
branch_labels = None
depends_on = None

_REGENCY_ROW = sa.text("agency_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "report_narratives",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), sa.ForeignKey("agencies.id"), nullable=True),
        sa.Column("policy", sa.Text(), nullable=True),
        sa.Column("implementation", sa.Text(), nullable=True),
        sa.Column("obstacles", sa.Text(), nullable=True),
        sa.Column("recommendations", sa.Text(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index(
        "uq_report_narratives_agency_year",
        "report_narratives",
        ["agency_id", "year"],
        unique=True,
    )
    op.create_index(
        "uq_report_narratives_regency_year",
        "report_narratives",
        ["year"],
        unique=True,
        sqlite_where=_REGENCY_ROW,
        postgresql_where=_REGENCY_ROW,
    )


def downgrade() -> None:
    op.drop_index("uq_report_narratives_regency_year", table_name="report_narratives")
    op.drop_index("uq_report_narratives_agency_year", table_name="report_narratives")
    op.drop_table("report_narratives")
