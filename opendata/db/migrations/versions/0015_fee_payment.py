"""requests: information_requests.fee_payment, how to pay the notice's fee (Pasal 22(7)(g))

Revision ID: 0015
Revises: 0011

Null for every notice given before: those mails and letters state no way of paying.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a nullable column: a plain ALTER TABLE ADD COLUMN on both databases
    op.add_column("information_requests", sa.Column("fee_payment", sa.String(500)))


def downgrade() -> None:
    with op.batch_alter_table("information_requests") as batch:
        batch.drop_column("fee_payment")
