"""issued letters: their register and counters, the signatory's jabatan and NIP on staff
accounts, and the agency's address and contact for the letterhead

Revision ID: 0014
Revises: 0011

Steps taken before this revision have no letter rows: each is issued on its first print from
the request's timeline (opendata/information_requests/issuing.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opendata.db.base import JsonValue, UtcDateTime

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("title", sa.String(200), nullable=True))
        batch.add_column(sa.Column("employee_number", sa.String(40), nullable=True))
    with op.batch_alter_table("agencies") as batch:
        batch.add_column(sa.Column("address", sa.String(500), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(60), nullable=True))
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))
    op.create_table(
        "letter_counters",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_letter_counters_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("agency_id", "year", name=op.f("pk_letter_counters")),
    )
    op.create_table(
        "issued_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(80), nullable=False),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("addressee_name", sa.String(200), nullable=False),
        sa.Column("addressee_address", sa.String(500), nullable=True),
        sa.Column("signatory_user_id", sa.Integer(), nullable=True),
        sa.Column("signatory_name", sa.String(200), nullable=True),
        sa.Column("signatory_title", sa.String(200), nullable=True),
        sa.Column("signatory_employee_number", sa.String(40), nullable=True),
        sa.Column("letterhead", JsonValue, nullable=False),
        sa.Column("facts", JsonValue, nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["information_requests.id"],
            name=op.f("fk_issued_letters_request_id_information_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objections.id"],
            name=op.f("fk_issued_letters_objection_id_objections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_issued_letters_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["signatory_user_id"],
            ["users.id"],
            name=op.f("fk_issued_letters_signatory_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_letters")),
        sa.UniqueConstraint("number", name=op.f("uq_issued_letters_number")),
        sa.UniqueConstraint("request_id", "kind", "objection_id", name="uq_issued_letters_subject"),
    )
    op.create_index("ix_issued_letters_request_id", "issued_letters", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_issued_letters_request_id", table_name="issued_letters")
    op.drop_table("issued_letters")
    op.drop_table("letter_counters")
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("email")
        batch.drop_column("phone")
        batch.drop_column("address")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("employee_number")
        batch.drop_column("title")
